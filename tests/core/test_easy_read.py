"""Easy-to-read (FALC) versions: linked from the top of their page, and every text short enough, staff's included."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from langres_portal.core.models import EasyReadBlock, EasyReadPage, HomeBlock

pytestmark = pytest.mark.usefixtures("content")

PAGES = {"accueil": "home", "quartiers": "quartiers:index", "microprojets": "microprojets:index",
         "reussite-educative": "pre:index"}  # fmt: skip
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
WORD = re.compile(r"[\w’'-]+")


def sentences(text):
    return [s for s in (part.strip() for part in SENTENCE_END.split(text)) if WORD.search(s)]


def sentence_lengths(texts):
    return [len(WORD.findall(s)) for text in texts for s in sentences(text)]


def easy_read_texts():
    """Every text of every easy-to-read page in the database: titles, headings, sentences, link texts."""
    texts = list(EasyReadPage.objects.values_list("title", flat=True))
    for block in EasyReadBlock.objects.all():
        texts += [block.heading, block.text, block.link_text]
    return [t for t in texts if t]


def assert_easy_to_read(texts):
    lengths = sentence_lengths(texts)
    assert lengths, "aucun texte"
    assert sum(lengths) / len(lengths) <= 12, f"phrases de {sum(lengths) / len(lengths):.1f} mots en moyenne"
    too_long = [s for t in texts for s in sentences(t) if len(WORD.findall(s)) > 20]
    assert too_long == [], "phrases de plus de 20 mots"


def test_every_easy_to_read_text_has_short_sentences():
    assert EasyReadPage.objects.count() == 4 and EasyReadBlock.objects.count() >= 12
    assert_easy_to_read(easy_read_texts())


def test_the_measure_catches_a_long_sentence_staff_write():
    block = EasyReadBlock.objects.first()
    block.text += (
        "\nCette phrase beaucoup trop longue continue encore et encore avec des mots qui s’ajoutent sans "
        "fin pour dépasser nettement les vingt mots permis."
    )
    block.save()
    with pytest.raises(AssertionError, match="plus de 20 mots"):
        assert_easy_to_read(easy_read_texts())


@pytest.mark.parametrize(("slug", "url_name"), PAGES.items())
def test_each_page_links_to_its_easy_to_read_version_at_the_top(client, slug, url_name):
    html = client.get(reverse(url_name)).content.decode()
    url = reverse("easy_read", args=[slug])
    link = html.index(f'href="{url}"')
    assert html.index("<h1") < link < html.index("</h1>") + 800  # right under the page's title
    response = client.get(url)
    assert response.status_code == 200
    assertContains(response, f'href="{reverse(url_name)}"')  # back to the full page
    assertContains(response, 'src="/static/img/pictos/')


def test_an_unpublished_version_is_neither_linked_nor_shown(client):
    EasyReadPage.objects.filter(slug="quartiers").update(is_published=False)
    assert reverse("easy_read", args=["quartiers"]) not in client.get(reverse("quartiers:index")).content.decode()
    assert client.get(reverse("easy_read", args=["quartiers"])).status_code == 404
    assert client.get(reverse("easy_read", args=["inconnue"])).status_code == 404


def test_the_home_blocks_follow_the_order_staff_chose_and_hidden_ones_disappear(client):
    from tests.microprojets.factories import CallFactory

    CallFactory()
    html = client.get(reverse("home")).content.decode()
    ids = ["titre-mon-adresse", "titre-accueil-pre", "titre-accueil-microprojets", "titre-rubriques", "titre-en-bref"]
    positions = [html.index(f'id="{i}"') for i in ids]
    assert positions == sorted(positions)
    HomeBlock.objects.filter(key="en-bref").update(order=1)
    HomeBlock.objects.filter(key="adresse").update(is_shown=False)
    html = client.get(reverse("home")).content.decode()
    assert 'id="titre-mon-adresse"' not in html
    assert html.index('id="titre-en-bref"') < html.index('id="titre-accueil-pre"')


def test_the_home_page_gives_the_pre_phone_as_a_tel_link_and_the_call_back(client):
    response = client.get(reverse("home"))
    assertContains(response, 'href="tel:+33678271882"')
    assertContains(response, f'href="{reverse("pre:contact")}"')


def test_the_pre_page_starts_with_who_it_is_for_and_the_phone_before_the_law(client):
    html = client.get(reverse("pre:index")).content.decode()
    who, phone = html.index("2 à 16 ans"), html.index('href="tel:+33678271882"')
    assert who < phone < html.index('id="quest-ce-que-le-pre"') < html.index("loi de cohésion sociale")
