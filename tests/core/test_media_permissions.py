"""Uploaded files are written so that the front server (nginx, another user) can read the public ones and nobody
but the application's user can read the private ones (docs: deploy/nginx.conf serves MEDIA_ROOT, never the
private folder)."""

import stat
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import storages


def mode(path) -> int:
    return stat.S_IMODE(Path(path).stat().st_mode)


def test_public_files_and_folders_are_readable_by_the_front_server():
    storage = storages["default"]
    name = storage.save("controle-droits/sous-dossier/photo.jpg", ContentFile(b"jpeg"))
    try:
        path = Path(storage.path(name))
        assert mode(path) & stat.S_IROTH, oct(mode(path))
        assert not mode(path) & (stat.S_IWGRP | stat.S_IWOTH)
        for folder in (path.parent, path.parent.parent):
            assert mode(folder) & (stat.S_IROTH | stat.S_IXOTH) == stat.S_IROTH | stat.S_IXOTH, oct(mode(folder))
    finally:
        storage.delete(name)


def test_private_files_and_folders_are_readable_by_the_application_user_only():
    storage = storages["private"]
    name = storage.save("controle-droits/sous-dossier/devis.pdf", ContentFile(b"%PDF-"))
    try:
        path = Path(storage.path(name))
        assert mode(path) == 0o600, oct(mode(path))
        assert mode(path.parent) == 0o700, oct(mode(path.parent))
    finally:
        storage.delete(name)
