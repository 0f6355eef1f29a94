"""System checks of the settings: private files stay private, rate limits are counted once for all workers."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


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


# Caches that each process (or each server) keeps to itself, or that increment with a read then a write: with
# several gunicorn workers, every worker would count a client's submissions alone.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


@register(Tags.caches)
def shared_cache(app_configs, **kwargs):
    """Outside DEBUG, the default cache must be shared by every worker: the public forms' limits count in it."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"Le cache par défaut ({backend.rsplit('.', 1)[-1]}) n’est pas partagé entre les processus : chaque "
            "worker compterait seul les envois des formulaires publics, et les limites seraient multipliées.",
            hint="Laissez CACHE_URL vide (cache en base de données, dbcache://django_cache) ou indiquez un "
            "Redis : CACHE_URL=redis://127.0.0.1:6379/0.",
            id="core.E002",
        )
    ]
