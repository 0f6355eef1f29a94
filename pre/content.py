"""Initial content of the PRE (file pre.toml): the parts of the page, the FAQ, the team and the settings."""

from langres_portal.core.content import create_missing

from .models import FaqEntry, PreSettings, Section, TeamMember


def load(data: dict) -> int:
    pre = data.get("pre", {})
    created = 0
    for section in pre.get("sections", []):
        created += create_missing(Section, {"slug": section["slug"]}, section)
    if "settings" in pre and not PreSettings.objects.exists():
        # First load on this site. Questions and team members have no natural key, so they are created now,
        # once: a question staff reworded or deleted later stays so (the settings row cannot be deleted).
        PreSettings.objects.create(**pre["settings"])
        created += 1
        created += len(FaqEntry.objects.bulk_create(FaqEntry(**entry) for entry in pre.get("faq", [])))
        created += len(TeamMember.objects.bulk_create(TeamMember(**member) for member in pre.get("team", [])))
    return created
