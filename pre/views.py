"""Public pages of the PRE: the page for families and partners, the request to be called back, the vCard."""

import logging

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from langres_portal.core import ratelimit
from langres_portal.core.drafts import note_draft, preview_aware
from langres_portal.core.emails import queue_email
from langres_portal.core.models import Page, SiteIdentity
from langres_portal.core.views import section_crumb, section_page

from .forms import ContactRequestForm
from .models import FaqEntry, PreSettings, Section, TeamMember
from .vcard import make_vcard

logger = logging.getLogger(__name__)

SECTION_SLUG = "reussite-educative"
SECTION_TITLE = "Réussite éducative"  # the section's name in the main menu, while its intro Page is unpublished
CONTACT_PAGE_SLUG = "reussite-educative-contact"
DONE_PAGE_SLUG = "reussite-educative-contact-envoyee"
RATE_LIMIT_SCOPE = "pre-contact"
NOTIFICATION_EMAIL_KEY = "pre-nouvelle-demande"
# A filled-in form weighs a few kB; well above a 10,000-character message (so that it gets its message at the
# field), far below Django's global limit for uploads.
MAX_REQUEST_BYTES = 128 * 1024


@require_safe
@preview_aware
def index(request):
    page = section_page(SECTION_SLUG, SECTION_TITLE)
    sections = list(Section.objects.visible_to(request.user))
    note_draft(request, *sections)
    extras = {s.extra for s in sections}
    context = {
        "page": page,
        "sections": sections,
        "faq": list(FaqEntry.objects.published()) if Section.Extra.FAQ in extras else [],
        "team": list(TeamMember.objects.all()) if Section.Extra.TEAM in extras else [],
        "pre": PreSettings.current(),
        "breadcrumbs": [(page.title, None)],
    }
    return render(request, "pre/index.html", context)


def _breadcrumbs(title):
    return [section_crumb(SECTION_SLUG, SECTION_TITLE, "pre:index"), (title, None)]


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    page = Page.get_text(CONTACT_PAGE_SLUG)
    title = page.title if page else "Demander à être rappelé"
    pre = PreSettings.current()
    status, request_error = 200, ""
    if request.method == "POST":
        if ratelimit.body_too_large(request, MAX_REQUEST_BYTES):
            # Not read at all: an empty form, and the reason at the top.
            form = ContactRequestForm()
            request_error = "Votre demande est trop longue pour être envoyée. Raccourcissez votre message."
            status = 413
        else:
            form = ContactRequestForm(request.POST)
            valid = form.is_valid()
            # Counted when a request would be saved (and for robots), not for a form sent back with an error.
            if (valid or form.honeypot_filled) and not ratelimit.allow(request, RATE_LIMIT_SCOPE):
                phone = pre.phone or SiteIdentity.current().phone
                form.add_error(
                    None,
                    "Plusieurs demandes ont déjà été envoyées depuis votre connexion dans l’heure. "
                    f"Réessayez plus tard, ou appelez directement l’équipe au {phone}.",
                )
                status = 429
            elif valid:
                save_request(request, form, pre)
                response = redirect("pre:contact_done")
                response.status_code = 303  # See Other: a refresh of the next page never posts again
                return response
            else:
                status = 400
    else:
        form = ContactRequestForm()
    context = {
        "page": page,
        "title": title,
        "form": form,
        "request_error": request_error,
        "pre": pre,
        "message_warning": pre.message_warning,
        "breadcrumbs": _breadcrumbs(title),
    }
    return render(request, "pre/contact.html", context, status=status)


def save_request(request, form, pre):
    """Save the request and queue the coordinator's notice in one transaction: both exist, or neither."""
    with transaction.atomic():
        contact_request = form.save()
        recipient = pre.coordinator_email or SiteIdentity.current().email
        admin_url = request.build_absolute_uri(reverse("admin:pre_contactrequest_change", args=[contact_request.pk]))
        if not recipient:
            logger.error("Demande de contact PRE %s : aucune adresse à prévenir.", contact_request.pk)
        else:
            # No personal data in the e-mail: the date and a link that only the PRE team can open. Without its
            # template, the notice waits in the outbox, shown to staff, until the template exists again.
            queue_email(
                key=NOTIFICATION_EMAIL_KEY,
                to=[recipient],
                context={"admin_url": admin_url, "created_at": contact_request.created_at},
            )
    return contact_request


@require_safe
def contact_done(request):
    page = Page.get_text(DONE_PAGE_SLUG)
    if page is None:
        raise Http404("Page absente")
    context = {"page": page, "pre": PreSettings.current(), "breadcrumbs": _breadcrumbs(page.title)}
    return render(request, "pre/contact_done.html", context)


@require_safe
def vcard(request):
    pre = PreSettings.current()
    if not pre.pk:
        raise Http404("Coordonnées absentes")
    site = SiteIdentity.current()
    response = HttpResponse(
        make_vcard(pre, site, request.build_absolute_uri(reverse("pre:index"))),
        content_type="text/vcard; charset=utf-8",
    )
    filename = slugify(f"{pre.contact_name} {site.commune_name}") or "contact"
    response["Content-Disposition"] = f'attachment; filename="{filename}.vcf"'
    return response
