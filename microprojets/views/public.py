"""Public pages of the microprojets: scheme and calls, eligibility check, form, recap, receipt, tracking, figures and
open data."""

import csv
import logging
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from langres_portal.core import ratelimit
from langres_portal.core import views as core_views
from langres_portal.core.emails import queue_email
from langres_portal.core.models import Page, SiteIdentity

from .. import eligibility, opendata, workflow
from ..forms.public import ComplementForm, EligibilityForm, EngagementForm, ResendLinkForm, WithdrawForm
from ..forms.submission import Submission
from ..models import MAX_FILE_SIZE, MAX_FILES, Application, Attachment, BudgetLine, Call, Draft, Event
from ..services import committee, review
from ..services import submission as services

logger = logging.getLogger(__name__)

SECTION_SLUG = "microprojets"
SECTION_TITLE = "Microprojets"  # the section's name in the main menu, while its intro Page is unpublished
FIGURES_TITLE = "Les microprojets en chiffres"  # the figures page's title while its editable Page is missing
RATE_SCOPE = "microprojets-depot"
DRAFT_RATE_SCOPE = "microprojets-brouillon"
DRAFT_RATE_LIMIT = 30
DRAFT_CREATE_SCOPE = "microprojets-nouveau-brouillon"
# The files at their maximum and 2 Mo for the text fields: anything bigger is refused before Django reads the body.
MAX_REQUEST_SIZE = MAX_FILES * MAX_FILE_SIZE + 2 * 1024 * 1024


def texts(*slugs):
    """Editable texts of the section, by slug (missing ones are None)."""
    pages = {p.slug: p for p in Page.objects.published().filter(slug__in=slugs)}
    return {slug.replace("-", "_"): pages.get(slug) for slug in slugs}


def section_crumb():
    return core_views.section_crumb(SECTION_SLUG, SECTION_TITLE, "microprojets:index")


def private(response, referrer="no-referrer"):
    """Pages reached through a private link: not indexed, the link never leaks in a Referer header.

    Pages with a form posting to itself use "same-origin": with "no-referrer", browsers send `Origin: null`
    and Django's CSRF check refuses the POST. Their link then only ever goes to this site.
    """
    response["Referrer-Policy"] = referrer
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store, private"
    return response


def current_call(now=None):
    return Call.objects.open_at(now).prefetch_related("documents").order_by("closes_at").first()


@require_safe
def index(request):
    page = core_views.section_page(SECTION_SLUG, SECTION_TITLE)
    now = timezone.now()
    call = current_call(now)
    next_call = None if call else Call.objects.upcoming(now).prefetch_related("documents").first()
    funded = Application.objects.funded().select_related("call", "quartier").order_by("-submitted_at")[:12]
    return render(
        request,
        "microprojets/index.html",
        {
            "page": page,
            "call": call,
            "next_call": next_call,
            "committee_date": committee.next_committee_date(call or next_call) or committee.next_committee_date(),
            "funded": funded,
            "breadcrumbs": [(page.title, None)],
            **texts("microprojets-aucun-appel", "microprojets-comite", "microprojets-a-preparer"),
        },
    )


@require_safe
def eligibility_check(request):
    call = current_call() or Call.objects.upcoming().first()
    form = EligibilityForm(request.GET or None)
    committee_date = committee.next_committee_date(call) if call else committee.next_committee_date()
    if committee_date:
        # Nobody can answer « after the next committee? » without its date.
        form.fields["dates"].help_text = f"Prochain comité de sélection : {date_format(committee_date, 'l j F Y')}."
    result = None
    apply_url, prefilled = reverse("microprojets:apply"), False
    if form.is_bound and form.is_valid():
        result = eligibility.assess(form.cleaned_data, call, SiteIdentity.current())
        if query := eligibility.prefill_query(form.cleaned_data):
            apply_url, prefilled = f"{apply_url}?{urlencode(query)}", True
    page_texts = texts("microprojets-eligibilite")
    title = (
        page_texts["microprojets_eligibilite"].title
        if page_texts["microprojets_eligibilite"]
        else "Suis-je éligible ?"
    )
    context = {
        "form": form,
        "call": call,
        "result": result,
        "apply_url": apply_url,
        "prefilled": prefilled,
        "breadcrumbs": [section_crumb(), (title, None)],
        **page_texts,
    }
    return render(request, "microprojets/eligibility.html", context)


