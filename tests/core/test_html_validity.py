"""Every public page is valid HTML for the W3C Nu HTML checker (RGAA criterion 8.2)."""

import json
import shutil
import subprocess

import pytest

from tests.browser import TOOLS
from tests.core.test_browser import public_urls

VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.usefixtures("content")


def validate(tmp_path, pages: dict) -> list[str]:
    """Run the checker once over all pages (one JVM start) and return its errors.

    Pages are responses (or HTML text): a server error or a redirect is not a page to call valid.
    """
    texts = {}
    for url, page in pages.items():
        if hasattr(page, "status_code"):
            assert page.status_code < 500, f"{url} : erreur {page.status_code}, pas une page à valider"
            assert not 300 <= page.status_code < 400, f"{url} : redirection {page.status_code}, pas une page"
            page = page.content.decode()
        texts[url] = page
    for i, html in enumerate(texts.values()):
        (tmp_path / f"page{i}.html").write_text(html, encoding="utf-8")
    names = {str(tmp_path / f"page{i}.html"): url for i, url in enumerate(texts)}
    java = shutil.which("java")
    assert java and VNU_JAR.exists(), "Java et vnu.jar sont nécessaires (make tools)"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *names],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(result.stderr or "{}").get("messages", [])
    except json.JSONDecodeError:
        messages = None
    # 0: valid, 1: errors reported. Anything else, or 1 without a message, is the checker failing, not a pass.
    assert result.returncode in (0, 1) and messages is not None and (result.returncode == 0 or messages), (
        f"Le validateur a échoué (code {result.returncode}) : {result.stderr[:2000]}"
    )
    return [f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m['message']}" for m in messages]


def test_public_pages_are_valid_html(client, tmp_path):
    pages = {url: client.get(url) for url in public_urls()}
    assert {url: r.status_code for url, r in pages.items() if r.status_code != 200} == {}
    pages["/page-inexistante/"] = missing = client.get("/page-inexistante/")
    assert missing.status_code == 404
    assert validate(tmp_path, pages) == []


def test_the_checker_does_report_invalid_html(tmp_path):
    errors = validate(tmp_path, {"/faux/": "<!DOCTYPE html><html lang=fr><title>x</title><p><div></p>"})
    assert errors and errors[0].startswith("/faux/: ")


def test_a_server_error_page_is_never_called_valid(tmp_path):
    from django.http import HttpResponseServerError

    with pytest.raises(AssertionError, match="erreur 500"):
        validate(tmp_path, {"/panne/": HttpResponseServerError("<!DOCTYPE html><html lang=fr><title>x</title>")})


def test_a_checker_that_fails_to_run_is_not_a_pass(tmp_path, monkeypatch):
    def crashed(*args, **kwargs):
        return subprocess.CompletedProcess(args, returncode=2, stdout="", stderr="Error: Unable to access jarfile")

    monkeypatch.setattr(subprocess, "run", crashed)
    with pytest.raises(AssertionError, match="Le validateur a échoué"):
        validate(tmp_path, {"/": "<!DOCTYPE html><html lang=fr><title>x</title>"})
