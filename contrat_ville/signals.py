"""A project's search text follows its themes and its pillar when they change. (Uploaded files leave the disk
with their row through their field: core.uploads.)"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from .models import Pillar, Project, Theme

# --- Search text -------------------------------------------------------------------------------------------------


def refresh_search_text_of_projects_of(sender, instance, created=False, raw=False, **kwargs):
    """A pillar or theme was renamed: its projects are found by its new name, no longer by the old one."""
    if created or raw:  # nothing links to a new row yet; loaddata's projects come with their own search text
        return
    field = "pillar" if sender is Pillar else "themes"
    Project.objects.filter(**{field: instance}).refresh_search_text()


def remember_projects_of_deleted_theme(sender, instance, **kwargs):
    # The link rows go with the theme without any m2m signal: note whose text will need refreshing.
    instance._search_project_ids = list(instance.projects.values_list("pk", flat=True))


def refresh_search_text_after_theme_deletion(sender, instance, **kwargs):
    Project.objects.filter(pk__in=getattr(instance, "_search_project_ids", [])).refresh_search_text()


def refresh_search_text_on_themes_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:  # theme.projects.clear(): whose themes change is known only now
        instance._search_project_ids = list(instance.projects.values_list("pk", flat=True))
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        ids = [instance.pk]
    elif action == "post_clear":
        ids = getattr(instance, "_search_project_ids", [])
    else:
        ids = pk_set or []
    Project.objects.filter(pk__in=ids).refresh_search_text()


post_save.connect(refresh_search_text_of_projects_of, sender=Pillar, dispatch_uid="contrat_ville-search-pillar")
post_save.connect(refresh_search_text_of_projects_of, sender=Theme, dispatch_uid="contrat_ville-search-theme")
pre_delete.connect(remember_projects_of_deleted_theme, sender=Theme, dispatch_uid="contrat_ville-search-theme-pre")
post_delete.connect(
    refresh_search_text_after_theme_deletion, sender=Theme, dispatch_uid="contrat_ville-search-theme-post"
)
m2m_changed.connect(
    refresh_search_text_on_themes_change, sender=Project.themes.through, dispatch_uid="contrat_ville-search-themes"
)
