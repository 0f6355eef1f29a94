import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from pre.models import COORDINATION_GROUP, ContactRequest, FaqEntry, Section


class ContactRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactRequest

    requester_type = ContactRequest.RequesterType.PARENT
    name = factory.Faker("name", locale="fr_FR")
    phone = "06 12 34 56 78"
    email = factory.Faker("email", locale="fr_FR")
    preferred_moments = factory.LazyFunction(lambda: [ContactRequest.Moment.MORNING])
    message = "Mon fils est en CE2 et il a des difficultés à l’école depuis la rentrée."

    class Params:
        handled = factory.Trait(handled_at=factory.LazyFunction(timezone.now))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    slug = factory.Sequence(lambda n: f"partie-{n}")
    title = factory.Sequence(lambda n: f"Partie {n}")
    body = "<p>Texte de la partie.</p>"
    order = factory.Sequence(lambda n: 200 + n)


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    question = factory.Sequence(lambda n: f"Question {n} ?")
    answer = "<p>Réponse.</p>"
    order = factory.Sequence(lambda n: 100 + n)


def coordination_group():
    return Group.objects.get(name=COORDINATION_GROUP)


# A call-back request as a parent fills it in: the base of the form tests and of the outbox flows.
VALID_REQUEST = {
    "requester_type": "parent",
    "name": "Amina Benali",
    "phone": "06 12 34 56 78",
    "email": "amina.benali@example.org",
    "preferred_moments": ["morning", "evening"],
    "message": "Je voudrais savoir comment fonctionne le programme.",
}
