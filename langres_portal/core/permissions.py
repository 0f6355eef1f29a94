"""Who may do what, for the whole portal: the one module of predicates that ModelAdmins' has_*_permission, staff
views, exports and PDFs call.

Roles are groups (made by a data migration); a user is given a role, not raw permissions. The names below are the
groups' names as staff read them in the admin.
"""

ROLE_EDITORS = "Rédaction"
ROLE_INSTRUCTORS = "Instructeur microprojets"
ROLE_PRE = "Coordination PRE"
ROLES = (ROLE_EDITORS, ROLE_INSTRUCTORS, ROLE_PRE)


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def has_role(user, role: str) -> bool:
    """Whether an active staff member belongs to the group `role` (one query per request and user)."""
    if not is_staff(user):
        return False
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return role in cached


def is_pre_coordinator(user) -> bool:
    """The PRE's confidential requests: ONLY members of « Coordination PRE », superusers included (a superuser
    who is not in the group is refused; another superuser must add them to it, which the admin's history records)."""
    return has_role(user, ROLE_PRE)


def can_instruct(user) -> bool:
    """Applications, their files, committees, exports and PDFs of the microprojets: the instructors, and the
    superusers who administer the site."""
    return is_staff(user) and (user.is_superuser or has_role(user, ROLE_INSTRUCTORS))


def can_publish_projects(user) -> bool:
    """The catalogue's projects (contrat_ville): whoever may change them in the admin (the ProjectAdmin keeps
    Django's model permissions, given to « Rédaction »), superusers included."""
    return is_staff(user) and user.has_perm("contrat_ville.change_project")


def can_manage_accounts(user) -> bool:
    """Users and groups (roles): the superusers only."""
    return is_staff(user) and user.is_superuser
