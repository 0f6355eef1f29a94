"""{% staff_todo %}: at the top of the admin index, what waits for this staff member in every app."""

from django import template

from langres_portal.core import hooks

register = template.Library()


@register.inclusion_tag("admin/includes/staff_todo.html", takes_context=True)
def staff_todo(context):
    request = context.get("request")
    return {"items": hooks.staff_todo(request.user) if request is not None else []}
