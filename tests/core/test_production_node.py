"""The portal as it runs in production: the real settings with DEBUG off, collected static files, gunicorn."""

import pytest

from tests.nodes import Instance

PAGES = ["/", "/quartiers/", "/contrat-de-ville/", "/microprojets/", "/reussite-educative/", "/sante/"]


@pytest.fixture(scope="module")
def node():
    with Instance(database="sqlite") as instance:
        instance.manage("load_initial_content")
        yield instance.start_node(workers=1)


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_answer_under_gunicorn_in_production_mode(node, path):
    log_before = node.log_path.read_text(errors="replace")
    response = node.get(path, headers={"Host": "127.0.0.1"})
    assert response.status == 200, (path, response.status, node.log())
    assert "Content-Security-Policy" in response.headers or path == "/sante/"
    new_lines = node.log_path.read_text(errors="replace")[len(log_before) :]
    assert "Traceback" not in new_lines, new_lines


def test_static_files_are_served_with_their_hashed_names(node):
    page = node.get("/", headers={"Host": "127.0.0.1"}).body.decode()
    stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("/static/") and stylesheet.count(".") >= 2, stylesheet  # name.hash.css
    response = node.get(stylesheet)
    assert response.status == 200
    assert "immutable" in response.headers.get("Cache-Control", "")


def test_an_unknown_host_is_refused(node):
    response = node.get("/", headers={"Host": "evil.example"})
    assert response.status == 400
