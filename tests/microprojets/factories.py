from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from microprojets.models import Application, Call, Event


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Appel à projets {n}")
    text = "<p>Déposez vos projets.</p>"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    envelope = Decimal("15000")
    max_amount = Decimal("1500")
    committee_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=45))

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )
        upcoming = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=10)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=40)),
        )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    reference = factory.Sequence(lambda n: f"MP-2026-{n + 1:04d}")
    source_token = factory.Sequence(lambda n: f"source-{n}")
    porteur_kind = "association"
    organisation_name = "Association Vivre ensemble"
    rna = "W522001234"
    first_name = "Camille"
    last_name = "Martin"
    role = "Présidente"
    email = "camille@example.org"
    phone = "06 12 34 56 78"
    address = "3 rue des Tulipes, 52200 Langres"
    title = "Jardin partagé"
    summary = "Des bacs de culture pour les familles."
    description = "Quatre bacs et des ateliers."
    objectives = "Créer du lien."
    audience = "Familles"
    participants_count = 30
    place = "Pied des immeubles"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    amount_requested = Decimal("800")

    @factory.post_generation
    def submitted_event(self, create, extracted, **kwargs):
        if create:
            Event.objects.create(application=self, status=Application.Status.SUBMITTED)
