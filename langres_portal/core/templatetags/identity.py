"""Filters for the site's shell (header, footer)."""

from urllib.parse import urlparse

from django import template

register = template.Library()


@register.filter
def host(url):
    """The host name of an address, as people read it: https://www.example.org/ → www.example.org."""
    try:
        return urlparse(url).hostname or url
    except ValueError:
        return url
