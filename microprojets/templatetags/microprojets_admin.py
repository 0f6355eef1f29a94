"""The microprojets' admin tags: amounts as people read them, and the instructors' dashboard on the index."""

from django import template

from langres_portal.core.permissions import can_instruct

from .. import dashboard, formats

register = template.Library()


@register.filter
def euros(value):
    return "" if value is None or value == "" else formats.euros(value)


@register.inclusion_tag("admin/microprojets/dashboard.html", takes_context=True)
def instruction_dashboard(context):
    """The dashboard for the instructors; nothing (and no query) for the rest of the staff."""
    request = context.get("request")
    if request is None or not can_instruct(request.user):
        return {"show": False}
    return {"show": True, **dashboard.dashboard()}
