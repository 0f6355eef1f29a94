"""Users and groups (roles) in the admin: superusers only, and nobody changes their own roles or flags.

A member of staff is given a role (a group, core.roles); the permission pickers offer only the permissions a
role may hold, with French names, never the framework's bookkeeping (core.roles.is_technical)."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q

from .permissions import ROLE_EDITORS, ROLE_INSTRUCTORS, ROLE_PRE, can_manage_accounts
from .roles import ACTION_LABELS, TECHNICAL_APPS, TECHNICAL_MODELS

SELF_FIELDS = ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]
ROLES_HELP = (
    f"Le rôle donne les droits de l’agent : « {ROLE_EDITORS} » (textes et contenus publics du site), "
    f"« {ROLE_INSTRUCTORS} » (dossiers de microprojets, commissions, versements et bilans), « {ROLE_PRE} » "
    "(demandes de contact confidentielles du PRE). Donnez un rôle plutôt que des permissions une à une."
)
SELF_WARNING = (
    "Vous ne pouvez pas modifier vos propres rôles, permissions ni statuts (actif, équipe, superutilisateur) : "
    "demandez-le à un autre administrateur. Le reste de votre fiche reste modifiable."
)


def offered_permissions():
    """The permissions a picker shows: no technical one (sessions, journal, content types, history rows…)."""
    technical = Q(content_type__app_label__in=TECHNICAL_APPS) | Q(content_type__model__startswith="historical")
    for label in TECHNICAL_MODELS:
        app_label, model = label.split(".")
        technical |= Q(content_type__app_label=app_label, content_type__model=model)
    return (
        Permission.objects.exclude(technical)
        .select_related("content_type")
        .order_by("content_type__app_label", "content_type__model", "codename")
    )


def permission_label(permission) -> str:
    """« Microprojets — appel à projets : modifier » rather than « microprojets | call | Can change call »."""
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return permission.name
    action, _, rest = permission.codename.partition("_")
    what = ACTION_LABELS.get(action) if rest == content_type.model else None
    app_name = apps.get_app_config(content_type.app_label).verbose_name
    return f"{app_name} — {model._meta.verbose_name} : {what or permission.name}"


class FrenchPermissionsMixin:
    """Boxes to tick (the admin's two-list picker fails axe-core: a labelled span, date fields without labels)."""

    permission_fields = ()
    filter_horizontal = ()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["widget"] = forms.CheckboxSelectMultiple
        if db_field.name in self.permission_fields:
            kwargs["queryset"] = offered_permissions()
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in self.permission_fields:
            field.label_from_instance = permission_label
        return field


class SuperusersOnlyMixin:
    def has_module_permission(self, request):
        return can_manage_accounts(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_accounts(request.user)

    def has_add_permission(self, request):
        return can_manage_accounts(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_accounts(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_manage_accounts(request.user)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(SuperusersOnlyMixin, FrenchPermissionsMixin, BaseUserAdmin):
    permission_fields = ("user_permissions",)
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_superuser", "roles"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="rôles")
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "—"

    def is_self(self, request, obj):
        return obj is not None and obj.pk == request.user.pk

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        described = []
        for name, options in fieldsets:
            if "groups" in options.get("fields", ()):
                description = SELF_WARNING if self.is_self(request, obj) else ROLES_HELP
                options = {**options, "description": description}
            described.append((name, options))
        return described

    def get_readonly_fields(self, request, obj=None):
        # The dates are the site's record of the account, not something to type.
        readonly = [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]
        return [*readonly, *SELF_FIELDS] if self.is_self(request, obj) else readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "groups" in form.base_fields:
            form.base_fields["groups"].help_text = ROLES_HELP
            form.base_fields["groups"].label = "rôles"
        if "user_permissions" in form.base_fields:
            form.base_fields["user_permissions"].help_text = (
                "À éviter : une permission donnée à une personne ne se voit pas dans son rôle. Les dossiers de "
                "microprojets et les demandes du PRE demandent de toute façon le rôle correspondant."
            )
        return form

    def has_delete_permission(self, request, obj=None):
        # Nobody deletes their own account: another administrator does.
        return super().has_delete_permission(request, obj) and not self.is_self(request, obj)


@admin.register(Group)
class GroupAdmin(SuperusersOnlyMixin, FrenchPermissionsMixin, BaseGroupAdmin):
    permission_fields = ("permissions",)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "permissions" in form.base_fields:
            form.base_fields["permissions"].help_text = (
                "Les rôles « Rédaction », « Instructeur microprojets » et « Coordination PRE » sont remis à leurs "
                "permissions d’origine par la commande sync_roles : changez plutôt la table des rôles."
            )
        return form
