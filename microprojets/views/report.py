"""The end-of-project report, on the tracking page once the grant is paid (views.public.tracking shows the form)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from langres_portal.core import ratelimit

from .. import workflow
from ..forms.report import ReportForm, photo_forms
from ..models import Report
from ..services import report as services
from . import public


def report_context(application, form=None, photos=None) -> dict:
    """What the tracking page needs to show the report form (only while « Versé »)."""
    if application.status != workflow.Status.PAID:
        sent = Report.objects.filter(application=application).first()
        return {"report_form": None, "photo_forms": [], "report_errors": False, "sent_report": sent}
    return {
        "report_form": form or ReportForm(),
        "photo_forms": photos or photo_forms(),
        "report_errors": bool(form),
        "sent_report": None,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def send_report(request, token):
    application = public.application_for_token(token)
    if request.method != "POST":
        # The form is on the tracking page (a reloaded or bookmarked address of the form comes back to it).
        return public.private(redirect(application.get_tracking_url() + "#bilan"))
    if application.status != workflow.Status.PAID:
        messages.info(request, "Le bilan de ce dossier n’est pas attendu : rien n’a été enregistré.")
        return public.private(redirect(application.get_tracking_url()), referrer="same-origin")
    if ratelimit.body_too_large(request, public.MAX_REQUEST_SIZE):
        return public.private(public.too_big(request), referrer="same-origin")
    form = ReportForm(request.POST, request.FILES)
    photos = photo_forms(request.POST, request.FILES)
    valid = form.is_valid() & all([p.is_valid() for p in photos])  # every form checked, so every error shows
    if valid:
        crumbs = [public.section_crumb(), (f"Suivi du dossier {application.reference}", None)]
        if not ratelimit.allow(request, public.RATE_SCOPE):
            return public.rate_limited(request, crumbs=crumbs)
        try:
            services.send_report(application_id=application.pk, form=form, photos=photos, request=request)
        except workflow.MoveNotAllowed as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Votre bilan est envoyé au service. Merci !")
        return public.private(redirect(application.get_tracking_url()), referrer="same-origin")
    context = {
        "application": application,
        "breadcrumbs": [public.section_crumb(), (f"Suivi du dossier {application.reference}", None)],
        **report_context(application, form, photos),
        **public.texts("microprojets-apres-depot"),
    }
    response = render(request, "microprojets/tracking.html", context)
    return public.private(response, referrer="same-origin")