def closed_response(request, status=200):
    now = timezone.now()
    context = {
        "next_call": Call.objects.upcoming(now).first(),
        "breadcrumbs": [section_crumb(), ("Déposer un projet", None)],
        **texts("microprojets-aucun-appel"),
    }
    return render(request, "microprojets/closed.html", context, status=status)


def rate_limited(request, draft=None, crumbs=()):
    response = core_views.error_response(
        request, "429", "microprojets/rate_limited.html", breadcrumbs=list(crumbs) or None
    )
    return private(response, referrer="same-origin") if draft or crumbs else response


def may_create_draft(request, draft):
    """A new draft counts against the client's daily cap (each may hold files); saving an existing one does not."""
    return draft is not None or ratelimit.allow(
        request, DRAFT_CREATE_SCOPE, settings.DRAFT_CREATE_LIMIT_PER_DAY, period=86400
    )


def too_big(request):
    return core_views.error_response(
        request, "413", "microprojets/too_big.html", breadcrumbs=[section_crumb(), ("Déposer un projet", None)]
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request, token=None):
    """The form: empty, or a resumed draft; POST either saves a draft or goes to the recap page."""
    draft = None
    if token is not None:
        draft = Draft.objects.select_related("call").filter(token=token).first()
        if draft is None:
            # Already sent (the link of the draft's e-mail, the « Modifier » link of an old tab).
            return already_sent(request, get_object_or_404(Application, source_token=token), token)
        call = draft.call if draft.call.is_open() else None
    else:
        call = current_call()
    if call is None:
        return private(closed_response(request), referrer="same-origin") if draft else closed_response(request)
    kept = list(draft.attachments.all()) if draft else []
    if request.method == "GET":
        if draft and request.GET.get("verifier"):
            # Back from the recap because something is no longer valid (a date now past…): show why.
            submission = Submission(call, data=draft.data, kept=kept)
            submission.is_valid()
        else:
            initial = draft.data if draft else eligibility.prefill_initial(request.GET) or None
            submission = Submission(call, kept=kept, initial=initial)
        return render_form(request, call, submission, draft)

    if ratelimit.body_too_large(request, MAX_REQUEST_SIZE):
        return private(too_big(request), referrer="same-origin") if draft else too_big(request)
    action = request.POST.get("action", "recap")
    submission = Submission(call, data=request.POST, files=request.FILES, kept=kept)
    if submission.form.data.get("website"):
        submission.form.is_valid()
        return render_form(request, call, submission, draft, status=400)
    # Every POST may store a draft (and files): a generous per-IP limit keeps robots from filling the disk.
    if not ratelimit.allow(request, DRAFT_RATE_SCOPE, DRAFT_RATE_LIMIT):
        return rate_limited(request, draft)
    if action == "draft":
        if not submission.is_storable():
            # Nothing is stored (not even the valid files): what was typed is shown again, with why.
            return render_form(request, call, submission, draft, status=200)
        if not may_create_draft(request, draft):
            return rate_limited(request, draft)
        draft = services.save_draft(
            call=call, draft=draft, data=submission.data_to_store(), attachments=submission.attachments
        )
        if draft.email:
            queue_email(
                key="microprojets-lien-brouillon",
                to=[draft.email],
                context={
                    "resume_url": request.build_absolute_uri(reverse("microprojets:resume", args=[draft.token])),
                    "call": call.title,
                    "closes_at": timezone.localtime(call.closes_at),
                },
            )
        return redirect(reverse("microprojets:draft_saved", args=[draft.token]), permanent=False)

    if submission.is_valid():
        if not may_create_draft(request, draft):
            return rate_limited(request, draft)
        draft = services.save_draft(
            call=call, draft=draft, data=submission.data_to_store(), attachments=submission.attachments
        )
        return redirect("microprojets:recap", token=draft.token)
    if submission.attachments.checked and not submission.has_storage_errors() and may_create_draft(request, draft):
        # Valid files are kept with a draft, so the applicant does not choose them again.
        draft = services.save_draft(
            call=call, draft=draft, data=submission.data_to_store(), attachments=submission.attachments
        )
        submission.attachments.kept = list(draft.attachments.all())
        submission.attachments.fields["remove"] = submission.attachments.base_fields["remove"]
        submission.attachments.fields["remove"].choices = [
            (str(a.pk), a.original_name) for a in submission.attachments.kept
        ]
    return render_form(request, call, submission, draft, status=200)


