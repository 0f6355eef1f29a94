"""The contrat de ville in a real browser: filters, a project, the click-to-load video, axe-core on every page."""

import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from contrat_ville.images import make_renditions
from contrat_ville.models import Pillar, ProjectPhoto, Theme
from tests.browser import assert_no_axe_violations
from tests.contrat_ville.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]

YOUTUBE_HOSTS = ("youtube.com", "youtube-nocookie.com", "ytimg.com", "googlevideo.com")


@pytest.fixture
def projects():
    social = Pillar.objects.get(slug="cohesion-sociale")
    cadre = Pillar.objects.get(slug="renouvellement-urbain-cadre-de-vie")
    sport, culture = Theme.objects.get(slug="sport"), Theme.objects.get(slug="culture")
    target = ProjectFactory(title="Tournoi de football", pillar=social, year_start=2019, budget=3000, funding=1500)
    target.themes.add(sport)
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 60)).save(out, format="JPEG")
    renditions = make_renditions(SimpleUploadedFile("p.jpg", out.getvalue()))
    ProjectPhoto.objects.create(
        project=target, small=renditions.small, large=renditions.large, alt="Deux équipes sur le terrain"
    )
    ProjectFactory(title="Atelier théâtre", pillar=social).themes.add(culture)
    ProjectFactory(title="Jardin partagé", pillar=cadre).themes.add(sport)
    return target


def test_filter_open_a_project_then_load_the_video_on_click(browse, live_server, projects):
    browse.problems.allowed_hosts.add("www.youtube-nocookie.com")  # the player, only after the click
    requested = []
    browse.on("request", lambda request: requested.append(request.url))

    browse.goto(live_server.url + reverse("contrat_ville:projects"))
    browse.get_by_label("Pilier").select_option(label="La cohésion sociale")
    browse.get_by_label("Thématique").select_option(label="Sport")
    browse.get_by_role("button", name="Afficher les projets").click()
    browse.wait_for_load_state()
    query = parse_qs(urlparse(browse.url).query)
    assert query["pilier"] == ["cohesion-sociale"] and query["theme"] == ["sport"]
    assert browse.get_by_role("heading", level=2, name="1 projet pour ces critères").is_visible()
    assert_no_axe_violations(browse)

    browse.get_by_role("link", name="Tournoi de football").click()
    browse.wait_for_url(live_server.url + projects.get_absolute_url())
    assert browse.locator("h1").inner_text() == "Tournoi de football"
    assert browse.get_by_alt_text("Deux équipes sur le terrain").is_visible()
    assert_no_axe_violations(browse)

    browse.goto(live_server.url + reverse("contrat_ville:index"))
    link = browse.get_by_role("link", name="Voir « Vidéo du service Politique de la ville » sur YouTube")
    assert link.get_attribute("href").startswith("https://www.youtube.com/watch?v=T8xaowh2yWQ")
    assert browse.locator("iframe").count() == 0
    assert_no_axe_violations(browse)
    assert not [url for url in requested if any(host in url for host in YOUTUBE_HOSTS)], "YouTube avant le clic"

    browse.get_by_role("button", name="Lancer la vidéo").click()
    iframe = browse.locator(".video-consent iframe")
    iframe.wait_for(state="attached")
    assert iframe.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/T8xaowh2yWQ")
    assert iframe.get_attribute("title") == "Vidéo : Vidéo du service Politique de la ville"
    browse.wait_for_timeout(300)
    youtube = [url for url in requested if any(host in url for host in YOUTUBE_HOSTS)]
    assert youtube and all(urlparse(url).netloc == "www.youtube-nocookie.com" for url in youtube)
    assert link.is_visible()  # the plain link stays


def test_every_page_of_the_section_has_no_axe_violation(browse, live_server, projects):
    urls = [
        reverse("contrat_ville:index"),
        reverse("contrat_ville:projects"),
        reverse("contrat_ville:projects") + "?q=rien-de-tel&annee=abc&page=99",
        reverse("contrat_ville:figures"),
        projects.get_absolute_url(),
        reverse("home"),
    ] + [pillar.get_absolute_url() for pillar in Pillar.objects.all()]
    for width in (390, 1280):
        browse.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            browse.goto(live_server.url + url)
            assert browse.locator("h1").count() == 1, url
            assert_no_axe_violations(browse)
            overflow = browse.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{url} déborde de {overflow} px à {width} px"


def test_catalogue_works_with_the_keyboard_and_without_javascript(browser, live_server, projects):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("contrat_ville:projects"))
    # The filters are folded without JavaScript, at every width; the keyboard unfolds them.
    assert page.get_by_label("Thématique").is_hidden()
    page.locator("summary", has_text="Filtrer par pilier").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Thématique").select_option(label="Culture")
    page.get_by_label("Rechercher").fill("théâtre")
    page.get_by_label("Rechercher").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Atelier théâtre").is_visible()
    assert page.get_by_role("link", name="Tournoi de football").count() == 0
    page.goto(live_server.url + reverse("contrat_ville:index"))
    assert page.get_by_role("button", name="Lancer la vidéo").is_hidden()
    assert page.get_by_role("link", name="Voir « Vidéo du service Politique de la ville » sur YouTube").is_visible()
    context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_chart_labels_stay_readable_on_a_phone(browse, live_server, projects, width):
    browse.set_viewport_size({"width": width, "height": 800})
    browse.goto(live_server.url + reverse("contrat_ville:figures"))
    sizes = browse.eval_on_selector_all(
        ".bar-chart .bar-label, .bar-chart .bar-value", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 16, sizes
    # Each bar is drawn and the longest one fills the chart's width, less its value.
    widths = browse.eval_on_selector_all(".bar-chart .bar", "els => els.map(e => e.getBoundingClientRect().width)")
    assert max(widths) > width / 2
    assert_no_axe_violations(browse)
