"""Files on the private storage follow the transaction: no file without its row, no row without its file."""

import hashlib
import shutil
import types
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from microprojets.files import MAX_NAME_LENGTH, UNSAFE_CATEGORIES, CheckedFile, display_name
from microprojets.models import EXTENSIONS, Attachment, Draft, Event
from microprojets.services import submission as services

from .conftest import PDF
from .factories import ApplicationFactory


def private_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def checked(kind=Attachment.Kind.STATUTES, name="statuts.pdf"):
    content = PDF + name.encode()
    file = CheckedFile(name, content, "application/pdf", hashlib.sha256(content).hexdigest())
    return (kind, file, (Attachment.ScanStatus.PENDING, ""))


def attachments_form(*files):
    return types.SimpleNamespace(kept=[], checked=list(files))


class Boom(Exception):
    pass


def test_a_draft_whose_second_file_fails_leaves_no_file_and_no_row(call, monkeypatch):
    before = private_files()
    saved = []
    original_save = Attachment.save

    def failing_save(self, *args, **kwargs):
        if saved:  # the second file is already on disk when its row fails
            raise Boom
        saved.append(self)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", failing_save)
    form = attachments_form(checked(), checked(Attachment.Kind.QUOTE, "devis.pdf"))
    with pytest.raises(Boom):
        services.save_draft(call=call, draft=None, data={"email": "a@example.org"}, attachments=form)
    assert private_files() == before
    assert not Attachment.objects.exists()
    assert not Draft.objects.exists()


def test_files_of_a_draft_are_deleted_when_an_enclosing_block_rolls_back(call):
    before = private_files()
    with pytest.raises(Boom), services.atomic_with_files():
        services.save_draft(call=call, draft=None, data={}, attachments=attachments_form(checked()))
        assert len(private_files() - before) == 1  # written, then the later step fails
        raise Boom
    assert private_files() == before
    assert not Attachment.objects.exists()


def test_a_saved_draft_keeps_its_files(call):
    before = private_files()
    draft = services.save_draft(call=call, draft=None, data={}, attachments=attachments_form(checked()))
    new = private_files() - before
    assert len(new) == 1
    assert [Path(a.file.path) for a in draft.attachments.all()] == list(new)


def test_a_complement_whose_email_fails_leaves_no_file_no_row_no_message(content, monkeypatch):
    application = ApplicationFactory()
    before = private_files()
    events = Event.objects.count()

    def failing_queue_email(**kwargs):
        raise Boom  # after the files are written and their rows saved

    monkeypatch.setattr(services, "queue_email", failing_queue_email)
    form = types.SimpleNamespace(cleaned_data={"message": "Voici le devis."}, checked=[checked()])
    with pytest.raises(Boom):
        services.add_complement(application, form)
    assert private_files() == before
    assert not Attachment.objects.filter(application=application).exists()
    assert Event.objects.count() == events


def test_a_removed_file_is_deleted_only_when_the_transaction_commits(call, django_capture_on_commit_callbacks):
    draft = services.save_draft(call=call, draft=None, data={}, attachments=attachments_form(checked()))
    attachment = draft.attachments.get()
    pk, path = attachment.pk, Path(attachment.file.path)

    # Rolled back: the row comes back, so the file must still be there.
    with pytest.raises(Boom), transaction.atomic():
        services.delete_attachment(attachment)
        raise Boom
    assert path.exists()
    assert Attachment.objects.filter(pk=pk).exists()

    # Committed: the file goes, after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            services.delete_attachment(Attachment.objects.get(pk=pk))
            assert path.exists()  # not before the commit
    assert not path.exists()
    assert not Attachment.objects.filter(pk=pk).exists()


def test_removing_a_file_from_a_draft_whose_save_fails_keeps_the_file(call, monkeypatch):
    draft = services.save_draft(call=call, draft=None, data={}, attachments=attachments_form(checked()))
    attachment = draft.attachments.get()
    pk, path = attachment.pk, Path(attachment.file.path)
    form = types.SimpleNamespace(
        kept=[attachment], remaining=[], checked=[checked(Attachment.Kind.QUOTE, "devis.pdf")]
    )

    def failing_save(self, *args, **kwargs):
        raise Boom

    monkeypatch.setattr(Attachment, "save", failing_save)
    before = private_files()
    with pytest.raises(Boom):
        services.save_draft(call=call, draft=draft, data={}, attachments=form)
    assert path.exists()
    assert private_files() == before  # the new file is gone, the old one kept
    assert Attachment.objects.filter(pk=pk).exists()