SENT_SESSION_KEY = "microprojets-envoyes"
RESEND_SCOPE = "microprojets-lien"


def remember_sent(request, token):
    """This browser sent the draft `token`: a second click on « Envoyer » shows it the receipt again."""
    request.session[SENT_SESSION_KEY] = [*request.session.get(SENT_SESSION_KEY, [])[-9:], token]


def already_sent(request, application, token):
    """The link of a draft that became an application: say so, offer to mail its tracking link, never show it.

    The draft's link may have been forwarded or left in a shared browser: it must not open the application.
    """
    url = reverse("microprojets:resume", args=[token])
    if request.method == "POST" and request.POST.get("action") == "renvoyer-suivi":
        response = redirect(url + "?renvoye=1")
        if ratelimit.allow(request, RESEND_SCOPE):
            after_response(response, partial(services.resend_tracking_link, application.pk, request))
        return private(response, referrer="same-origin")
    if request.method == "POST":
        # Any other POST (the old draft form sent again, a forged body): the page is shown by GET.
        return private(redirect(url), referrer="same-origin")
    context = {
        "application": application,
        "form_action": url,
        "resent": request.GET.get("renvoye") == "1",
        "breadcrumbs": [section_crumb(), ("Dossier déjà envoyé", None)],
    }
    return private(render(request, "microprojets/already_sent.html", context), referrer="same-origin")


def after_response(response, work):
    """Run `work` once the answer is sent (the WSGI server closes the response), so its time never shows.

    A failure is logged, never shown: the answer is already gone.
    """
    close = response.close

    def work_then_close():
        try:
            with transaction.atomic():
                work()
        except Exception:
            logger.exception("Travail après la réponse en échec")
        finally:
            close()

    response.close = work_then_close
    return response


def render_form(request, call, submission, draft, status=200):
    errors = submission.errors() if submission.bound else []
    context = {
        "call": call,
        "submission": submission,
        "form": submission.form,
        "draft": draft,
        "errors": errors,
        "form_action": reverse("microprojets:resume", args=[draft.token]) if draft else reverse("microprojets:apply"),
        "breadcrumbs": [section_crumb(), ("Déposer un projet", None)],
        **texts("microprojets-donnees-formulaire", "microprojets-formulaire", "microprojets-a-preparer"),
    }
    response = render(request, "microprojets/apply.html", context, status=status)
    return private(response, referrer="same-origin") if draft else response


