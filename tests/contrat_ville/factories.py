import factory

from contrat_ville.models import Pillar, Project, Theme
from langres_portal.core.search import search_text


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Pilier {n}")
    slug = factory.Sequence(lambda n: f"pilier-{n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Faker("sentence", nb_words=4, locale="fr_FR")
    slug = factory.Sequence(lambda n: f"projet-{n}")
    year_start = 2020
    pillar = factory.SubFactory(PillarFactory)
    porteur_name = factory.Faker("company", locale="fr_FR")
    porteur_kind = Project.PorteurKind.ASSOCIATION
    summary = factory.Faker("paragraph", locale="fr_FR")
    is_published = True


def bulk_projects(n, pillar, start=0, **fields):
    """n published projects in one INSERT (fast enough to make thousands in a test), with the search text that
    save() would have stored (bulk_create does not call it)."""
    return Project.objects.bulk_create(
        Project(
            title=f"Projet en nombre {start + i}",
            search_text=search_text(f"Projet en nombre {start + i}", "Résumé.", "Association", pillar.name),
            slug=f"projet-en-nombre-{start + i}",
            year_start=2017 + i % 9,
            pillar=pillar,
            porteur_name="Association",
            porteur_kind="association",
            summary="Résumé.",
            is_published=True,
            **fields,
        )
        for i in range(n)
    )
