"""System checks of the settings that keep private files private."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


@register()
def private_media_outside_public_roots(app_configs, **kwargs):
    """PRIVATE_MEDIA_ROOT must not be, contain or lie inside a folder served by URL (media or static files):
    a front server serving /media/ would then hand out the applicants' attachments."""
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if not public:
            continue
        public = Path(public).resolve()
        if private == public or public in private.parents or private in public.parents:
            errors.append(
                Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) et {name} ({public}) se recouvrent : les fichiers privés "
                    "seraient servis par une adresse publique.",
                    hint="Placez PRIVATE_MEDIA_ROOT dans un dossier à part, hors de MEDIA_ROOT et de STATIC_ROOT.",
                    id="core.E001",
                )
            )
    return errors