@never_cache
@require_safe
def draft_saved(request, token):
    draft = get_object_or_404(Draft.objects.select_related("call"), token=token)
    context = {
        "draft": draft,
        "resume_url": request.build_absolute_uri(reverse("microprojets:resume", args=[draft.token])),
        "breadcrumbs": [section_crumb(), ("Brouillon enregistré", None)],
        **texts("microprojets-brouillon"),
    }
    return private(render(request, "microprojets/draft_saved.html", context))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def recap(request, token):
    draft = Draft.objects.select_related("call").filter(token=token).first()
    if draft is None:
        application = get_object_or_404(Application, source_token=token)
        if token in request.session.get(SENT_SESSION_KEY, []):
            # This browser sent it (a second click, the back button): its receipt again.
            return redirect("microprojets:receipt", token=application.tracking_token)
        return already_sent(request, application, token)
    call = draft.call
    kept = list(draft.attachments.all())
    submission = Submission(call, data=draft.data, kept=kept)
    if not submission.is_valid():
        return redirect(reverse("microprojets:resume", args=[draft.token]) + "?verifier=1")
    engagement = EngagementForm(request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and engagement.is_valid():
        if not ratelimit.allow(request, RATE_SCOPE):
            return rate_limited(request, draft)
        try:
            application, created = services.submit_draft(token=token, request=request)
        except services.CallClosed:
            error = (
                f"L’appel à projets « {call.title} » est clos depuis le "
                f"{timezone.localtime(call.closes_at):%d/%m/%Y à %H:%M} : le dossier n’a pas pu être envoyé. "
                "Votre brouillon est conservé ; contactez le service."
            )
        except (Draft.DoesNotExist, ValueError):
            return redirect(reverse("microprojets:resume", args=[token]) + "?verifier=1")
        else:
            if created:
                remember_sent(request, token)
            elif token not in request.session.get(SENT_SESSION_KEY, []):
                return already_sent(request, application, token)
            return redirect("microprojets:receipt", token=application.tracking_token)
    context = {
        "call": call,
        "draft": draft,
        "submission": submission,
        "form": engagement,
        "error": error,
        "expenses": submission.expenses.lines(),
        "resources": submission.resources.lines(),
        "amount_requested": submission.budget.cleaned_data["amount_requested"],
        "expenses_total": submission.expenses.total(),
        "resources_total": submission.resources.total() + submission.budget.cleaned_data["amount_requested"],
        "attachments": kept,
        "has_quote": any(a.kind == Attachment.Kind.QUOTE for a in kept),
        "breadcrumbs": [
            section_crumb(),
            ("Déposer un projet", reverse("microprojets:resume", args=[token])),
            ("Récapitulatif", None),
        ],
        **texts("microprojets-donnees-formulaire", "microprojets-conseil-devis"),
    }
    status = 200 if error is None else 409
    return private(render(request, "microprojets/recap.html", context, status=status), referrer="same-origin")


def application_for_token(token):
    queryset = Application.objects.select_related("call", "quartier", "pillar").prefetch_related(
        "budget_lines",
        "attachments",
        # The thread, newest first; each answer of the applicant with its files.
        Prefetch(
            "events",
            queryset=Event.objects.prefetch_related(
                Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
            ).order_by("-created_at", "-pk"),
        ),
    )
    return get_object_or_404(committee.with_committee_dates(queryset), tracking_token=token)


def may_reply(application) -> bool:
    """The applicant answers the service (message, files) until the application is finished."""
    return application.status not in workflow.FINAL


def may_withdraw(application) -> bool:
    return workflow.can_move(application.status, workflow.Status.WITHDRAWN, workflow.Actor.APPLICANT)


@never_cache
@require_safe
def receipt(request, token):
    application = application_for_token(token)
    context = {
        "application": application,
        "tracking_url": request.build_absolute_uri(application.get_tracking_url()),
        "breadcrumbs": [section_crumb(), ("Dossier envoyé", None)],
        **texts("microprojets-apres-depot"),
        "committee_date": committee.committee_date_for(application),
    }
    return private(render(request, "microprojets/receipt.html", context))


@never_cache
@require_safe
def tracking(request, token):
    from . import report as report_views  # it imports this module

    application = application_for_token(token)
    context = {
        "application": application,
        "breadcrumbs": [section_crumb(), (f"Suivi du dossier {application.reference}", None)],
        "may_reply": may_reply(application),
        "may_withdraw": may_withdraw(application),
        **texts("microprojets-apres-depot"),
        "committee_date": committee.committee_date_for(application),
        **report_views.report_context(application),
    }
    # The report form posts from this page: same-origin, or the browser's Origin: null fails the CSRF check.
    referrer = "same-origin" if context["report_form"] else "no-referrer"
    return private(render(request, "microprojets/tracking.html", context), referrer=referrer)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complement(request, token):
    """The applicant answers the service (a complement it asked for, a question) with a message and files, from
    the tracking link, until the application is finished; the answer to « Complément demandé » puts it back in
    instruction (services.submission.add_complement)."""
    application = application_for_token(token)
    crumbs = [section_crumb(), (f"Suivi du dossier {application.reference}", application.get_tracking_url())]
    crumbs.append(("Répondre au service", None))
    if not may_reply(application):
        context = {"application": application, "breadcrumbs": crumbs, "form": None}
        return private(render(request, "microprojets/complement.html", context), referrer="same-origin")
    if request.method == "POST" and ratelimit.body_too_large(request, MAX_REQUEST_SIZE):
        return private(too_big(request), referrer="same-origin")
    # Bound on any POST, even one without a field of the form (a JSON body…): it then gets its error messages.
    posted = request.method == "POST"
    form = ComplementForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(request, RATE_SCOPE):
            return rate_limited(request, crumbs=crumbs)
        services.add_complement(application, form, request)
        messages.success(request, "Votre complément est envoyé au service. Merci.")
        return redirect(application.get_tracking_url())
    context = {"application": application, "form": form, "breadcrumbs": crumbs}
    return private(render(request, "microprojets/complement.html", context), referrer="same-origin")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, token):
    """« Retirer ma demande »: a confirmation page, then the move by the applicant (before a decision only)."""
    application = application_for_token(token)
    crumbs = [section_crumb(), (f"Suivi du dossier {application.reference}", application.get_tracking_url())]
    crumbs.append(("Retirer ma demande", None))
    allowed = may_withdraw(application)
    posted = request.method == "POST"
    form = WithdrawForm(request.POST if posted else None, initial={"expected_version": application.version})
    error = None
    if allowed and posted and form.is_valid():
        try:
            review.withdraw(
                application_id=application.pk,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["expected_version"],
                request=request,
            )
        except workflow.MoveNotAllowed as refused:
            error = refused.message
        else:
            messages.success(request, "Votre demande est retirée. Le service en est prévenu.")
            return redirect(application.get_tracking_url())
    if posted and "expected_version" in form.errors:
        error = "La page a expiré : rouvrez-la depuis votre page de suivi, puis recommencez."
    context = {"application": application, "form": form, "allowed": allowed, "error": error, "breadcrumbs": crumbs}
    status = 409 if error else 200
    return private(render(request, "microprojets/withdraw.html", context, status=status), referrer="same-origin")


