"""Every page answers HEAD as GET (uptime monitors and link checkers use HEAD), with the same status, no body."""

import re
import socket
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from contrat_ville.models import Project
from microprojets.models import Application, Call, Draft
from quartiers.models import Quartier

# Pages that are not in the sitemap: open data, feeds, forms, their answers, private links, errors, health check.
EXTRA_PAGES = [
    "robots_txt",
    "health",
    "sitemap",
    "admin:login",
    "quartiers:perimeters_geojson",
    "contrat_ville:feed",
    "contrat_ville:projects_csv",
    "contrat_ville:projects_json",
    "pre:vcard",
    "pre:contact",
    "pre:contact_done",
    "microprojets:apply",
    "microprojets:resend_link",
]
QUERIES = [
    "/quartiers/mon-adresse/?rue=12+avenue+des+Glycines",
    "/quartiers/mon-adresse/?rue=avenue+des+Glycines&numero=0",
    "/microprojets/eligibilite/?collective=oui&non_profit=oui&residents=oui&dates=oui&street=Avenue+des+Glycines&number=13",
    "/contrat-de-ville/projets/?page=999",
    "/microprojets/suivi/jeton-inconnu/",
    "/cette-page-n-existe-pas/",
]


def raw_request(server_url, method, path):
    """Status and body bytes exactly as the server sent them (an HTTP client would drop a HEAD body itself)."""
    address = urlparse(server_url)
    with socket.create_connection((address.hostname, address.port), timeout=20) as connection:
        connection.sendall(f"{method} {path} HTTP/1.0\r\nHost: {address.netloc}\r\n\r\n".encode())
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def every_get_page():
    sitemap = Client().get(reverse("sitemap")).content.decode()
    paths = [urlparse(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    paths += [reverse(name) for name in EXTRA_PAGES]
    paths += [reverse("quartiers:geojson", args=[q.slug]) for q in Quartier.objects.published().exclude(perimeter="")]
    application = Application.objects.exclude(tracking_token="").first()
    for name in ("tracking", "receipt", "complement"):
        paths.append(reverse(f"microprojets:{name}", args=[application.tracking_token]))
    draft = Draft.objects.create(call=Call.objects.open_at().first(), data={"title": "Projet à finir"})
    for name in ("resume", "draft_saved", "recap"):
        paths.append(reverse(f"microprojets:{name}", args=[draft.token]))
    return paths + QUERIES


@pytest.mark.django_db(transaction=True)
def test_every_page_answers_head_like_get_without_a_body(live_server):
    call_command("load_initial_content", verbosity=0)
    call_command("generate_demo_data", verbosity=0)
    paths = every_get_page()
    assert len(paths) > 40 and Project.objects.exists()
    differences, statuses = {}, {}
    for path in dict.fromkeys(paths):
        get_status, get_body = raw_request(live_server.url, "GET", path)
        head_status, head_body = raw_request(live_server.url, "HEAD", path)
        statuses[path] = get_status
        if (head_status, head_body) != (get_status, b"") or (get_status == 200 and not get_body):
            differences[path] = (get_status, head_status, head_body[:80])
    assert differences == {}
    # Each page was really served (a redirect for a form's next step, a 404 only where one is expected).
    assert {path for path, status in statuses.items() if status >= 400} == {
        "/microprojets/suivi/jeton-inconnu/",
        "/cette-page-n-existe-pas/",
    }, statuses
