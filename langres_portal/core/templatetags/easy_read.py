"""{% easy_read_link "quartiers" %}: the « Facile à lire » link at the top of a page with an easy-to-read version."""

from django import template

from langres_portal.core.models import EasyReadPage

register = template.Library()


@register.inclusion_tag("components/easy_read_link.html")
def easy_read_link(slug):
    easy = EasyReadPage.objects.published().filter(slug=slug).only("slug").first()
    return {"url": easy.get_absolute_url() if easy else ""}