@require_http_methods(["GET", "HEAD", "POST"])
def resend_link(request):
    form = ResendLinkForm(request.POST if request.method == "POST" else None)
    crumbs = [section_crumb(), ("Retrouver mon dossier", None)]
    if request.method == "POST" and form.is_valid():
        response = redirect(reverse("microprojets:resend_link") + "?envoye=1")
        if ratelimit.allow(request, RESEND_SCOPE):
            # The lookup and the mail wait until the answer is sent: its time is the same for every address.
            after_response(response, partial(services.resend_links, form.cleaned_data["email"], request))
        # The same answer whatever happened: it never tells whether the address has applications.
        return response
    context = {
        "form": form,
        "sent": request.GET.get("envoye") == "1",
        "breadcrumbs": crumbs,
        **texts("microprojets-renvoi-liens", "microprojets-renvoi-liens-envoye"),
    }
    return render(request, "microprojets/resend_link.html", context)


@require_safe
def grants_csv(request):
    """The grants decided, in the SCDL « subventions » standard: comma-separated UTF-8, as the standard says."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="subventions-microprojets.csv"'
    names = [c["name"] for c in opendata.columns()]
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(names)
    site = SiteIdentity.current()
    if site.siret:  # without the attributor's SIRET no row would be valid: the file says only its columns
        for row in opendata.rows(site, opendata.published_grants()):
            writer.writerow([opendata.as_csv_cell(row[name]) for name in names])
    return core_views.open_data(response)


@require_safe
def figures(request):
    page = texts("microprojets-chiffres")["microprojets_chiffres"]
    title = page.title if page else FIGURES_TITLE
    site = SiteIdentity.current()
    context = {
        **opendata.figures(),
        "columns": opendata.columns(),
        "has_siret": bool(site.siret),
        "published_count": opendata.published_grants().count() if site.siret else 0,
        "title": title,
        "page": page,
        "breadcrumbs": [section_crumb(), (title, None)],
    }
    return render(request, "microprojets/figures.html", context)


@never_cache
@require_safe
def dossier(request, token):
    """Everything the applicant sent, to read again or print (the tracking page's private link, plus /dossier/)."""
    application = application_for_token(token)
    lines = list(application.budget_lines.all())
    expenses = [line for line in lines if line.kind == BudgetLine.Kind.EXPENSE]
    resources = [line for line in lines if line.kind == BudgetLine.Kind.RESOURCE]
    context = {
        "application": application,
        "a": application,
        "expenses": expenses,
        "resources": resources,
        "amount_requested": application.amount_requested,
        "expenses_total": application.expenses_total,
        "resources_total": application.resources_total,
        "attachments": list(application.attachments.all()),
        "breadcrumbs": [
            section_crumb(),
            (f"Suivi du dossier {application.reference}", application.get_tracking_url()),
            ("Dossier envoyé", None),
        ],
    }
    return private(render(request, "microprojets/dossier.html", context))
