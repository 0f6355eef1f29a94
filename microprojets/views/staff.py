"""The instructors' views, served by the admin (ApplicationAdmin.get_urls, CallAdmin.get_urls): thin, POST only
where they change something, each behind core.permissions.can_instruct (403 otherwise), each calling a service.

After a refused POST the page opens again with a French message and what the instructor typed (kept in the
session, per application and form).
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from langres_portal.core.permissions import ROLE_INSTRUCTORS, can_instruct

from .. import workflow
from ..forms.staff import (
    AssignForm,
    CallMessageForm,
    MessageForm,
    MoveForm,
    NoteForm,
    ReplyTemplateChoiceForm,
)
from ..models import Application, Attachment, Call, Event, ReplyTemplate, StaffNote, StatusChange
from ..services import moves, review

TYPED_KEY = "microprojets-saisie-{pk}"


def require_instructor(request):
    if not can_instruct(request.user):
        raise PermissionDenied(ROLE_INSTRUCTORS)


def instructors_only(view):
    """403 to staff outside the instructors before anything else: a GET on a POST-only view included (the 405
    is for those who may post)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_instructor(request)
        return view(request, *args, **kwargs)

    return wrapped


def change_url(application_id, anchor=""):
    return reverse("admin:microprojets_application_change", args=[application_id]) + anchor


def keep_typed(request, application_id, form_name, value):
    """Remember what was typed in a refused form, for the page that opens next (once)."""
    typed = request.session.get(TYPED_KEY.format(pk=application_id), {})
    typed[form_name] = value
    request.session[TYPED_KEY.format(pk=application_id)] = typed


# --- The application's admin page ---------------------------------------------------------------------------------


def instruction_context(request, application_id) -> dict:
    """What the application's admin page shows above its fields: moves, assignment, messages, notes, thread.

    A constant number of queries whatever the number of applications, events, files and notes.
    """
    application = get_object_or_404(
        Application.objects.select_related("assigned_to").prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.select_related("by")
                .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
                .order_by("-created_at", "-pk"),
            ),
            Prefetch("staff_notes", queryset=StaffNote.objects.select_related("by")),
        ),
        pk=application_id,
    )
    typed = request.session.pop(TYPED_KEY.format(pk=application_id), {})
    moves_typed = typed.get("move", {})
    buttons = [
        {
            "move": move,
            "comment": moves_typed.get("comment", "") if moves_typed.get("target") == move.target else "",
            "field_id": f"commentaire-{move.target}",
        }
        for move in workflow.moves_from(application.status, workflow.Actor.STAFF)
    ]
    template_form = ReplyTemplateChoiceForm(request.GET or None)
    message_text = typed.get("message", "")
    if template_form.is_bound and template_form.is_valid() and template_form.cleaned_data["modele"]:
        message_text = template_form.cleaned_data["modele"].body
    return {
        "instruction": {
            "application": application,
            "buttons": buttons,
            "assign_form": AssignForm(
                initial={"assigned_to": application.assigned_to_id}, instructors=review.instructors()
            ),
            "template_form": template_form if ReplyTemplate.objects.exists() else None,
            "message_form": MessageForm(initial={"text": message_text}),
            "note_form": NoteForm(initial={"text": typed.get("note", "")}),
            "thread": list(application.events.all()),
            "notes": list(application.staff_notes.all()),
        }
    }


@instructors_only
@require_POST
def move(request, pk):
    """One of the page's buttons: the move goes through services.moves.move(), which refuses a forged target, a
    stale page (expected_version) or a missing reason with a French message; nothing changes then."""
    require_instructor(request)
    application = get_object_or_404(Application, pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_text())
        keep_typed(request, pk, "move", {"target": request.POST.get("target", ""), "comment": ""})
        return redirect(change_url(pk, "#instruction"))
    data = form.cleaned_data
    try:
        moved = moves.move(
            application_id=application.pk,
            target=data["target"],
            actor=workflow.Actor.STAFF,
            by=request.user,
            comment=data["comment"],
            expected_version=data["expected_version"],
            request=request,
        )
    except workflow.MoveNotAllowed as refused:
        messages.error(request, refused.message)
        keep_typed(request, pk, "move", {"target": data["target"], "comment": data["comment"]})
        return redirect(change_url(pk, "#instruction"))
    messages.success(
        request,
        f"Le dossier est maintenant « {moved.application.get_status_display()} ». "
        "Le porteur en est prévenu par courriel et sur sa page de suivi.",
    )
    return redirect(change_url(pk))


