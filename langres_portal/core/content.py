"""Initial content of the site shell: identity, pages, e-mail templates (see initial_content/*.toml)."""

from .models import EmailTemplate, Page, SiteIdentity


def create_missing(model, lookup: dict, defaults: dict) -> bool:
    """Create the row if it is missing and never touch an existing one: staff edits are kept."""
    _obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
    return created


def load(data: dict) -> int:
    created = 0
    if "site" in data and not SiteIdentity.objects.exists():
        SiteIdentity.objects.create(**data["site"])
        created += 1
    for page in data.get("pages", []):
        created += create_missing(Page, {"slug": page["slug"]}, page)
    for template in data.get("email_templates", []):
        created += create_missing(EmailTemplate, {"key": template["key"]}, template)
    return created
