"""Uploaded files leave the disk with their row, once the deletion is committed (a rollback keeps them)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete

from .models import ContractDocument, Partner, ProjectPhoto, Video

FILE_FIELDS = {ProjectPhoto: ["small", "large"], ContractDocument: ["file"], Partner: ["logo"], Video: ["poster"]}


def _delete_files(storage_names):
    for storage, name in storage_names:
        storage.delete(name)


def delete_files_of_deleted_row(sender, instance, **kwargs):
    files = [getattr(instance, name) for name in FILE_FIELDS[sender]]
    names = [(f.storage, f.name) for f in files if f and f.name]
    if names:
        transaction.on_commit(partial(_delete_files, names))


# Connected per model: a receiver for every sender would stop Django's fast deletes in the other apps.
for model in FILE_FIELDS:
    post_delete.connect(
        delete_files_of_deleted_row, sender=model, dispatch_uid=f"contrat_ville-files-{model.__name__}"
    )
