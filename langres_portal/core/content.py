"""Initial content of the site shell: identity, pages, e-mail templates, glossary, home blocks, easy-to-read pages
(see initial_content/*.toml)."""

from .fields import sanitize_html
from .models import EasyReadBlock, EasyReadPage, EmailTemplate, GlossaryTerm, HomeBlock, Page, SiteIdentity


def create_missing(model, lookup: dict, defaults: dict) -> bool:
    """Create the row if it is missing and never overwrite what staff wrote: staff edits are kept.

    A field may still be corrected in the content file (a typo): the entry's `former` table lists, by field, the
    texts the file used to give it. A row whose field still holds one of them was never edited by staff, so it
    gets the file's current text; any other value is staff's and stays.
    """
    defaults = dict(defaults)
    former = defaults.pop("former", None) or {}
    obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
    if not created and former:
        fixed = [
            name
            for name, olds in former.items()
            if name in defaults and getattr(obj, name) != defaults[name] and _is_one_of(getattr(obj, name), olds)
        ]
        for name in fixed:
            setattr(obj, name, defaults[name])
        if fixed:
            obj.save(update_fields=[*fixed, *(["updated_at"] if hasattr(obj, "updated_at") else [])])
    return created


def _is_one_of(value, olds) -> bool:
    olds = [olds] if isinstance(olds, str) else olds
    # Rich text is stored sanitised: compare with the sanitised form of the old text too.
    return any(value == old or value == sanitize_html(old) for old in olds)


def load(data: dict) -> int:
    created = 0
    if "site" in data and not SiteIdentity.objects.exists():
        SiteIdentity.objects.create(**data["site"])
        created += 1
    for page in data.get("pages", []):
        created += create_missing(Page, {"slug": page["slug"]}, page)
    for template in data.get("email_templates", []):
        created += create_missing(EmailTemplate, {"key": template["key"]}, template)
    for term in data.get("glossary", []):
        created += create_missing(GlossaryTerm, {"slug": term["slug"]}, term)
    for block in data.get("home_blocks", []):
        created += create_missing(HomeBlock, {"key": block["key"]}, block)
    for item in data.get("easy_read", []):
        item = dict(item)
        blocks = item.pop("blocks", [])
        page, page_created = EasyReadPage.objects.get_or_create(slug=item["slug"], defaults=item)
        created += page_created
        # Its parts are created with the page, once: staff may reword, reorder or delete them afterwards.
        if page_created:
            created += len(EasyReadBlock.objects.bulk_create(EasyReadBlock(page=page, **b) for b in blocks))
    return created
