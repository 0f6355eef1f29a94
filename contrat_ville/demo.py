"""Example projects for demonstrations and tests: plausible, flagged « exemple », replaced at each run."""

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from quartiers.models import Quartier

from .images import make_renditions
from .models import Pillar, Project, ProjectCofunder, ProjectPhoto, Theme

FIRST_YEAR, LAST_YEAR = 2017, 2025
DEMO_PHOTOS = 6  # the first projects get a drawn picture, to show photos in lists and pages

# (title, pillar slug, theme slugs, porteur kind) — invented activities of the kind the seed describes.
IDEAS = [
    ("Fête de quartier", "cohesion-sociale", ["lien-social", "culture"], "association"),
    ("Atelier cuisine du monde", "cohesion-sociale", ["lien-social", "sante"], "habitants"),
    ("Tournoi de football inter-quartiers", "cohesion-sociale", ["sport", "lien-social"], "association"),
    ("Sorties familles au musée", "cohesion-sociale", ["culture", "education"], "service_public"),
    ("Aide aux devoirs", "cohesion-sociale", ["education"], "association"),
    ("Théâtre forum avec les jeunes", "cohesion-sociale", ["culture", "citoyennete"], "association"),
    ("Marche santé hebdomadaire", "cohesion-sociale", ["sante", "sport"], "habitants"),
    ("Jardin partagé", "renouvellement-urbain-cadre-de-vie", ["cadre-de-vie", "transition-ecologique"], "habitants"),
    ("Fresque murale participative", "renouvellement-urbain-cadre-de-vie", ["cadre-de-vie", "culture"], "association"),
    ("Opération quartier propre", "renouvellement-urbain-cadre-de-vie", ["cadre-de-vie", "citoyennete"], "habitants"),
    (
        "Ateliers de réparation de vélos",
        "renouvellement-urbain-cadre-de-vie",
        ["transition-ecologique"],
        "association",
    ),
    ("Forum des métiers", "developpement-economique-emploi-formation", ["emploi"], "service_public"),
    ("Ateliers numériques", "developpement-economique-emploi-formation", ["emploi", "education"], "association"),
    ("Permis de conduire solidaire", "developpement-economique-emploi-formation", ["emploi"], "association"),
    ("Découverte des entreprises locales", "developpement-economique-emploi-formation", ["emploi"], "service_public"),
]
PLACES = ["Maison de quartier", "Gymnase municipal", "Square des Capucines", "Centre social", "Médiathèque", ""]
COFUNDERS = ["État (ANCT)", "Conseil départemental", "Caisse d’allocations familiales", "Bailleur social"]
PORTEURS = {
    "association": [
        "Association Vivre ensemble",
        "Club sportif du quartier",
        "Compagnie Les Tréteaux",
        "Maison de quartier",
    ],
    "habitants": ["Collectif des habitants", "Groupe des parents", "Les voisins solidaires"],
    "service_public": ["Médiathèque municipale", "Centre social", "Service des sports"],
    "autre": ["Bailleur social"],
}


def generate(projects=22, seed=2017, **options) -> str:
    pillars = {p.slug: p for p in Pillar.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    quartiers = list(Quartier.objects.all())
    if not pillars:
        return "Contrat de ville : aucun pilier, lancez d’abord load_initial_content."
    rng = random.Random(seed)
    Project.objects.filter(is_example=True).delete()
    fallback_pillar = next(iter(pillars.values()))
    now = timezone.now()
    created = []
    used_titles = set()
    for i in range(projects):
        title, pillar_slug, theme_slugs, kind = IDEAS[i % len(IDEAS)]
        year = FIRST_YEAR + i * (LAST_YEAR - FIRST_YEAR + 1) // max(projects, 1)
        full_title = f"{title} {year}"
        if full_title in used_titles:  # only with more projects than ideas × years
            full_title += f" ({i + 1})"
        used_titles.add(full_title)
        budget = rng.randrange(5, 120) * 100
        funding = budget * rng.randrange(20, 80) // 100
        if year < LAST_YEAR - 1:
            status = Project.Status.DONE
        else:
            status = Project.Status.RUNNING if year == LAST_YEAR - 1 else Project.Status.PLANNED
        project = Project(
            title=full_title,
            slug=slugify(f"exemple-{full_title}")[:190] + f"-{i + 1}",
            year_start=year,
            year_end=year + 1 if rng.random() < 0.2 and year < LAST_YEAR else None,
            pillar=pillars.get(pillar_slug, fallback_pillar),
            porteur_name=rng.choice(PORTEURS[kind]),
            porteur_kind=kind,
            # « mené(e) » would depend on the title's gender: the sentence avoids it.
            summary=f"Projet d’exemple avec les habitants : {title.lower()}, pour animer le quartier et créer "
            "des occasions de rencontre.",
            description="<p>Ce projet est fictif : il illustre le catalogue en attendant les projets réels.</p>",
            participants=rng.choice([None, rng.randrange(10, 300)]),
            budget=budget,
            funding=funding,
            status=status,
            place=rng.choice(PLACES),
            outcome=(
                "<p>Exemple : une vingtaine de séances ont eu lieu. Les habitants ont proposé de recommencer "
                "l’année suivante.</p>"
                if status == Project.Status.DONE
                else ""
            ),
            is_published=True,
            is_example=True,
            created_at=now - timedelta(days=projects - i),
        )
        project.save()
        project.themes.set([themes[s] for s in theme_slugs if s in themes])
        remainder = budget - funding
        for order, name in enumerate(rng.sample(COFUNDERS, k=rng.randrange(0, 3))):
            share = remainder // 2 if order == 0 else None  # an amount is not always published
            ProjectCofunder.objects.create(project=project, name=name, amount=share or None, order=order)
        if quartiers:
            project.quartiers.set(rng.sample(quartiers, k=1 if rng.random() < 0.7 else min(2, len(quartiers))))
        if i < DEMO_PHOTOS:
            renditions = make_renditions(_drawing(rng))
            ProjectPhoto.objects.create(
                project=project,
                small=renditions.small,
                large=renditions.large,
                alt="Dessin d’exemple : des immeubles et des arbres sous un ciel coloré",
            )
        created.append(project)
    return f"Contrat de ville : {len(created)} projet(s) d’exemple créé(s) ({FIRST_YEAR}–{LAST_YEAR})."


def _drawing(rng):
    """A simple drawing of buildings and trees (no real photo in demo data: nobody is shown)."""
    width, height = 1600, 1067
    image = Image.new("RGB", (width, height), (rng.randrange(120, 200), rng.randrange(170, 220), 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 820, width, height], fill=(96, 150, 80))
    x = 40
    while x < width - 200:
        w, h = rng.randrange(160, 280), rng.randrange(300, 650)
        draw.rectangle([x, 820 - h, x + w, 820], fill=(rng.randrange(150, 230), rng.randrange(120, 200), 150))
        for wy in range(820 - h + 30, 800, 70):
            for wx in range(x + 20, x + w - 30, 50):
                draw.rectangle([wx, wy, wx + 25, wy + 35], fill=(250, 240, 200))
        x += w + rng.randrange(30, 90)
    for tx in range(80, width, rng.randrange(220, 320)):
        draw.ellipse([tx - 50, 700, tx + 50, 820], fill=(40, 110, 50))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile("dessin.jpg", out.getvalue(), content_type="image/jpeg")
