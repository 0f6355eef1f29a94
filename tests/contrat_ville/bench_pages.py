"""Pages of the contrat de ville timed by tests/bench.py, over `rows` published projects."""

from django.urls import reverse

from contrat_ville.models import Pillar, Project, Theme
from quartiers.models import Quartier


def populate(rows):
    pillars, themes, quartiers = list(Pillar.objects.all()), list(Theme.objects.all()), list(Quartier.objects.all())
    projects = Project.objects.bulk_create(
        Project(
            title=f"Projet de démonstration {i}",
            slug=f"projet-demonstration-{i}",
            year_start=2017 + i % 9,
            year_end=(2018 + i % 9) if i % 5 == 0 else None,
            pillar=pillars[i % len(pillars)],
            porteur_name=f"Association {i % 40}",
            porteur_kind=Project.PorteurKind.values[i % len(Project.PorteurKind.values)],
            summary="Un projet mené avec les habitants pour animer le quartier.",
            participants=10 + i % 200,
            budget=1000 + (i % 50) * 100,
            funding=500 + (i % 20) * 10,
            is_published=True,
            is_example=True,
        )
        for i in range(rows)
    )
    Through = Project.themes.through
    Through.objects.bulk_create(
        Through(project_id=p.pk, theme_id=themes[(i + k) % len(themes)].pk)
        for i, p in enumerate(projects)
        for k in range(2)
    )
    QThrough = Project.quartiers.through
    QThrough.objects.bulk_create(
        QThrough(project_id=p.pk, quartier_id=quartiers[i % len(quartiers)].pk) for i, p in enumerate(projects)
    )


def pages():
    catalogue = reverse("contrat_ville:projects")
    pillar = Pillar.objects.order_by("order").first()
    # The fourth theme, first pillar and 2020 meet in populate()'s pattern: the filtered page is not empty.
    theme = Theme.objects.order_by("order")[3]
    return [
        ("Contrat de ville (accueil de la rubrique)", reverse("contrat_ville:index")),
        ("Catalogue des projets", catalogue),
        (
            "Catalogue filtré (pilier + thème + année)",
            f"{catalogue}?pilier={pillar.slug}&theme={theme.slug}&annee=2020",
        ),
        ("Catalogue, recherche plein texte", f"{catalogue}?q=association+5"),
        ("Catalogue, page 50", f"{catalogue}?page=50"),
        ("Chiffres", reverse("contrat_ville:figures")),
    ]
