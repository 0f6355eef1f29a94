"""The selection committee in the admin: sessions and their members (change form), and the session's own page
(agenda, presence, votes grid, proposed decisions, « Publier les décisions »), with its agenda and minutes as
printable pages and PDF files. Every page is the instructors' only (core.permissions.can_instruct)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from langres_portal.core.permissions import ROLE_INSTRUCTORS, can_instruct

from . import pdf
from .forms.committee import AgendaAddForm, DecisionForm, VotesForm
from .models import AgendaItem, CommitteeMember, CommitteeSession, Vote
from .services import committee as services


def check_instructor(request):
    if not can_instruct(request.user):
        raise PermissionDenied(ROLE_INSTRUCTORS)


class InstructorsOnly:
    """Committees are the instructors' (and the superusers'): 403 for every other member of staff."""

    def has_module_permission(self, request):
        return can_instruct(request.user)

    def has_view_permission(self, request, obj=None):
        return can_instruct(request.user)

    def has_add_permission(self, request, obj=None):
        return can_instruct(request.user)

    def has_change_permission(self, request, obj=None):
        # A published session is the record of what was decided: read-only.
        return can_instruct(request.user) and not (obj is not None and getattr(obj, "is_published", False))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class CommitteeMemberInline(InstructorsOnly, admin.StackedInline):
    """Stacked, not tabular: each member's name, role and presence has its own label (a tabular inline's fields
    have only their column's header, and an empty header cell; axe-core and RGAA 11.1 refuse both)."""

    model = CommitteeMember
    fields = ["name", "role", "present"]
    extra = 3

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.members.exists() else self.extra


