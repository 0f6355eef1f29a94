"""{% glossary text %}: a page's editable text with the policy's words explained where they first appear."""

from django import template

from langres_portal.core import glossary as service

register = template.Library()


@register.simple_tag(takes_context=True, name="glossary")
def glossary_tag(context, value):
    return service.mark(context.get("request"), value)
