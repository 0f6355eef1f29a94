"""Initial content of the PRE (file pre.toml): the parts of the page, the FAQ, the team and the settings."""

from langres_portal.core.content import create_missing

from .models import FaqEntry, PreSettings, Section, TeamMember


def load(data: dict) -> int:
    pre = data.get("pre", {})
    created = 0
    if "settings" in pre and not PreSettings.objects.exists():
        PreSettings.objects.create(**pre["settings"])
        created += 1
    for section in pre.get("sections", []):
        created += create_missing(Section, {"slug": section["slug"]}, section)
    # Questions and team members have no natural key: they are created once, when the table is empty, so that
    # what staff deleted or reworded stays so.
    if not FaqEntry.objects.exists():
        created += len(FaqEntry.objects.bulk_create(FaqEntry(**entry) for entry in pre.get("faq", [])))
    if not TeamMember.objects.exists():
        created += len(TeamMember.objects.bulk_create(TeamMember(**member) for member in pre.get("team", [])))
    return created