@admin.register(CommitteeSession)
class CommitteeSessionAdmin(InstructorsOnly, admin.ModelAdmin):
    list_display = ["__str__", "date", "place", "status", "items_count", "open_link"]
    list_filter = ["status"]
    search_fields = ["place"]
    date_hierarchy = "date"
    fields = ["date", "time", "place", "calls", "status", "published_at", "published_by", "open_link"]
    readonly_fields = ["status", "published_at", "published_by", "open_link"]
    inlines = [CommitteeMemberInline]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(items_total=Count("items"))

    @admin.display(description="dossiers à l’ordre du jour", ordering="items_total")
    def items_count(self, obj):
        return obj.items_total

    @admin.display(description="séance")
    def open_link(self, obj):
        if obj is None or obj.pk is None:
            return "Enregistrez la séance pour préparer son ordre du jour."
        url = reverse("admin:microprojets_committeesession_session", args=[obj.pk])
        return format_html('<a href="{}">Ordre du jour, votes et décisions du {}</a>', url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        messages.success(request, f"Séance « {obj} » créée : inscrivez maintenant les dossiers à son ordre du jour.")
        return redirect("admin:microprojets_committeesession_session", obj.pk)

    def get_urls(self):
        def view(function, name):
            return self.admin_site.admin_view(function), f"microprojets_committeesession_{name}"

        def route(pattern, function, name):
            wrapped, full_name = view(function, name)
            return path(pattern, wrapped, name=full_name)

        return [
            route("<int:pk>/seance/", self.session_view, "session"),
            route("<int:pk>/publier/", self.publish_view, "publish"),
            route("<int:pk>/ordre-du-jour/", self.agenda_view, "agenda"),
            route("<int:pk>/ordre-du-jour.pdf", self.agenda_pdf_view, "agenda_pdf"),
            route("<int:pk>/proces-verbal/", self.minutes_view, "minutes"),
            route("<int:pk>/proces-verbal.pdf", self.minutes_pdf_view, "minutes_pdf"),
            *super().get_urls(),
        ]

    # --- The session's page -----------------------------------------------------------------------------------

    def session_data(self, session):
        """Everything the session's page, its agenda and its minutes show, in a number of queries that does not
        grow with the agenda."""
        members = list(session.members.all())
        items = list(
            session.items.select_related("application__call", "application__quartier")
            .prefetch_related("votes")
            .order_by("order", "pk")
        )
        present = [m for m in members if m.present]
        for item in items:
            votes = {v.member_id: v for v in item.votes.all()}
            item.rows = [(m, votes.get(m.pk)) for m in members]
            item.voters = [m for m in present if m.pk not in votes]
            item.quorum = services.quorum(item, members)
            item.tally = {
                choice: sum(1 for v in votes.values() if v.choice == choice) for choice in Vote.Choice.values
            }
        return {
            "session": session,
            "members": members,
            "present": present,
            "items": items,
            "envelopes": services.envelopes(session, items),
            "calls": list(session.calls.all()),
        }

    def page_context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": True,
            **extra,
        }

    @staticmethod
    def with_forms(data, bound=None):
        """Each item's votes and decision forms; `bound` (kind, item id, form) is the one that was refused."""
        for item in data["items"]:
            item.votes_form = VotesForm(item=item, voters=item.voters, prefix=f"votes-{item.pk}")
            item.decision_form = DecisionForm(
                prefix=f"decision-{item.pk}",
                initial={
                    "decision": item.decision or None,
                    "amount": services.euros(item.amount).removesuffix(" €") if item.amount else "",
                    "reason": item.reason,
                },
            )
            if bound and bound[1] == item.pk:
                setattr(item, f"{bound[0]}_form", bound[2])
        return data

    def session_view(self, request, pk):
        check_instructor(request)
        session = get_object_or_404(CommitteeSession.objects.prefetch_related("calls"), pk=pk)
        add_form = AgendaAddForm(session=session)
        bound, failed = None, None
        if request.method == "POST":
            result = self.handle_post(request, session)
            if not isinstance(result, tuple):
                return result  # done: back to the page (Post/Redirect/Get)
            kind, item_id, form = result
            if kind == "add":
                add_form = form
            else:
                bound = (kind, item_id, form)
            failed = form
        data = self.with_forms(self.session_data(session), bound)
        context = self.page_context(
            request,
            f"Séance : {session}",
            add_form=add_form,
            failed=failed,
            can_edit=not session.is_published,
            **data,
        )
        # A refused form is shown again with 200, as the admin's own forms are (« Erreur – » starts the title).
        return TemplateResponse(request, "admin/microprojets/committeesession/session.html", context)

    def handle_post(self, request, session):
        """One action of the page; a redirect when done, else (kind, item id, the bound form with its errors)."""
        action = request.POST.get("action", "")
        url = reverse("admin:microprojets_committeesession_session", args=[session.pk])
        if session.is_published:
            messages.error(request, "Les décisions de cette séance sont publiées : elle ne peut plus être modifiée.")
            return redirect(url)
        if action == "add":
            form = AgendaAddForm(request.POST, session=session)
            if form.is_valid():
                try:
                    services.add_to_agenda(
                        session_id=session.pk, application_id=form.cleaned_data["application"].pk,
                        by=request.user, request=request,
                    )  # fmt: skip
                except services.CommitteeError as error:
                    form.add_error("application", error.message)
                else:
                    application = form.cleaned_data["application"]
                    messages.success(request, f"Dossier {application.reference} inscrit à l’ordre du jour.")
                    return redirect(url)
            return ("add", None, form)
        item_id = request.POST.get("item", "")
        item = (
            AgendaItem.objects.filter(session=session, pk=int(item_id)).select_related("application__call").first()
            if item_id.isascii() and item_id.isdigit() and len(item_id) < 10
            else None
        )
        if item is None:
            messages.error(request, "Ce dossier n’est plus à l’ordre du jour de la séance : rechargez la page.")
            return redirect(url)
        anchor = f"{url}#dossier-{item.pk}"
        if action == "remove":
            try:
                services.remove_from_agenda(item_id=item.pk, by=request.user, request=request)
            except services.CommitteeError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Dossier {item.application.reference} retiré de l’ordre du jour.")
            return redirect(url)
        if action == "votes":
            members = list(session.members.all())
            voted = set(item.votes.values_list("member_id", flat=True))
            voters = [m for m in members if m.present and m.pk not in voted]
            form = VotesForm(request.POST, item=item, voters=voters, prefix=f"votes-{item.pk}")
            if form.is_valid():
                try:
                    recorded = services.record_votes(item_id=item.pk, votes=form.votes, by=request.user)
                except services.CommitteeError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(
                        request, f"{len(recorded)} vote(s) enregistré(s) pour le dossier {item.application.reference}."
                    )
                    return redirect(anchor)
            return ("votes", item.pk, form)
        if action == "decision":
            form = DecisionForm(request.POST, prefix=f"decision-{item.pk}")
            if form.is_valid():
                try:
                    services.record_decision(item_id=item.pk, by=request.user, **form.cleaned_data)
                except services.CommitteeError as error:
                    form.add_error(error.field if error.field in form.fields else None, error.message)
                else:
                    messages.success(
                        request, f"Décision proposée enregistrée pour le dossier {item.application.reference}."
                    )
                    return redirect(anchor)
            return ("decision", item.pk, form)
        messages.error(request, "Action inconnue : rechargez la page.")
        return redirect(url)

    @staticmethod
    def undecided(items):
        return [i for i in items if i.active and not i.decision]

    def publish_view(self, request, pk):
        """GET: what will be published, and a confirmation button; POST: publish (services.committee.publish)."""
        check_instructor(request)
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        session = get_object_or_404(CommitteeSession.objects.prefetch_related("calls"), pk=pk)
        url = reverse("admin:microprojets_committeesession_session", args=[session.pk])
        if request.method == "POST":
            try:
                items = services.publish(session_id=session.pk, by=request.user, request=request)
            except services.CommitteeError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    f"Décisions publiées : {len(items)} dossier(s) mis à jour, chaque porteur est prévenu par "
                    "courriel.",
                )
            return redirect(url)
        if session.is_published:
            messages.error(request, "Les décisions de cette séance sont déjà publiées.")
            return redirect(url)
        data = self.session_data(session)
        context = self.page_context(
            request, f"Publier les décisions : {session}", undecided=self.undecided(data["items"]), **data
        )
        return TemplateResponse(request, "admin/microprojets/committeesession/publish.html", context)

    # --- Agenda and minutes: printable pages and PDF files ------------------------------------------------------

    def document(self, request, pk, kind, as_pdf):
        check_instructor(request)
        session = get_object_or_404(CommitteeSession.objects.prefetch_related("calls"), pk=pk)
        data = self.session_data(session)
        title = ("Ordre du jour" if kind == "agenda" else "Procès-verbal") + f" – {session}"
        body = f"microprojets/committee/{kind}_body.html"
        if as_pdf:
            content = pdf.render_pdf(body, {**data, "title": title}, request=request)
            response = HttpResponse(content, content_type="application/pdf")
            name = "ordre-du-jour" if kind == "agenda" else "proces-verbal"
            response["Content-Disposition"] = f'attachment; filename="{name}-{session.date:%Y-%m-%d}.pdf"'
            response["Cache-Control"] = "private, no-store"
            return response
        context = self.page_context(
            request,
            title,
            body=body,
            kind=kind,
            pdf_url=reverse(f"admin:microprojets_committeesession_{kind}_pdf", args=[session.pk]),
            **data,
        )
        return TemplateResponse(request, "admin/microprojets/committeesession/print.html", context)

    def agenda_view(self, request, pk):
        return self.document(request, pk, "agenda", as_pdf=False)

    def agenda_pdf_view(self, request, pk):
        return self.document(request, pk, "agenda", as_pdf=True)

    def minutes_view(self, request, pk):
        return self.document(request, pk, "minutes", as_pdf=False)

    def minutes_pdf_view(self, request, pk):
        return self.document(request, pk, "minutes", as_pdf=True)
