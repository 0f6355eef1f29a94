"""The roles (groups) and their permissions: the ONE table that the data migration (core 0010), the
`sync_roles` command and every `migrate` (post_migrate) apply, and that tests/core/test_roles.py compares with the
database.

A role lists models as "app_label.model" with the actions allowed on them. After adding a model, add it here and
run `manage.py sync_roles` (the group's permissions become exactly the table's, nothing else).

Some pages do not rest on these permissions alone: the applications, committees and reminders also require the
role « Instructeur microprojets » (permissions.can_instruct) and the PRE's requests the role « Coordination PRE »
(permissions.is_pre_coordinator), whatever permission a user holds.
"""

from .permissions import ROLE_EDITORS, ROLE_INSTRUCTORS, ROLE_PRE

ALL = ("add", "change", "delete", "view")
NO_DELETE = ("add", "change", "view")
VIEW = ("view",)

# « Rédaction »: every text and record the public reads. Not the applications, committees, PRE requests, outbox,
# users or groups.
EDITORS_MODELS = [
    "core.page",
    "core.homeblock",
    "core.glossaryterm",
    "core.easyreadpage",
    "core.easyreadblock",
    "core.siteidentity",
    "core.emailtemplate",
    "quartiers.quartier",
    "quartiers.street",
    "quartiers.commune",
    "quartiers.statusperiod",
    "quartiers.keyfigure",
    "quartiers.photo",
    "contrat_ville.contract",
    "contrat_ville.contractdocument",
    "contrat_ville.partner",
    "contrat_ville.pillar",
    "contrat_ville.theme",
    "contrat_ville.conseilcitoyen",
    "contrat_ville.video",
    "contrat_ville.project",
    "contrat_ville.projectcofunder",
    "contrat_ville.projectphoto",
    "pre.section",
    "pre.faqentry",
    "pre.teammember",
    "pre.presettings",
    "microprojets.call",
    "microprojets.calldocument",
    "microprojets.eligibilitymessage",
]

# « Instructeur microprojets »: the applications and all their instruction, committees, payments and reports.
# What the applicant sent and what was decided or paid is a record: never deleted by hand (the retention command
# anonymises it), so no « delete » on those.
INSTRUCTORS_RECORDS = [
    "microprojets.application",
    "microprojets.budgetline",
    "microprojets.attachment",
    "microprojets.statuschange",
    "microprojets.staffnote",
    "microprojets.event",
    "microprojets.payment",
    "microprojets.report",
    "microprojets.reportphoto",
]
INSTRUCTORS_MODELS = [
    "microprojets.replytemplate",
    "microprojets.committeesession",
    "microprojets.committeemember",
    "microprojets.agendaitem",
    "microprojets.vote",
]

ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    ROLE_EDITORS: dict.fromkeys(EDITORS_MODELS, ALL),
    ROLE_INSTRUCTORS: {
        **dict.fromkeys(INSTRUCTORS_MODELS, ALL),
        **dict.fromkeys(INSTRUCTORS_RECORDS, NO_DELETE),
        "microprojets.reminder": VIEW,  # a journal, written by the reminders' command
        "microprojets.call": VIEW,
        "microprojets.calldocument": VIEW,
    },
    ROLE_PRE: {"pre.contactrequest": ("change", "delete", "view")},  # requests come from the public form only
}

# Permissions the pickers of the users' and groups' pages never offer: the framework's bookkeeping, the
# security logs (superusers only), counters, and history rows.
TECHNICAL_APPS = {"admin", "auth", "contenttypes", "sessions", "axes", "otp_totp", "otp_static"}
TECHNICAL_MODELS = {
    "core.ratelimitcounter",
    "microprojets.referencecounter",
    "core.staffauthenticator",  # the second factor's devices: superusers only (core.admin)
    "core.staffrecoverycodes",
}

ACTION_LABELS = {"add": "ajouter", "change": "modifier", "delete": "supprimer", "view": "voir"}


def codenames(role: str) -> set[tuple[str, str]]:
    """The role's permissions as (app_label, codename) pairs."""
    pairs = set()
    for label, actions in ROLE_PERMISSIONS[role].items():
        app_label, model = label.split(".")
        pairs.update((app_label, f"{action}_{model}") for action in actions)
    return pairs


def is_technical(app_label: str, model: str) -> bool:
    return app_label in TECHNICAL_APPS or f"{app_label}.{model}" in TECHNICAL_MODELS or model.startswith("historical")


def create_all_permissions(apps) -> None:
    """Permissions are normally created after all migrations (post_migrate): create them now, for every app."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = had_models or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_models


def sync_roles(apps) -> dict[str, tuple[int, int]]:
    """Make each role's group hold exactly the table's permissions; return {role: (added, removed)}.

    `apps` is a migration's app registry, or django.apps.apps. Raises LookupError if the table names a permission
    that does not exist (a misspelt model), before changing anything."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {}
    for role in ROLE_PERMISSIONS:
        pairs = codenames(role)
        found = {
            (p.content_type.app_label, p.codename): p
            for p in Permission.objects.filter(content_type__app_label__in={a for a, _ in pairs}).select_related(
                "content_type"
            )
            if (p.content_type.app_label, p.codename) in pairs
        }
        missing = sorted(f"{a}.{c}" for a, c in pairs - found.keys())
        if missing:
            raise LookupError(f"Permissions inconnues pour le rôle « {role} » : {', '.join(missing)}")
        wanted[role] = {p.pk for p in found.values()}
    changes = {}
    for role, permission_ids in wanted.items():
        group, _ = Group.objects.get_or_create(name=role)
        current = set(group.permissions.values_list("pk", flat=True))
        group.permissions.remove(*(current - permission_ids))
        group.permissions.add(*(permission_ids - current))
        changes[role] = (len(permission_ids - current), len(current - permission_ids))
    return changes


def sync_after_migrate(sender, apps=None, verbosity=1, **kwargs):
    """post_migrate, sent after `migrate` and after the flush between browser tests: the roles exist again and
    hold the table's permissions (a flush empties the groups that the data migration made)."""
    from django.apps import apps as global_apps

    registry = apps or global_apps
    try:
        registry.get_model("auth", "Group")
        create_all_permissions(registry)
        sync_roles(registry)
    except LookupError as error:  # migrated back before a model of the table: the roles wait for it
        if verbosity:
            print(f"Rôles non synchronisés : {error}")  # noqa: T201


def role_for(model_label: str) -> str | None:
    """The role to ask for to work on a model ("app_label.model"): the one allowed the most actions on it."""
    granted = [(len(table[model_label]), role) for role, table in ROLE_PERMISSIONS.items() if model_label in table]
    return max(granted)[1] if granted else None