@instructors_only
@require_POST
def assign(request, pk, model_admin):
    require_instructor(request)
    application = get_object_or_404(Application, pk=pk)
    form = AssignForm(request.POST, instructors=review.instructors())
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["assigned_to"]))
        return redirect(change_url(pk, "#instruction"))
    user = form.cleaned_data["assigned_to"]
    review.assign(application_id=application.pk, to=user, by=request.user)
    name = (user.get_full_name() or user.get_username()) if user else "personne"
    model_admin.log_change(request, application, f"Dossier attribué à {name}.")
    messages.success(request, f"Dossier attribué à {name}.")
    return redirect(change_url(pk, "#instruction"))


@instructors_only
@require_POST
def message(request, pk):
    require_instructor(request)
    application = get_object_or_404(Application, pk=pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["text"]))
        keep_typed(request, pk, "message", request.POST.get("text", "")[:5000])
        return redirect(change_url(pk, "#message"))
    review.send_message(
        application_id=application.pk, text=form.cleaned_data["text"], by=request.user, request=request
    )
    messages.success(
        request, "Message envoyé : il est sur la page de suivi du porteur, qui en est prévenu par courriel."
    )
    return redirect(change_url(pk, "#echanges"))


@instructors_only
@require_POST
def note(request, pk):
    require_instructor(request)
    application = get_object_or_404(Application, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["text"]))
        keep_typed(request, pk, "note", request.POST.get("text", "")[:5000])
        return redirect(change_url(pk, "#notes"))
    review.add_note(application_id=application.pk, text=form.cleaned_data["text"], by=request.user)
    messages.success(request, "Note interne ajoutée (jamais montrée au porteur).")
    return redirect(change_url(pk, "#notes"))


def summary(request, pk, model_admin):
    """A printable summary of the application (print stylesheet: static/microprojets/print-summary.css)."""
    require_instructor(request)
    application = get_object_or_404(
        Application.objects.select_related("call", "quartier", "pillar", "assigned_to").prefetch_related(
            "budget_lines",
            "attachments",
            Prefetch(
                "status_changes", queryset=StatusChange.objects.select_related("by").order_by("created_at", "pk")
            ),
        ),
        pk=pk,
    )
    fields = [
        (Application._meta.get_field(name).verbose_name, display_value(application, name))
        for name in Application.PORTEUR_FIELDS + Application.PROJECT_FIELDS
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Application._meta,
        "title": f"Dossier {application.reference}",
        "application": application,
        "porteur": fields[: len(Application.PORTEUR_FIELDS)],
        "project": fields[len(Application.PORTEUR_FIELDS) :],
        "is_nav_sidebar_enabled": False,
    }
    return TemplateResponse(request, "admin/microprojets/application/summary.html", context)


def display_value(application, name):
    field = Application._meta.get_field(name)
    if field.choices:
        return getattr(application, f"get_{name}_display")()
    value = getattr(application, name)
    return "—" if value in (None, "") else value


# --- A call's page: one message to all its applicants -------------------------------------------------------------


def call_message(request, pk, model_admin):
    require_instructor(request)
    call = get_object_or_404(Call, pk=pk)
    form = CallMessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        count = review.message_call(
            call_id=call.pk,
            text=form.cleaned_data["text"],
            by=request.user,
            include_finished=form.cleaned_data["include_finished"],
            request=request,
        )
        messages.success(
            request, f"Message envoyé à {count} dossier{'s' if count > 1 else ''} : un courriel par porteur."
        )
        return redirect(reverse("admin:microprojets_call_change", args=[call.pk]))
    waiting = call.applications.exclude(status__in=workflow.FINAL).count()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Call._meta,
        "original": call,
        "title": f"Écrire à tous les porteurs de « {call} »",
        "call": call,
        "form": form,
        "waiting": waiting,
        "total": call.applications.count(),
        "is_nav_sidebar_enabled": False,
    }
    status = 200 if not form.errors else 400
    return TemplateResponse(request, "admin/microprojets/call/message.html", context, status=status)
