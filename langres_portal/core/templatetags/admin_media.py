"""The admin forms' media with the request's CSP nonce, for the rich text editor's import map."""

from django import template
from js_asset import Media

register = template.Library()


@register.simple_tag(takes_context=True)
def media_with_nonce(context, media):
    """Render the form media; when it carries an import map (an inline script, django-prose-editor's), give its
    tags the request's CSP nonce and mark the request, so that core.middleware.CSPMiddleware adds that nonce to
    the page's script-src. Media without an import map renders as {{ media }} does, with no nonce."""
    request = context.get("request")
    if request is None or getattr(media, "_importmap", None) is None:
        return media.render()
    request.csp_importmap_nonce = True
    return Media.from_media(media).with_nonce(str(request.csp_nonce)).render()