# --- File names: the type read from the bytes gives the extension; the sender's name is only a clean label ----


@pytest.mark.parametrize("sent_as", ["devis.bat", "devis.hta", "facture.html", "devis", "devis.pdf.exe"])
def test_a_pdf_is_stored_and_downloaded_as_a_pdf_whatever_its_sender_named_it(client, call, admin_client, sent_as):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from microprojets.services.submission import submit_draft

    from .test_apply import go_to_recap

    recap_url = go_to_recap(client, statutes=SimpleUploadedFile(sent_as, PDF, content_type="application/x-msdos"))
    application, _created = submit_draft(token=recap_url.rstrip("/").split("/")[-2])
    attachment = application.attachments.get()
    assert attachment.file.name.endswith(".pdf") and sent_as.split(".")[0] not in attachment.file.name
    attachment.scan_status, attachment.scanned_at = Attachment.ScanStatus.CLEAN, attachment.created_at
    attachment.save()
    response = admin_client.get(reverse("admin:microprojets_attachment_download", args=[attachment.pk]))
    disposition = response["Content-Disposition"]
    assert response.status_code == 200 and disposition.startswith("attachment;")
    assert disposition.endswith('.pdf"'), disposition
    assert attachment.original_name == sent_as  # kept as the label staff read


@given(name=st.text(max_size=400), content_type=st.sampled_from(sorted(EXTENSIONS)))
@hypothesis_settings(max_examples=300, deadline=None)
def test_any_file_name_gives_a_clean_label_and_a_download_name_with_the_type_s_extension(name, content_type):
    label = display_name(name)
    assert 0 < len(label) <= MAX_NAME_LENGTH
    assert "/" not in label and "\\" not in label
    assert not any(unicodedata.category(ch) in UNSAFE_CATEGORIES for ch in label)
    assert label == label.strip() and "  " not in label
    download = Attachment(original_name=label, content_type=content_type).download_name
    assert download.endswith("." + EXTENSIONS[content_type])
    assert download.rsplit(".", 1)[0].strip(" .")  # a name before the extension
    assert "/" not in download and "\\" not in download and "\u202e" not in download


def test_a_label_keeps_the_end_of_a_long_name_and_drops_folders_and_bidi_marks():
    assert display_name("C:\\Users\\léa\\Bureau\\devis.pdf") == "devis.pdf"
    assert display_name("facture\u202efdp.exe") == "facturefdp.exe"
    assert display_name("a\x00b\r\nc.pdf") == "abc.pdf"
    long = display_name("x" * 500 + ".pdf")
    assert len(long) == MAX_NAME_LENGTH and long.endswith("….pdf")
    assert display_name("\u200b\u202e") == display_name("") == "fichier"


# --- A nearly full disk: files are refused at their field, nothing is half saved --------------------------------


@pytest.fixture
def nearly_full_disk(monkeypatch, settings):
    from microprojets import files

    settings.PRIVATE_MEDIA_MIN_FREE_MB = 500
    monkeypatch.setattr(files, "free_private_space", lambda: 500 * 1024 * 1024 + len(PDF) - 1)


def test_a_file_that_would_leave_the_disk_under_the_minimum_is_refused_at_its_field(client, call, nearly_full_disk):
    from .test_apply import field_errors, post_form

    before = private_files()
    response = post_form(client)
    assert response.status_code == 200
    assert "manque momentanément de place" in field_errors(response)["id_statutes"]
    assert response.context["form"]["first_name"].value() == "Camille"  # what was typed is kept
    assert not Attachment.objects.exists() and private_files() == before


def test_a_draft_saved_on_a_nearly_full_disk_is_refused_at_the_file_and_keeps_what_was_typed(
    client, call, nearly_full_disk
):
    from .conftest import valid_data
    from .test_apply import field_errors, post_form

    before = private_files()
    response = post_form(client, valid_data(action="draft"))
    # A draft stores all it was given or nothing (test_drafts.py): here nothing, with why at the file.
    assert response.status_code == 200
    assert "manque momentanément de place" in field_errors(response)["id_statutes"]
    assert response.context["form"]["first_name"].value() == "Camille"
    assert not Draft.objects.exists() and private_files() == before


def test_free_space_is_read_on_the_private_folder_even_before_it_exists(settings, tmp_path):
    from microprojets.files import free_private_space

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "pas" / "encore" / "là"
    # The same file system's free space: other processes write between the two readings, so not to the byte.
    assert abs(free_private_space() - shutil.disk_usage(tmp_path).free) < 64 * 1024 * 1024
