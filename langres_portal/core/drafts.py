"""Drafts and their preview: what staff have not published yet is a 404 for visitors, and for staff who may see it
the page itself, under a banner « Brouillon — non visible du public », never stored by any cache.

A model with an `is_published` flag uses PublishableQuerySet (or its two methods); a public view fetches through
`visible_to(request.user)`, calls `note_draft(request, obj)` and is wrapped in `@preview_aware`.
"""

from functools import wraps

from django.db import models
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers


def can_preview(user, model) -> bool:
    """Staff (second factor given: see staff_auth) allowed to see this model in the admin."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Published rows for visitors; drafts too for staff who may see them (their page shows the banner)."""
        return self if can_preview(user, self.model) else self.published()


def note_draft(request, *objects):
    """Mark the page as a preview when any of `objects` is a draft: base.html shows the banner, with a link to
    each draft in the admin."""
    drafts = [obj for obj in objects if obj is not None and not getattr(obj, "is_published", True)]
    if drafts:
        request.draft_preview = [
            {"name": str(obj), "admin_url": reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change",
                                                    args=[obj.pk])}
            for obj in drafts
        ]  # fmt: skip
    return bool(drafts)


def preview_aware(view):
    """A page that may show a draft to staff: the banner's page is never cached (not by the browser's shared
    caches nor by a page cache), and no page varies for staff without saying so."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if getattr(request, "draft_preview", None):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        elif getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
