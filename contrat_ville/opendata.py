"""Open data of the published projects: one list of columns drives the CSV, the JSON and their documentation.

Column names are stable: add new columns at the end, never rename or remove one (scripts rely on them).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    description: str


COLUMNS = [
    Column("identifiant", "Identifiant stable du projet (celui de son adresse sur le site)."),
    Column("titre", "Titre du projet."),
    Column("annee_debut", "Année de début (nombre)."),
    Column("annee_fin", "Année de fin (nombre), vide si le projet tient sur une seule année."),
    Column("pilier", "Pilier du contrat de ville."),
    Column("thematiques", "Thématiques, séparées par « | » dans le CSV (liste dans le JSON)."),
    Column("quartiers", "Quartiers concernés, séparés par « | » dans le CSV (liste dans le JSON)."),
    Column("porteur", "Nom du porteur du projet."),
    Column("type_porteur", "Type de porteur : association, groupe d’habitants, service public ou autre."),
    Column("resume", "Résumé du projet."),
    Column("participants", "Nombre de participants touchés (nombre), vide si inconnu."),
    Column("budget_euros", "Budget total en euros (nombre entier), vide si inconnu."),
    Column(
        "financement_contrat_ville_euros", "Financement du contrat de ville en euros (nombre entier), vide si inconnu."
    ),
    Column("exemple", "« oui » pour une donnée de démonstration, « non » sinon (booléen dans le JSON)."),
    Column("url", "Adresse de la page du projet."),
    Column("mis_a_jour", "Date et heure de la dernière mise à jour (ISO 8601)."),
]


def rows(request, projects):
    for p in projects:
        yield {
            "identifiant": p.slug,
            "titre": p.title,
            "annee_debut": p.year_start,
            "annee_fin": p.year_end,
            "pilier": p.pillar.name,
            "thematiques": [t.name for t in p.themes.all()],
            "quartiers": [q.name for q in p.quartiers.all()],
            "porteur": p.porteur_name,
            "type_porteur": p.get_porteur_kind_display(),
            "resume": p.summary,
            "participants": p.participants,
            "budget_euros": p.budget,
            "financement_contrat_ville_euros": p.funding,
            "exemple": p.is_example,
            "url": request.build_absolute_uri(p.get_absolute_url()),
            "mis_a_jour": p.updated_at.isoformat(timespec="seconds"),
        }


def as_csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return " | ".join(value)
    text = str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
