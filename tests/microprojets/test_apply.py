"""The public form: from the empty page to the receipt, and every bad input of the issue."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pytest_django.asserts import assertContains, assertRedirects

from langres_portal.core.models import OutboxEmail
from microprojets.models import Application, Attachment, BudgetLine, Draft

from .conftest import PDF, valid_data
from .factories import CallFactory

pytestmark = pytest.mark.django_db

APPLY = reverse("microprojets:apply")


def pdf(name="statuts.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def post_form(client, data=None, url=APPLY, **files):
    data = valid_data() if data is None else data
    if "statutes" not in files:
        files["statutes"] = pdf()
    files = {k: v for k, v in files.items() if v is not None}
    return client.post(url, {**data, **files})


def go_to_recap(client, **kwargs):
    response = post_form(client, **kwargs)
    assert response.status_code == 302, response.context and response.context.get("errors")
    return response["Location"]


def submit(client, recap_url):
    return client.post(recap_url, {"engagement": "on"})


def field_errors(response):
    return {anchor: message for anchor, _label, message in response.context["errors"]}


# --- The happy path ---------------------------------------------------------------------------------------------


def test_form_page_shows_the_open_call(client, call):
    response = client.get(APPLY)
    assertContains(response, "<h1>Déposer un microprojet</h1>", html=True)
    assertContains(response, call.title)
    assertContains(response, 'href="/donnees-personnelles/"')
    assert "noindex" not in response.content.decode()


def test_full_submission_creates_one_application_with_budget_files_and_two_emails(client, call):
    recap_url = go_to_recap(client)
    draft = Draft.objects.get()
    assert recap_url == reverse("microprojets:recap", args=[draft.token])
    recap = client.get(recap_url)
    assertContains(recap, "Récapitulatif de votre dossier")
    assertContains(recap, "Bacs de culture")
    assertContains(recap, "1\xa0000,50 €")  # total of expenses, recomputed by the server
    assertContains(recap, "statuts.pdf")
    assertContains(recap, "Vous n’avez pas joint de devis")  # recommended, not required
    assert Application.objects.count() == 0  # nothing is sent before the recap is confirmed

    response = submit(client, recap_url)
    application = Application.objects.get()
    assertRedirects(response, reverse("microprojets:receipt", args=[application.tracking_token]))
    assert re.fullmatch(rf"MP-{timezone.localdate().year}-0001", application.reference)
    assert application.status == Application.Status.SUBMITTED
    assert application.budget_lines.filter(kind=BudgetLine.Kind.EXPENSE).count() == 2
    assert application.expenses_total == application.resources_total
    attachment = application.attachments.get()
    assert attachment.kind == Attachment.Kind.STATUTES and attachment.original_name == "statuts.pdf"
    assert attachment.scan_status == Attachment.ScanStatus.PENDING  # no clamd in this test
    assert "statuts" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert not Draft.objects.exists()
    mails = list(OutboxEmail.objects.order_by("pk"))
    assert [m.to for m in mails] == [["camille@example.org"], ["sebastien.bertrand@langres.fr"]]
    assert application.reference in mails[0].subject
    assert application.tracking_token in mails[0].body_text
    assert application.tracking_token not in mails[1].body_text  # staff get the admin link

    receipt = client.get(response["Location"])
    assertContains(receipt, application.reference)
    assertContains(receipt, '<meta name="robots" content="noindex, nofollow">', html=True)
    assert receipt["Referrer-Policy"] == "no-referrer"


def test_a_second_submit_of_the_same_form_makes_no_second_application(client, call):
    recap_url = go_to_recap(client)
    first = submit(client, recap_url)
    second = submit(client, recap_url)
    assert Application.objects.count() == 1
    assert OutboxEmail.objects.count() == 2
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert client.get(recap_url)["Location"] == first["Location"]


def test_references_follow_each_other_in_the_year(client, call):
    for _ in range(3):
        submit(client, go_to_recap(client))
    year = timezone.localdate().year
    assert sorted(Application.objects.values_list("reference", flat=True)) == [
        f"MP-{year}-0001",
        f"MP-{year}-0002",
        f"MP-{year}-0003",
    ]


def test_engagement_is_required_on_the_recap_page(client, call):
    recap_url = go_to_recap(client)
    response = client.post(recap_url, {})
    assert response.status_code == 200
    assertContains(response, "Cochez la case pour certifier")
    assertContains(response, "<title>Erreur – Récapitulatif de votre dossier – Ville de Langres</title>", html=True)
    assert not Application.objects.exists()


def test_mail_server_down_keeps_the_application_and_the_command_sends_the_mail_once(
    client, call, settings, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.microprojets.test_apply.BrokenBackend"
    submit(client, go_to_recap(client))
    assert Application.objects.count() == 1
    call_command("send_pending_emails", verbosity=0)
    assert OutboxEmail.objects.filter(sent_at=None).count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxEmail.objects.update(next_attempt_at=timezone.now())
    call_command("send_pending_emails", verbosity=0)
    call_command("send_pending_emails", verbosity=0)
    assert len(mailoutbox) == 2
    acknowledgement = mailoutbox[0]
    assert acknowledgement.alternatives[0].mimetype == "text/html"
    assert Application.objects.get().reference in acknowledgement.body


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("serveur de courriel arrêté")


def test_a_failure_while_saving_leaves_nothing_half_done(client, call, monkeypatch):
    recap_url = go_to_recap(client)

    def explode(*args, **kwargs):
        raise RuntimeError("panne au milieu de l’enregistrement")

    monkeypatch.setattr("microprojets.services.submission.queue_acknowledgements", explode)
    client.raise_request_exception = False
    response = submit(client, recap_url)
    assert response.status_code == 500
    assert not Application.objects.exists() and not BudgetLine.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert Draft.objects.get().attachments.count() == 1  # the draft and its file are intact: retry works
    monkeypatch.undo()
    submit(client, recap_url)
    assert Application.objects.get().attachments.count() == 1


# --- The call ---------------------------------------------------------------------------------------------------


def test_no_open_call_shows_a_clear_page_not_a_404(client, content):
    CallFactory(closed=True)
    response = client.get(APPLY)
    assert response.status_code == 200
    assertContains(response, "Aucun appel à projets n’est ouvert")
    assertContains(response, "03 25 87 77 90")


def test_form_posted_just_after_the_closing_time_is_refused_and_kept(client, call):
    recap_url = go_to_recap(client)
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save()
    response = submit(client, recap_url)
    assert response.status_code == 409
    assertContains(response, "est clos depuis", status_code=409)
    assert not Application.objects.exists()
    assert Draft.objects.exists()


# --- Bad input --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"depenses-0-amount": "1000"}, "id_amount_requested", "Le budget n’est pas équilibré"),
        (
            {"amount_requested": "1600", "depenses-0-amount": "1700,50"},
            "id_amount_requested",
            "dépasse le maximum de l’appel (1\xa0500,00 €)",
        ),
        ({"amount_requested": "0"}, "id_amount_requested", "supérieur à 0 €"),
        ({"depenses-1-amount": "-100"}, "id_depenses-1-amount", "supérieur à 0 €"),
        ({"depenses-1-amount": "cent euros"}, "id_depenses-1-amount", "Saisissez un montant en chiffres"),
        ({"depenses-1-amount": "10,555"}, "id_depenses-1-amount", "Deux chiffres après la virgule"),
        ({"depenses-1-amount": ""}, "id_depenses-1-amount", "Indiquez le montant de cette ligne"),
        ({"starts_on": "2020-01-01"}, "id_starts_on", "ne peut pas être passée"),
        (
            {"ends_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "id_ends_on",
            "postérieure à la date de début",
        ),
        ({"starts_on": "31/02/2027"}, "id_starts_on", "Saisissez une date valide"),
        ({"siret": "12345678901234", "rna": ""}, "id_siret", "n’existe pas"),
        ({"siret": "1234", "rna": ""}, "id_siret", "14 chiffres"),
        ({"rna": "522001234"}, "id_rna", "W suivi de 9 chiffres"),
        ({"rna": ""}, "id_rna", "indiquez le numéro RNA ou le SIRET"),
        ({"email": "camille@"}, "id_email", "adresse électronique valide"),
        ({"phone": "12345"}, "id_phone", "numéro de téléphone français"),
        ({"summary": "x" * 10_000}, "id_summary", "au plus 500 caractères"),
        ({"title": "x" * 10_000}, "id_title", "au plus 150 caractères"),
        ({"porteur_kind": "collectif", "rna": ""}, "id_residents_count", "combien d’habitants"),
        (
            {"depenses-0-label": "", "depenses-0-amount": "", "depenses-1-label": "", "depenses-1-amount": ""},
            "id_depenses-0-label",
            "au moins une dépense",
        ),
    ],
)
def test_bad_input_gets_a_french_message_at_the_field_and_keeps_the_rest(client, call, overrides, field, message):
    response = post_form(client, valid_data(**overrides))
    assert response.status_code == 200
    errors = field_errors(response)
    assert field in errors and message in errors[field], errors
    page = response.content.decode()
    assert "<title>Erreur – Déposer un microprojet" in page
    assert f'href="#{field}"' in page
    assert 'value="Association Vivre ensemble"' in page  # what was typed is still there
    assert not Application.objects.exists()


def test_a_valid_siret_alone_is_enough_for_an_association(client, call):
    go_to_recap(client, data=valid_data(rna="", siret="200 072 999 00010"))


def test_script_tags_are_shown_escaped_in_the_recap_the_receipt_the_tracking_page_and_the_emails(
    client, call, admin_client
):
    script = "<script>alert(1)</script>"
    data = valid_data(title=f"Projet {script}", organisation_name=f"Asso {script}", **{"depenses-0-label": script})
    recap_url = go_to_recap(client, data=data)
    recap = client.get(recap_url).content.decode()
    assert script not in recap and "&lt;script&gt;alert(1)&lt;/script&gt;" in recap
    receipt_url = submit(client, recap_url)["Location"]
    application = Application.objects.get()
    for url in (receipt_url, application.get_tracking_url()):
        page = client.get(url).content.decode()
        assert script not in page and "&lt;script&gt;" in page
    admin_page = admin_client.get(reverse("admin:microprojets_application_change", args=[application.pk]))
    assert script not in admin_page.content.decode()
    for mail in OutboxEmail.objects.all():
        assert script not in mail.body_html and "&lt;script&gt;" in mail.body_html


def test_receipt_spells_out_the_tracking_link_for_an_applicant_without_the_email(client, call):
    receipt_url = submit(client, go_to_recap(client))["Location"]
    application = Application.objects.get()
    tracking_url = "http://testserver" + application.get_tracking_url()
    assertContains(
        client.get(receipt_url), f'<span class="text-break user-select-all">{tracking_url}</span>', html=True
    )


def test_honeypot_filled_saves_nothing(client, call):
    response = post_form(client, valid_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not Draft.objects.exists() and not Application.objects.exists()


def test_rate_limit_per_ip_stops_the_sixth_application_in_an_hour(client, call, settings):
    settings.FORM_RATE_LIMIT_PER_HOUR = 2
    for _ in range(2):
        submit(client, go_to_recap(client))
    response = submit(client, go_to_recap(client))
    assert response.status_code == 429
    assertContains(response, "Trop d’envois", status_code=429)
    assert Application.objects.count() == 2
    assert Draft.objects.count() == 1  # the third one is kept, to send later


def test_refusals_on_a_private_link_keep_the_link_private(client, call, settings):
    # The rate-limit and size answers of the recap and draft pages have the token in their URL, like the pages.
    settings.FORM_RATE_LIMIT_PER_HOUR = 0
    recap_url = go_to_recap(client)
    refused = submit(client, recap_url)
    assert refused.status_code == 429
    assert refused["X-Robots-Tag"] == "noindex, nofollow" and refused["Referrer-Policy"] == "same-origin"
    resume_url = recap_url.removesuffix("recapitulatif/")
    too_big = client.post(resume_url, valid_data(), CONTENT_LENGTH=str(30 * 1024 * 1024))
    assert too_big.status_code == 413
    assert too_big["X-Robots-Tag"] == "noindex, nofollow" and too_big["Referrer-Policy"] == "same-origin"


def test_request_bigger_than_the_limit_is_refused_with_a_page(client, call):
    response = client.post(APPLY, valid_data(), CONTENT_LENGTH=str(30 * 1024 * 1024))
    assert response.status_code == 413
    assertContains(response, "trop volumineux", status_code=413)


# --- Files ------------------------------------------------------------------------------------------------------


def png_bytes(size=(10, 10)):
    buffer = BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("statuts.pdf", b"MZ\x90\x00" + b"\x00" * 200), "n’est ni un PDF"),
        (SimpleUploadedFile("statuts.pdf", b"<html><script>alert(1)</script></html>"), "n’est ni un PDF"),
        (SimpleUploadedFile("statuts.pdf", b""), "est vide"),
        (SimpleUploadedFile("statuts.pdf", PDF + b"0" * (6 * 1024 * 1024)), "la taille maximale est de 5 Mo"),
        (SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\nnot really a png"), "illisible ou trop grande"),
    ],
)
def test_bad_files_are_refused_at_the_field(client, call, upload, message):
    response = post_form(client, statutes=upload)
    errors = field_errors(response)
    assert message in errors["id_statutes"], errors
    assert not Attachment.objects.exists()


def test_png_decompression_bomb_is_refused(client, call):
    # 20 000 × 20 000 pixels of one colour: a few hundred kilobytes that would need 1.2 GB in memory.
    bomb = BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < 5 * 1024 * 1024
    response = post_form(client, statutes=SimpleUploadedFile("plan.png", bomb.getvalue()))
    assert "illisible ou trop grande" in field_errors(response)["id_statutes"]


def test_png_and_jpeg_are_accepted_by_their_content_whatever_their_name(client, call):
    buffer = BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "JPEG")
    go_to_recap(
        client,
        statutes=SimpleUploadedFile("statuts.png", png_bytes()),
        quote=SimpleUploadedFile("devis", buffer.getvalue()),
    )
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == ["image/jpeg", "image/png"]


def test_a_sixth_file_is_refused(client, call):
    others = [pdf(f"piece{i}.pdf") for i in range(4)]
    response = post_form(client, others=others, quote=pdf("devis.pdf"))
    assert "5 au plus" in field_errors(response)["id_others"]
    assert not Attachment.objects.exists()


def test_statutes_are_required_for_an_association_but_not_for_a_collective(client, call):
    response = post_form(client, statutes=None)
    assert "joignez ses statuts" in field_errors(response)["id_statutes"]
    go_to_recap(client, data=valid_data(porteur_kind="collectif", rna="", residents_count="8"), statutes=None)


def test_valid_files_are_kept_when_another_field_is_wrong(client, call):
    response = post_form(client, valid_data(phone="12"))
    assert response.status_code == 200
    draft = Draft.objects.get()
    assert draft.attachments.get().original_name == "statuts.pdf"
    assertContains(response, "Retirer « statuts.pdf »")
    # The corrected form, sent to the draft's address without choosing the file again, goes through.
    response = post_form(client, valid_data(), url=reverse("microprojets:resume", args=[draft.token]), statutes=None)
    assert response.status_code == 302
    submit(client, response["Location"])
    assert Application.objects.get().attachments.count() == 1


def test_an_empty_file_among_several_is_named_and_the_good_ones_are_kept(client, call):
    others = [SimpleUploadedFile("vide.pdf", b""), pdf("photos.pdf")]
    response = post_form(client, others=others)
    assert response.status_code == 200
    assert "« vide.pdf » est vide" in field_errors(response)["id_others"]
    assert sorted(Draft.objects.get().attachments.values_list("original_name", flat=True)) == [
        "photos.pdf",
        "statuts.pdf",
    ]


def test_every_budget_and_file_rule_is_said_on_the_first_try(client, call):
    """An over-maximum amount and missing statutes are said with the other errors, not one round later."""
    data = valid_data(phone="12", amount_requested="2000", **{"depenses-1-amount": "abc"})
    errors = field_errors(post_form(client, data, statutes=None))
    assert "numéro de téléphone français" in errors["id_phone"]
    assert "Saisissez un montant en chiffres" in errors["id_depenses-1-amount"]
    assert "dépasse le maximum de l’appel" in errors["id_amount_requested"]
    assert "joignez ses statuts" in errors["id_statutes"]


def test_statutes_chosen_but_not_checked_get_no_missing_statutes_message(client, call):
    others = [pdf(f"piece{i}.pdf") for i in range(4)]
    errors = field_errors(post_form(client, others=others, quote=pdf("devis.pdf")))
    assert "5 au plus" in errors["id_others"]
    assert "id_statutes" not in errors


def test_error_summary_links_radio_groups_to_their_first_choice(client, call):
    response = post_form(client, valid_data(porteur_kind=""))
    assert field_errors(response)["id_porteur_kind_0"] == "Ce champ est obligatoire."
    assertContains(
        response,
        '<a href="#id_porteur_kind_0">Vous déposez ce projet en tant que : Ce champ est obligatoire.</a>',
        html=True,
    )


def test_file_names_never_reach_the_disk_and_cannot_climb_out_of_the_folder(client, call, settings):
    go_to_recap(client, statutes=pdf("../../../etc/passwd.pdf"))
    attachment = Attachment.objects.get()
    assert attachment.original_name == "passwd.pdf"  # Django keeps only the base name
    assert attachment.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "passwd" not in attachment.file.name


def test_every_post_of_the_form_counts_against_a_per_ip_limit(client, call):
    from microprojets.views import public as views

    for _ in range(views.DRAFT_RATE_LIMIT):
        post_form(client, valid_data(phone="12"), statutes=None)
    response = post_form(client, valid_data(phone="12"), statutes=None)
    assert response.status_code == 429


def test_personal_data_notice_names_each_item_of_article_13(client, call):
    page = client.get(APPLY).content.decode()
    for item in ("Ville de Langres", "délégué à la protection des données", "instruire votre demande",
                 "article 6-1-e", "comité de sélection", "3 mois", "rectifier", "CNIL", "obligatoires"):  # fmt: skip
        assert item in page, item


def test_form_posted_after_the_call_closed_gets_the_closed_page_and_stores_nothing(client, call):
    page = client.get(APPLY)
    assert page.status_code == 200
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save()
    response = post_form(client)
    assertContains(response, "Aucun appel à projets n’est ouvert")
    assert not Draft.objects.exists() and not Attachment.objects.exists()


def test_a_draft_no_longer_valid_sends_back_to_the_form_with_the_reason(client, call):
    recap_url = go_to_recap(client)
    draft = Draft.objects.get()
    draft.data["starts_on"] = (timezone.localdate() - timedelta(days=1)).isoformat()
    draft.save()
    response = client.get(recap_url)
    assert response["Location"] == reverse("microprojets:resume", args=[draft.token]) + "?verifier=1"
    form = client.get(response["Location"])
    assert "ne peut pas être passée" in field_errors(form)["id_starts_on"]
    assert "<title>Erreur – " in form.content.decode()


def test_the_edit_link_of_a_sent_application_says_it_was_sent_without_its_tracking_link(client, call):
    recap_url = go_to_recap(client)
    token = Draft.objects.get().token
    submit(client, recap_url)
    response = client.get(reverse("microprojets:resume", args=[token]))
    assertContains(response, "Ce dossier a déjà été envoyé")
    assert Application.objects.get().tracking_token not in response.content.decode()
