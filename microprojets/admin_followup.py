"""The application's life after the decision, in the admin: payments, the report and its review, the project of
the catalogue; the « en attente depuis plus de N jours » filter; the reminders sent (read-only).

ApplicationAdmin (admin.py) takes FollowupAdminMixin: its own URLs, fieldset, inline, action and filter are added
here, so that admin.py only names the mixin.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from contrat_ville.models import Project
from langres_portal.core.permissions import ROLE_EDITORS, can_instruct, can_publish_projects

from . import workflow
from .formats import euros
from .forms.followup import PaymentForm, ReportReviewForm
from .models import Application, Attachment, Payment, Reminder, Report
from .services import payment as payment_services
from .services import project as project_services
from .services import report as report_services


class WaitingFilter(admin.SimpleListFilter):
    """Applications left in the same status (not a final one) longer than settings.MICROPROJETS_WAITING_DAYS."""

    parameter_name = "en_attente"

    @property
    def title(self):
        return f"en attente depuis plus de {settings.MICROPROJETS_WAITING_DAYS} jours"

    def lookups(self, request, model_admin):
        return [("oui", "Oui, dans le même statut"), ("non", "Non")]

    def queryset(self, request, queryset):
        limit = timezone.now() - timedelta(days=settings.MICROPROJETS_WAITING_DAYS)
        waiting = queryset.exclude(status__in=sorted(workflow.FINAL)).filter(status_changed_at__lt=limit)
        if self.value() == "oui":
            return waiting
        if self.value() == "non":
            return queryset.exclude(pk__in=waiting.values("pk"))
        return queryset


class PaymentInline(admin.TabularInline):
    """The payments, read-only: they are recorded on the « versement et bilan » page, through the service."""

    model = Payment
    extra = 0
    can_delete = False
    template = "admin/microprojets/readonly_tabular.html"  # the admin's tabular.html has empty header cells
    fields = ["paid_on", "amount", "order_reference", "by", "created_at"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return can_instruct(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FollowupAdminMixin:
    followup_fieldset = ("Versement et bilan", {"fields": ["followup_link"]})

    def has_delete_permission(self, request, obj=None):
        return False  # never deleted: the retention command anonymises them in place (retention.py)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        return [*fieldsets, self.followup_fieldset] if obj is not None else fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "followup_link"]

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), PaymentInline]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), WaitingFilter]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if can_instruct(request.user):
            action = FollowupAdminMixin.create_projects
            actions["create_projects"] = (action, "create_projects", action.short_description)
        return actions

    @admin.display(description="versements, bilan et projet du catalogue")
    def followup_link(self, obj):
        url = reverse("admin:microprojets_application_followup", args=[obj.pk])
        return format_html(
            '<a href="{}">Ouvrir la page « Versement et bilan » du dossier {}</a> (versé : {} sur {})',
            url,
            obj.reference,
            euros(obj.amount_paid),
            euros(obj.amount_granted) if obj.amount_granted is not None else "rien d’accordé",
        )

    def create_projects(self, request, queryset):
        for application in queryset.order_by("pk"):
            try:
                result = project_services.create_project(application_id=application.pk)
            except project_services.ProjectRefused as error:
                self.message_user(request, f"{application.reference} : {error.message}", messages.ERROR)
            else:
                self.message_user(request, project_message(application, result, request.user), messages.SUCCESS)

    create_projects.short_description = "Créer le projet du catalogue (brouillon) à partir des dossiers clôturés"

    def get_urls(self):
        view = self.admin_site.admin_view(self.followup_view)
        followup = path("<int:pk>/versement-et-bilan/", view, name="microprojets_application_followup")
        return [followup, *super().get_urls()]

    def followup_view(self, request, pk):
        """Payments (with the form while money remains to pay), the report and its review, the project."""
        if not can_instruct(request.user):
            raise PermissionDenied
        application = get_object_or_404(Application.objects.select_related("call", "quartier", "pillar"), pk=pk)
        url = reverse("admin:microprojets_application_followup", args=[pk])
        payment_form, review_form = PaymentForm(), ReportReviewForm(initial={"version": application.version})
        status = 200
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "payment":
                payment_form = PaymentForm(request.POST)
                if payment_form.is_valid():
                    try:
                        payment_services.record_payment(
                            application_id=pk, by=request.user, request=request, **payment_form.cleaned_data
                        )
                    except payment_services.PaymentRefused as error:
                        payment_form.add_error(None, error.message)
                    else:
                        messages.success(request, "Versement enregistré.")
                        return redirect(url)
                status = 400
            elif action == "review":
                review_form = ReportReviewForm(request.POST)
                if review_form.is_valid():
                    data = review_form.cleaned_data
                    try:
                        report_services.review_report(
                            application_id=pk,
                            close=data["decision"] == "close",
                            by=request.user,
                            comment=data["comment"],
                            expected_version=data["version"],
                            request=request,
                        )
                    except workflow.MoveNotAllowed as error:
                        messages.error(request, error.message)
                    else:
                        messages.success(
                            request,
                            "Dossier clôturé."
                            if data["decision"] == "close"
                            else "Demande de complément envoyée au porteur : le formulaire du bilan lui est rouvert.",
                        )
                    return redirect(url)
                status = 400
            elif action == "project":
                try:
                    result = project_services.create_project(application_id=pk)
                except project_services.ProjectRefused as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, project_message(application, result, request.user))
                return redirect(url)
        report = Report.objects.filter(application=application).first()
        files = Attachment.objects.filter(
            application=application, kind__in=[Attachment.Kind.RECEIPT, Attachment.Kind.PHOTO]
        ).select_related("report_photo")
        project = Project.objects.filter(source_application=application).first()
        remaining = (application.amount_granted or 0) - application.amount_paid
        context = {
            **self.admin_site.each_context(request),
            "title": f"Versement et bilan du dossier {application.reference}",
            "opts": self.model._meta,
            "application": application,
            "payments": application.payments.select_related("by"),
            "payment_form": payment_form,
            "can_pay": application.status in payment_services.PAYABLE and remaining > 0,
            "remaining": euros(remaining) if application.amount_granted is not None else None,
            "report": report,
            "receipts": [f for f in files if f.kind == Attachment.Kind.RECEIPT],
            "photos": [f for f in files if f.kind == Attachment.Kind.PHOTO],
            "review_form": review_form,
            "can_review": application.status == workflow.Status.REPORT_RECEIVED,
            "can_make_project": application.status == workflow.Status.CLOSED and project is None,
            "project": project,
            "can_open_project": can_publish_projects(request.user),
            "editors": ROLE_EDITORS,
            "has_errors": status == 400,
        }
        return TemplateResponse(request, "admin/microprojets/application_followup.html", context, status=status)


def project_message(application, result, user) -> str:
    text = (
        f"{application.reference} : le projet « {result.project.title} » est créé en brouillon (non publié) "
        f"avec {result.photos} photo(s). "
    )
    if can_publish_projects(user):
        text += "Relisez-le, puis publiez-le depuis la page du projet."
    else:  # the project's admin page would answer 403
        text += f"Un membre du groupe « {ROLE_EDITORS} » le relit et le publie dans le catalogue."
    if result.skipped_photos:
        text += (
            f" {result.skipped_photos} photo(s) autorisée(s) non copiée(s) : pas encore analysée(s) ou illisible(s)."
        )
    if result.pillar_guessed:
        text += " Le dossier n’avait pas de pilier : vérifiez celui du projet."
    return text


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminders sent: a journal, read-only."""

    list_display = ["sent_at", "kind", "occasion", "application", "draft"]
    list_filter = ["kind"]
    list_select_related = ["application", "draft"]
    search_fields = ["application__reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return can_instruct(request.user)

    def has_module_permission(self, request):
        return can_instruct(request.user)
