"""Every public page is valid HTML for the W3C Nu HTML checker (RGAA criterion 8.2)."""

import json
import shutil
import subprocess

import pytest

from tests.browser import TOOLS
from tests.core.test_browser import public_urls

VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.usefixtures("content")


def validate(tmp_path, pages: dict[str, str]) -> list[str]:
    """Run the checker once over all pages (one JVM start) and return its errors."""
    for i, html in enumerate(pages.values()):
        (tmp_path / f"page{i}.html").write_text(html, encoding="utf-8")
    names = {str(tmp_path / f"page{i}.html"): url for i, url in enumerate(pages)}
    java = shutil.which("java")
    assert java and VNU_JAR.exists(), "Java et vnu.jar sont nécessaires (make tools)"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *names],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [f"{names.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m['message']}" for m in messages]


def test_public_pages_are_valid_html(client, tmp_path):
    pages = {url: client.get(url).content.decode() for url in public_urls() + ["/page-inexistante/"]}
    assert validate(tmp_path, pages) == []


def test_the_checker_does_report_invalid_html(tmp_path):
    errors = validate(tmp_path, {"/faux/": "<!DOCTYPE html><html lang=fr><title>x</title><p><div></p>"})
    assert errors and errors[0].startswith("/faux/: ")
