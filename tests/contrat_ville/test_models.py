import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from contrat_ville.models import Contract, Project, Video, parse_youtube_url
from quartiers.models import Quartier
from tests.contrat_ville.factories import ProjectFactory


def make_contract(**kw):
    return Contract(title="C", start=datetime.date(2015, 1, 1), planned_end=datetime.date(2020, 12, 31), **kw)


@pytest.mark.parametrize(
    ("day", "extended", "status"),
    [
        (datetime.date(2014, 6, 1), None, "a_venir"),
        (datetime.date(2015, 1, 1), None, "en_cours"),
        (datetime.date(2020, 12, 31), None, "en_cours"),
        (datetime.date(2021, 1, 1), datetime.date(2023, 12, 31), "proroge"),
        (datetime.date(2023, 12, 31), datetime.date(2023, 12, 31), "proroge"),
        (datetime.date(2024, 1, 1), datetime.date(2023, 12, 31), "termine"),
        (datetime.date(2021, 1, 1), None, "termine"),
    ],
)
def test_contract_status_is_computed_from_its_dates(day, extended, status):
    assert make_contract(extended_end=extended).status_on(day) == status


@pytest.mark.django_db
def test_contract_extension_must_follow_planned_end():
    with pytest.raises(IntegrityError):
        make_contract(extended_end=datetime.date(2019, 1, 1)).save()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=T8xaowh2yWQ&t=39s", ("T8xaowh2yWQ", 39)),
        ("https://youtu.be/T8xaowh2yWQ?t=1m2s", ("T8xaowh2yWQ", 62)),
        ("https://www.youtube.com/embed/T8xaowh2yWQ", ("T8xaowh2yWQ", 0)),
        ("https://example.org/watch?v=T8xaowh2yWQ", None),
        ("javascript:alert(1)", None),
        ("https://www.youtube.com/watch?v=<script>", None),
    ],
)
def test_youtube_urls_are_parsed_strictly(url, expected):
    assert parse_youtube_url(url) == expected


def test_video_embeds_from_youtube_nocookie_with_its_start_time():
    video = Video(title="V", url="https://www.youtube.com/watch?v=T8xaowh2yWQ&t=39s")
    assert video.embed_url == "https://www.youtube-nocookie.com/embed/T8xaowh2yWQ?autoplay=1&start=39"


@pytest.mark.django_db
def test_project_funding_cannot_exceed_budget():
    with pytest.raises(IntegrityError):
        ProjectFactory(budget=1000, funding=2000)


@pytest.mark.django_db
def test_project_year_filter_includes_multi_year_projects():
    a = ProjectFactory(year_start=2019, year_end=2021)
    b = ProjectFactory(year_start=2020)
    ProjectFactory(year_start=2022)
    assert set(Project.objects.active_in(2020)) == {a, b}


@pytest.mark.django_db
def test_quartier_lists_its_projects_through_related_name():
    quartier = Quartier.objects.create(name="Q", slug="q")
    project = ProjectFactory()
    project.quartiers.add(quartier)
    assert list(quartier.projects.all()) == [project]
    assert list(project.pillar.projects.all()) == [project]


@pytest.mark.django_db
def test_content_loads_the_seed_and_keeps_staff_edits(content):
    from contrat_ville.models import ConseilCitoyen, Partner, Pillar, Theme

    assert Pillar.objects.count() == 3
    assert Contract.objects.count() == 2
    assert ConseilCitoyen.objects.get().name == "Ma vie, mon quartier !"
    assert Partner.objects.filter(name="Communauté de communes du Grand Langres").exists()
    assert Theme.objects.filter(slug="lien-social").exists()
    contract = Contract.objects.get(reference="CV165")
    assert (contract.start.year, contract.planned_end.year, contract.extended_end.year) == (2015, 2020, 2023)
    video = Video.objects.get()
    video.url = "https://youtu.be/abcdefghijk"
    video.save()
    Partner.objects.filter(name="L’État").update(name="Préfecture")
    call_command("load_initial_content", verbosity=0)
    assert Video.objects.get().url == "https://youtu.be/abcdefghijk"
    assert Partner.objects.count() == 7 and not Partner.objects.filter(name="L’État").exists()


@pytest.mark.django_db
def test_demo_creates_example_projects_over_years_pillars_and_quartiers(content):
    call_command("generate_demo_data", projects=30, verbosity=0)
    call_command("generate_demo_data", projects=30, verbosity=0)  # replaces, does not add
    projects = Project.objects.all()
    assert projects.count() == 30
    assert all(p.is_example and p.is_published for p in projects)
    years = set(projects.values_list("year_start", flat=True))
    assert min(years) == 2017 and max(years) == 2025
    assert projects.values("pillar").distinct().count() == 3
    assert Quartier.objects.filter(projects__isnull=False).distinct().count() == 3
    assert Project.objects.filter(themes__isnull=True).count() == 0
    from contrat_ville.models import ProjectPhoto

    assert ProjectPhoto.objects.count() == 6
    assert all(p.width == 1200 and p.small_width == 400 for p in ProjectPhoto.objects.all())


@pytest.mark.django_db
def test_partner_logo_needs_alt_text():
    from contrat_ville.models import Partner

    with pytest.raises(IntegrityError):
        Partner.objects.create(name="P", category="etat", logo="contrat_ville/partenaires/p.png", logo_alt="")
