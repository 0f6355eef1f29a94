from django import template

register = template.Library()


@register.filter
def thousands(value):
    """12500 -> « 12 500 » (narrow no-break space, as French typography wants)."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", "\u202f")


@register.simple_tag
def page_url(query, number, anchor=""):
    """The link to page `number` of a list, keeping its filters, and landing on `anchor` if given."""
    url = f"?{query}&page={number}" if query else f"?page={number}"
    return f"{url}#{anchor}" if anchor else url


@register.filter
def pluriel(value):
    """French plural mark: « 0 projet », « 1 projet », « 2 projets » (Django's pluralize says « 0 projets »)."""
    try:
        return "s" if abs(int(value)) >= 2 else ""
    except (TypeError, ValueError):
        return ""
