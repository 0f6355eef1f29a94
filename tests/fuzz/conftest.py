"""The fuzz tests' time budget and the site they attack.

Profiles (hypothesis): « fuzz » by default, a few examples per test so that the whole fuzz run stays under a
minute in `make test`; FUZZ_PROFILE=long for a night run. Examples are random on every run (derandomize off),
so each run tries new inputs; no example database is written in the repository.
"""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, settings

from tests.ratelimits import reset_rate_limits

COMMON = {
    "deadline": None,
    "derandomize": False,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 25)), **COMMON)
settings.register_profile("long", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 1000)), **COMMON)
FUZZ_PROFILE = os.environ.get("FUZZ_PROFILE", "fuzz")


def fuzz_settings():
    """The settings of the chosen profile, applied to the fuzz tests only (other tests keep their own)."""
    return settings(settings.get_profile(FUZZ_PROFILE))


@pytest.fixture
def site(db, client):
    """The demo site (`make run`), plus what only a private link reaches: a draft, an application asked for a
    complement, and everything the site's links, sitemap and forms lead to (tests/fuzz/site_map.py)."""
    from django.utils import timezone

    from microprojets.models import Application, Call, Draft
    from tests.fuzz.site_map import discover
    from tests.microprojets.factories import ApplicationFactory

    call_command("load_initial_content", verbosity=0)
    call_command("generate_demo_data", projects=13, applications=2, verbosity=0)
    call = Call.objects.open_at(timezone.now()).first()
    assert call is not None
    draft = Draft.objects.create(call=call, data={"title": "Brouillon d’exemple"})
    from langres_portal.core.models import Page

    # A page staff added in the admin (/pages/<slug>/, listed in the site map).
    Page.objects.create(slug="fete-des-voisins", title="Fête des voisins", body="<p>Le 30 mai.</p>")
    incomplete = ApplicationFactory(
        call=call,
        reference="MP-2099-0001",
        status=Application.Status.INCOMPLETE,
        starts_on=timezone.localdate() + timedelta(days=40),
        ends_on=timezone.localdate() + timedelta(days=60),
    )
    paid = ApplicationFactory(call=call, reference="MP-2099-0002", status=Application.Status.PAID)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.microprojets.conftest import PDF, valid_data

    # A complete form, so that the recap page (and its confirmation form) is reached too.
    statutes = SimpleUploadedFile("statuts.pdf", PDF, content_type="application/pdf")
    to_recap = client.post(reverse("microprojets:apply"), {**valid_data(), "statutes": statutes})
    assert to_recap.status_code == 302, to_recap.context and to_recap.context.get("errors")
    seeds = [
        to_recap["Location"],
        reverse("microprojets:resume", args=[draft.token]),
        reverse("microprojets:draft_saved", args=[draft.token]),
        reverse("microprojets:recap", args=[draft.token]),
        incomplete.get_tracking_url(),
        paid.get_tracking_url(),  # its end-of-project report form
        reverse("microprojets:report", args=[paid.tracking_token]),
        reverse("microprojets:complement", args=[incomplete.tracking_token]),
        reverse("microprojets:receipt", args=[incomplete.tracking_token]),
        reverse("microprojets:resume", args=[incomplete.source_token]),
        reverse("pre:contact_done"),  # reached after a request is sent
        reverse("health"),  # polled by the monitoring, linked from no page
    ]
    from contrat_ville.models import Pillar, Project, Theme
    from quartiers.models import Quartier, Street
    from tests.fuzz import strategies

    strategies.WORDS[:] = sorted(
        set(Street.objects.values_list("name", flat=True))
        | set(Quartier.objects.values_list("slug", flat=True))
        | set(Pillar.objects.values_list("slug", flat=True))
        | set(Theme.objects.values_list("slug", flat=True))
        | set(Project.objects.values_list("title", flat=True)[:5])
    )
    found = discover(client, seeds)
    found.draft, found.application = draft, incomplete
    # Each form as a resident fills it in: the fuzz starts from it and changes a few fields, so that it reaches
    # the code that runs only for a valid form (the address lookup of a real street, the draft, the sending).
    ranged = Street.objects.filter(number_from__isnull=False).first() or Street.objects.first()
    number = str(ranged.number_from or 1)
    found.filled = {
        "microprojets:eligibility": {
            **{name: "oui" for name in ("collective", "non_profit", "residents", "dates")},
            "amount": "500",
            "street": ranged.name,
            "number": number,
        },
        "quartiers:address_lookup": {"rue": ranged.name, "numero": number},
        "contrat_ville:projects": {"q": "jardin", "pilier": Pillar.objects.first().slug},
        "microprojets:apply": valid_data(),
        "microprojets:resume": valid_data(),
        "microprojets:recap": {"engagement": "on"},
        "microprojets:complement": {"message": "Voici le devis demandé."},
        "microprojets:report": {"what_happened": "Tout s’est bien passé.", "people_reached": "40"},
        "microprojets:resend_link": {"email": "camille@example.org"},
        "pre:contact": {
            "requester_type": "parent",
            "name": "Camille Martin",
            "phone": "06 12 34 56 78",
            "email": "",
            "preferred_moments": ["morning"],
            "message": "Mon fils entre en sixième.",
        },
    }
    reset_rate_limits()
    return found


@pytest.fixture(autouse=True)
def _clean_rate_limits(db):
    reset_rate_limits()
    yield
    reset_rate_limits()
