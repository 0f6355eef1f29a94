"""Microprojets: calls for projects, applications with their budget and files, drafts, and their timeline."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxLengthValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from langres_portal.core.drafts import PublishableQuerySet
from langres_portal.core.fields import RichTextField
from langres_portal.core.history import ContentHistory
from langres_portal.core.models import french_phone_validator
from langres_portal.core.uploads import DOCUMENT_TYPES, OFFICE_TYPES, PublicFileField

from . import workflow
from .formats import euros

MAX_FILE_SIZE = 5 * 1024 * 1024  # 5 Mo per file
MAX_FILES = 5  # per application
ALLOWED_CONTENT_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
# The extension of each accepted type, read from the file's bytes: stored and downloaded files always carry it,
# whatever the sender named them (« devis.bat » holding a PDF is saved and downloaded as a .pdf).
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

rna_validator = RegexValidator(
    r"^W\d{9}$", "Le numéro RNA commence par W suivi de 9 chiffres, par exemple W123456789."
)


def new_token() -> str:
    """A private link token: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def private_storage():
    return storages["private"]


def attachment_path(instance, filename):
    """A random stored name: the applicant's file name is kept only in `original_name`."""
    ext = EXTENSIONS.get(instance.content_type, "bin")
    now = timezone.now()
    return f"microprojets/{now:%Y/%m}/{secrets.token_hex(16)}.{ext}"


def default_quorum():
    return settings.COMMITTEE_DEFAULT_QUORUM


class CallQuerySet(PublishableQuerySet):
    # A call staff have not published yet is neither open nor upcoming for anyone on the site.
    def open_at(self, now=None):
        now = now or timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        return self.published().filter(opens_at__gt=now or timezone.now()).order_by("opens_at")


class Call(models.Model):
    """An « appel à projets »: the period during which applications are received, and its money."""

    title = models.CharField("titre", max_length=200)
    text = RichTextField("présentation", blank=True)
    opens_at = models.DateTimeField("ouverture des dépôts")
    closes_at = models.DateTimeField("clôture des dépôts")
    envelope = models.DecimalField(
        "enveloppe totale (€)", max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    max_amount = models.DecimalField(
        "montant maximum par projet (€)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    eligibility = RichTextField("conditions d’éligibilité", blank=True)
    committee_date = models.DateField(
        "prochain comité de sélection",
        null=True,
        blank=True,
        help_text="Affichée sur les pages des microprojets tant qu’aucune séance du comité à venir n’examine cet "
        "appel (rubrique « Séances du comité »).",
    )
    committee_quorum = models.PositiveSmallIntegerField(
        "quorum du comité",
        default=default_quorum,
        validators=[MinValueValidator(1)],
        help_text="Nombre de membres présents, sans conflit d’intérêts, nécessaire pour décider d’un dossier.",
    )
    is_example = models.BooleanField("exemple", default=False, help_text="Donnée de démonstration.")
    is_published = models.BooleanField(
        "publié",
        default=True,
        help_text="Décoché : l’appel reste un brouillon, absent du site (ni ouvert, ni annoncé) même à ses dates.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = CallQuerySet.as_manager()

    history = ContentHistory()

    class Meta:
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="microprojets_call_closes_after_opening",
                violation_error_message="La clôture doit être postérieure à l’ouverture.",
            ),
            models.CheckConstraint(
                condition=models.Q(max_amount__gt=0, max_amount__lte=models.F("envelope")),
                name="microprojets_call_max_amount_within_envelope",
                violation_error_message="Le montant maximum doit être positif et ne pas dépasser l’enveloppe.",
            ),
            models.CheckConstraint(
                condition=models.Q(committee_quorum__gte=1),
                name="microprojets_call_quorum_positive",
                violation_error_message="Le quorum du comité est d’au moins un membre.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("microprojets:index")

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at


class CallDocument(models.Model):
    """A public document of a call (rules, budget template), downloaded from the call's page."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents", verbose_name="appel")
    title = models.CharField("intitulé", max_length=200)
    file = PublicFileField("fichier", upload_to="microprojets/appels/", types=DOCUMENT_TYPES + OFFICE_TYPES)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = ContentHistory()

    class Meta:
        verbose_name = "document de l’appel"
        verbose_name_plural = "documents de l’appel"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class ReferenceCounter(models.Model):
    """The last reference number given in a year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField("année", primary_key=True)
    last = models.PositiveIntegerField("dernier numéro", default=0)

    class Meta:
        verbose_name = "compteur de références"
        verbose_name_plural = "compteurs de références"

    def __str__(self):
        return f"{self.year} : {self.last}"


class PorteurKind(models.TextChoices):
    ASSOCIATION = "association", "Association loi 1901"
    COLLECTIF = "collectif", "Collectif d’habitants"
    HABITANT = "habitant", "Habitant accompagné par une structure"


class ApplicationQuerySet(models.QuerySet):
    def funded(self):
        """Granted and not given up: retained, paid, reported on or closed."""
        return self.filter(status__in=workflow.GRANTED - {workflow.Status.NOT_CARRIED_OUT})


def status_q(statuses) -> models.Q:
    return models.Q(status__in=sorted(statuses))


class Application(models.Model):
    """An application (dossier) sent to a call; it has a reference from the moment it is received."""

    # The two parts of the form, in the order the applicant fills them (the form and the admin show them so).
    PORTEUR_FIELDS = [
        "porteur_kind", "organisation_name", "rna", "siret", "residents_count",
        "first_name", "last_name", "role", "email", "phone", "address",
    ]  # fmt: skip
    PROJECT_FIELDS = [
        "title", "summary", "description", "objectives", "audience", "participants_count",
        "quartier", "place", "starts_on", "ends_on", "pillar",
    ]  # fmt: skip

    Status = workflow.Status

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name="appel")
    reference = models.CharField("référence", max_length=20, unique=True)
    status = models.CharField("statut", max_length=20, choices=Status, default=Status.SUBMITTED)
    tracking_token = models.CharField("jeton de suivi", max_length=64, unique=True, default=new_token, editable=False)
    # The draft token the application came from: a second submit of the same draft finds this row.
    source_token = models.CharField("jeton du formulaire", max_length=64, unique=True, editable=False)

    # Porteur
    porteur_kind = models.CharField("type de porteur", max_length=20, choices=PorteurKind)
    organisation_name = models.CharField("nom de l’association ou du collectif", max_length=200)
    rna = models.CharField("numéro RNA", max_length=10, blank=True, validators=[rna_validator])
    siret = models.CharField("SIRET", max_length=14, blank=True)
    residents_count = models.PositiveIntegerField("nombre d’habitants impliqués", null=True, blank=True)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    role = models.CharField("fonction", max_length=100)
    email = models.EmailField("courriel")
    phone = models.CharField("téléphone", max_length=20, validators=[french_phone_validator])
    address = models.CharField("adresse postale", max_length=300)

    # Projet
    title = models.CharField("titre du projet", max_length=150)
    summary = models.TextField("résumé", validators=[MaxLengthValidator(500)])
    description = models.TextField("description", validators=[MaxLengthValidator(5000)])
    objectives = models.TextField("objectifs", validators=[MaxLengthValidator(3000)])
    audience = models.CharField("public visé", max_length=300)
    participants_count = models.PositiveIntegerField("nombre de participants attendus")
    quartier = models.ForeignKey(
        "quartiers.Quartier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="microprojets",
        verbose_name="quartier concerné",
    )
    place = models.CharField("lieu", max_length=300)
    starts_on = models.DateField("date de début")
    ends_on = models.DateField("date de fin")
    pillar = models.ForeignKey(
        "contrat_ville.Pillar", on_delete=models.PROTECT, null=True, blank=True, verbose_name="pilier"
    )
    amount_requested = models.DecimalField("montant demandé à la Ville (€)", max_digits=10, decimal_places=2)

    # Instruction: set only by the services of the workflow (services/), never from a form.
    amount_granted = models.DecimalField(
        "montant accordé (€)", max_digits=10, decimal_places=2, null=True, blank=True, editable=False
    )
    amount_paid = models.DecimalField(
        "montant versé (€)", max_digits=10, decimal_places=2, default=Decimal("0"), editable=False
    )
    decided_at = models.DateTimeField("décision le", null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField("statut changé le", default=timezone.now, editable=False)
    # Raised by each move: a page opened before a move posts an older number and is refused (services.moves).
    version = models.PositiveIntegerField("version", default=0, editable=False)
    # Who instructs it: set from the admin page (services.review.assign), listed by « à traiter par moi ».
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="microprojets_assigned",
        verbose_name="instructeur chargé du dossier",
    )
    # Set by the retention command: the personal data, messages and files are gone, the figures stay.
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)

    submitted_at = models.DateTimeField("reçu le", default=timezone.now)
    is_example = models.BooleanField("exemple", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "dossier de microprojet"
        verbose_name_plural = "dossiers de microprojets"
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="microprojets_application_ends_after_start",
                violation_error_message="La date de fin doit être postérieure ou égale à la date de début.",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_requested__gt=0),
                name="microprojets_application_amount_positive",
                violation_error_message="Le montant demandé doit être supérieur à 0 €.",
            ),
            models.CheckConstraint(
                condition=models.Q(reference__regex=r"^MP-[0-9]{4}-[0-9]{4,}$"),
                name="microprojets_application_reference_format",
                violation_error_message="La référence doit avoir la forme MP-AAAA-NNNN.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=workflow.Status.values),
                name="microprojets_application_status_known",
                violation_error_message="Ce statut n’existe pas.",
            ),
            # A grant is decided (an amount, a date) exactly in the statuses that follow it.
            models.CheckConstraint(
                condition=(
                    status_q(workflow.GRANTED)
                    & models.Q(amount_granted__isnull=False, amount_granted__gt=0, decided_at__isnull=False)
                )
                | (~status_q(workflow.GRANTED | {workflow.Status.ABANDONED}) & models.Q(amount_granted__isnull=True))
                | models.Q(status=workflow.Status.ABANDONED),
                name="microprojets_application_granted_with_status",
                violation_error_message="Un dossier retenu a un montant accordé et une date de décision ; "
                "un dossier non retenu ou en cours d’instruction n’en a pas.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=workflow.Status.REJECTED) | models.Q(decided_at__isnull=False),
                name="microprojets_application_rejected_has_date",
                violation_error_message="Un dossier non retenu a une date de décision.",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_granted__isnull=True)
                | models.Q(amount_granted__lte=models.F("amount_requested")),
                name="microprojets_application_granted_within_request",
                violation_error_message="Le montant accordé ne peut pas dépasser le montant demandé.",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_paid=0)
                | models.Q(
                    amount_paid__gt=0, amount_granted__isnull=False, amount_paid__lte=models.F("amount_granted")
                ),
                name="microprojets_application_paid_within_grant",
                violation_error_message="Le total versé ne peut pas dépasser le montant accordé.",
            ),
            models.CheckConstraint(
                condition=~status_q(workflow.PAID) | models.Q(amount_paid__gt=0),
                name="microprojets_application_paid_status_has_payment",
                violation_error_message="Un dossier versé a au moins un versement.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.title}"

    def save(self, *args, **kwargs):
        # The status changes only through services.moves.move(), which writes the log row in the same transaction:
        # a save that changes it otherwise (a form, a shell, a forgotten update_fields) would leave them disagreeing.
        loaded = getattr(self, "_loaded_status", None)
        if self.pk is None and self.status != workflow.Status.SUBMITTED and not getattr(self, "_moving", False):
            raise workflow.MoveNotAllowed(
                "Un dossier commence « Reçu » ; son statut change par services.moves.move()."
            )
        if loaded is not None and self.status != loaded and not getattr(self, "_moving", False):
            raise workflow.MoveNotAllowed("Le statut d’un dossier ne change que par services.moves.move().")
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def get_tracking_url(self):
        return reverse("microprojets:tracking", args=[self.tracking_token])

    @property
    def expenses_total(self):
        return sum(
            (line.amount for line in self.budget_lines.all() if line.kind == BudgetLine.Kind.EXPENSE), Decimal(0)
        )

    @property
    def resources_total(self):
        others = sum(
            (line.amount for line in self.budget_lines.all() if line.kind == BudgetLine.Kind.RESOURCE), Decimal(0)
        )
        return others + self.amount_requested


class BudgetLine(models.Model):
    """A line of the project's budget; the amount requested from the Ville is on the application itself."""

    class Kind(models.TextChoices):
        EXPENSE = "expense", "Dépense"
        RESOURCE = "resource", "Ressource"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines", verbose_name="dossier"
    )
    kind = models.CharField("type", max_length=10, choices=Kind)
    label = models.CharField("intitulé", max_length=200)
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "ligne de budget"
        verbose_name_plural = "lignes de budget"
        ordering = ["kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="microprojets_budgetline_amount_positive",
                violation_error_message="Le montant d’une ligne de budget doit être supérieur à 0 €.",
            ),
        ]

    def __str__(self):
        return f"{self.label} : {euros(self.amount)}"


class Draft(models.Model):
    """An unfinished form, resumed through a private link; not an application (no reference, not in the admin).

    It also carries a finished form between the form and its recap page, so that the files are kept.
    Deleted 3 months after its last change (retention.py).
    """

    token = models.CharField("jeton", max_length=64, unique=True, default=new_token, editable=False)
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="drafts", verbose_name="appel")
    data = models.JSONField("données du formulaire", default=dict)
    email = models.EmailField("courriel", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "brouillon"

    def __str__(self):
        return f"Brouillon {self.pk}"


class Attachment(models.Model):
    """A file sent by an applicant: stored privately under a random name, scanned by ClamAV before any use."""

    class Kind(models.TextChoices):
        STATUTES = "statutes", "Statuts de l’association"
        QUOTE = "quote", "Devis ou estimation"
        OTHER = "other", "Autre pièce"
        RECEIPT = "receipt", "Justificatif de dépense (bilan)"
        PHOTO = "photo", "Photo du projet (bilan)"

    class ScanStatus(models.TextChoices):
        PENDING = "pending", "En attente d’analyse"
        CLEAN = "clean", "Sain"
        INFECTED = "infected", "Infecté (mis en quarantaine)"

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
        verbose_name="dossier",
    )
    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, related_name="attachments", null=True, blank=True, verbose_name="brouillon"
    )
    # The applicant's answer it came with, if any (the thread shows the files under their message).
    event = models.ForeignKey(
        "Event", on_delete=models.SET_NULL, related_name="attachments", null=True, blank=True, verbose_name="message"
    )
    kind = models.CharField("type de pièce", max_length=10, choices=Kind, default=Kind.OTHER)
    file = models.FileField("fichier", storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField("nom d’origine", max_length=255)
    content_type = models.CharField("type", max_length=50)
    size = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    scan_status = models.CharField("analyse antivirus", max_length=10, choices=ScanStatus, default=ScanStatus.PENDING)
    scan_result = models.CharField("résultat de l’analyse", max_length=200, blank=True)
    scanned_at = models.DateTimeField("analysé le", null=True, blank=True)
    created_at = models.DateTimeField("reçu le", auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=True, draft__isnull=False)
                | models.Q(application__isnull=False, draft__isnull=True),
                name="microprojets_attachment_one_owner",
                violation_error_message="Une pièce jointe appartient soit à un dossier, soit à un brouillon.",
            ),
            models.CheckConstraint(
                condition=models.Q(size__gt=0, size__lte=MAX_FILE_SIZE),
                name="microprojets_attachment_size",
                violation_error_message="Un fichier doit faire entre 1 octet et 5 Mo.",
            ),
            models.CheckConstraint(
                condition=models.Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="microprojets_attachment_type",
                violation_error_message="Seuls les fichiers PDF, JPEG et PNG sont acceptés.",
            ),
            models.CheckConstraint(
                condition=~models.Q(scan_status="clean") | models.Q(scanned_at__isnull=False),
                name="microprojets_attachment_clean_has_scan_date",
                violation_error_message="Un fichier sain doit avoir une date d’analyse.",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_downloadable(self):
        return self.scan_status == self.ScanStatus.CLEAN

    @property
    def download_name(self):
        """The name staff's browser saves the file under: the sender's name without its extension, then the
        extension of the type read from the bytes."""
        from .files import display_name  # files.py imports this module

        label = display_name(self.original_name)  # rows saved before labels were cleaned, too
        stem = (label.rsplit(".", 1)[0] if "." in label else label).strip(" .") or "piece-jointe"
        return f"{stem}.{EXTENSIONS.get(self.content_type, 'bin')}"


class Event(models.Model):
    """A line of the application's timeline, shown to the applicant: a status change or a message."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name="dossier"
    )
    status = models.CharField("nouveau statut", max_length=20, choices=Application.Status, blank=True)
    message = models.TextField("message", blank=True, validators=[MaxLengthValidator(5000)])
    from_applicant = models.BooleanField(
        "envoyé par le porteur", default=False, help_text="Complément envoyé depuis la page de suivi."
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name="par"
    )
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "étape du dossier"
        verbose_name_plural = "historique du dossier"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="") | ~models.Q(message=""),
                name="microprojets_event_not_empty",
                violation_error_message="Une étape doit avoir un statut ou un message.",
            ),
        ]

    def __str__(self):
        return self.get_status_display() or self.message[:50]


class StaffNote(models.Model):
    """A private note of the service on an application: never shown on the tracking page nor e-mailed."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="staff_notes", verbose_name="dossier"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="microprojet_notes", verbose_name="agent"
    )
    text = models.TextField("note", validators=[MaxLengthValidator(5000)])
    created_at = models.DateTimeField("le", default=timezone.now)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "note interne"
        verbose_name_plural = "notes internes"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="microprojets_staffnote_not_empty",
                violation_error_message="Écrivez le texte de la note.",
            ),
        ]

    def __str__(self):
        return self.text[:50]


class ReplyTemplate(models.Model):
    """A reply staff start a message to an applicant from (« pièce manquante », « date du comité »…).

    Edited in the admin; the first ones come from the content TOML ([[microprojets_reply_templates]]).
    """

    title = models.CharField("intitulé", max_length=200, unique=True)
    body = models.TextField("texte", validators=[MaxLengthValidator(5000)])
    order = models.PositiveSmallIntegerField("ordre", default=0)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = ContentHistory()

    class Meta:
        verbose_name = "modèle de réponse"
        verbose_name_plural = "modèles de réponse"
        ordering = ["order", "title"]

    def __str__(self):
        return self.title


class StatusChange(models.Model):
    """The instruction's log: one row per move of an application's status, written with the status itself.

    Nobody edits or deletes a row (the admin shows them read-only; the applications they belong to are never
    deleted, only anonymised by the retention command). Who moved it is protected: a user with moves cannot be
    deleted, only deactivated.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="status_changes", verbose_name="dossier"
    )
    from_status = models.CharField("ancien statut", max_length=20, choices=workflow.Status, blank=True)
    to_status = models.CharField("nouveau statut", max_length=20, choices=workflow.Status)
    actor = models.CharField("fait par", max_length=20, choices=workflow.Actor)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="microprojet_status_changes",
        verbose_name="agent",
    )
    comment = models.TextField("commentaire", blank=True, validators=[MaxLengthValidator(5000)])
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "changement de statut"
        verbose_name_plural = "journal de l’instruction"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_status=models.F("to_status")),
                name="microprojets_statuschange_moves",
                violation_error_message="Un changement de statut change le statut.",
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class EligibilityMessage(models.Model):
    """A sentence of the eligibility check's answer (why, what to check, what to do): staff edit the wording.

    The rule (when the sentence is shown) stays in code, keyed by `key`; the words are data.
    """

    class Key(models.TextChoices):
        NOT_COLLECTIVE = "non-collectif", "Projet non collectif (bloquant)"
        PROFIT = "lucratif", "Projet lucratif (bloquant)"
        NOT_RESIDENTS = "hors-habitants", "Ne profite pas aux habitants (bloquant)"
        UNSURE_COLLECTIVE = "nsp-collectif", "Ne sait pas : collectif"
        UNSURE_PROFIT = "nsp-lucratif", "Ne sait pas : sans but lucratif"
        UNSURE_RESIDENTS = "nsp-habitants", "Ne sait pas : habitants d’un quartier concerné"
        UNSURE_DATES = "nsp-dates", "Ne sait pas : dates"
        EARLY_DATES = "dates-avant-comite", "Projet qui commence avant le comité"
        OVER_MAXIMUM = "montant-trop-eleve", "Montant supérieur au maximum de l’appel"
        ADDRESS_OUTSIDE = "adresse-hors-quartier", "Adresse hors des quartiers concernés"
        ADDRESS_UNKNOWN = "adresse-inconnue", "Adresse introuvable"
        WHAT_TO_DO = "que-faire", "Que faire (après un motif ou un point à vérifier)"

    key = models.CharField("cas", max_length=40, choices=Key.choices, unique=True)
    text = models.TextField(
        "texte",
        max_length=1000,
        help_text="Texte simple. Variables : {montant_maximum} (montant maximum de l’appel), "
        "{service} (nom du service), {telephone} (téléphone du service).",
    )

    history = ContentHistory()

    class Meta:
        verbose_name = "réponse du test d’éligibilité"
        verbose_name_plural = "réponses du test d’éligibilité"
        ordering = ["key"]

    def __str__(self):
        return self.get_key_display()


# --- After the decision: payments, the end-of-project report, reminders (services.payment, report, reminders) ---


class Payment(models.Model):
    """A payment of the grant (one « mandat »); Application.amount_paid is their sum, kept under the row lock."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="payments", verbose_name="dossier"
    )
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    paid_on = models.DateField("date du versement")
    order_reference = models.CharField(
        "référence du mandat de paiement", max_length=60, help_text="Numéro du mandat ou de l’ordre de paiement."
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="microprojet_payments",
        verbose_name="enregistré par",
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "versement"
        verbose_name_plural = "versements"
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="microprojets_payment_amount_positive",
                violation_error_message="Le montant d’un versement doit être supérieur à 0 €.",
            ),
        ]

    def __str__(self):
        return f"{euros(self.amount)} le {self.paid_on:%d/%m/%Y}"


class Report(models.Model):
    """The applicant's end-of-project report (« bilan »): sent again, it is updated, its new files added."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="report", verbose_name="dossier"
    )
    what_happened = models.TextField("déroulement du projet", validators=[MaxLengthValidator(5000)])
    people_reached = models.PositiveIntegerField("personnes touchées")
    residents_reached = models.PositiveIntegerField("dont habitants des quartiers", null=True, blank=True)
    volunteers = models.PositiveIntegerField("bénévoles mobilisés", null=True, blank=True)
    sent_count = models.PositiveSmallIntegerField("nombre d’envois", default=1)
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "bilan"
        verbose_name_plural = "bilans"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(residents_reached__isnull=True)
                | models.Q(residents_reached__lte=models.F("people_reached")),
                name="microprojets_report_residents_within_people",
                violation_error_message="Les habitants des quartiers font partie des personnes touchées : "
                "leur nombre ne peut pas être plus grand.",
            ),
        ]

    def __str__(self):
        return f"Bilan du dossier {self.application_id}"


class ReportPhoto(models.Model):
    """A photo of the report (its file is an Attachment of kind « photo », scanned like the others), with the
    applicant's permission to publish it and its text alternative."""

    attachment = models.OneToOneField(
        Attachment, on_delete=models.CASCADE, related_name="report_photo", verbose_name="fichier"
    )
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos", verbose_name="bilan")
    may_publish = models.BooleanField("la Ville peut publier cette photo", default=False)
    alt = models.CharField("description de la photo (texte alternatif)", max_length=250, blank=True)
    created_at = models.DateTimeField("reçue le", auto_now_add=True)

    class Meta:
        verbose_name = "photo du bilan"
        verbose_name_plural = "photos du bilan"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(may_publish=False) | ~models.Q(alt=""),
                name="microprojets_reportphoto_published_has_alt",
                violation_error_message="Une photo que la Ville peut publier a une description (texte alternatif).",
            ),
        ]

    def __str__(self):
        return self.alt or f"Photo {self.pk}"


class Reminder(models.Model):
    """A reminder e-mail sent once per occasion (services.reminders): the unique constraints make a second run
    of send_reminders, or two at the same time, send nothing more."""

    class Kind(models.TextChoices):
        REPORT_DUE = "report_due", "Bilan attendu"
        COMPLEMENT = "complement", "Complément attendu"
        DRAFT_EXPIRING = "draft_expiring", "Brouillon perdu à la clôture de l’appel"
        DATA_DELETION = "data_deletion", "Données bientôt supprimées"

    kind = models.CharField("rappel", max_length=20, choices=Kind)
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name="dossier",
    )
    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name="brouillon"
    )
    # What the series of reminders is about (the request of a complement: its log row), so that a second request
    # has its own series; empty when there is one series per application or draft.
    subject = models.CharField("objet", max_length=40, blank=True)
    occasion = models.PositiveSmallIntegerField("rappel n°")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=True, draft__isnull=False)
                | models.Q(application__isnull=False, draft__isnull=True),
                name="microprojets_reminder_one_owner",
                violation_error_message="Un rappel concerne soit un dossier, soit un brouillon.",
            ),
            models.UniqueConstraint(
                fields=["kind", "application", "subject", "occasion"],
                condition=models.Q(application__isnull=False),
                name="microprojets_reminder_once_per_application_occasion",
                violation_error_message="Ce rappel a déjà été envoyé pour ce dossier.",
            ),
            models.UniqueConstraint(
                fields=["kind", "draft", "subject", "occasion"],
                condition=models.Q(draft__isnull=False),
                name="microprojets_reminder_once_per_draft_occasion",
                violation_error_message="Ce rappel a déjà été envoyé pour ce brouillon.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} n° {self.occasion}"


from .models_committee import AgendaItem, CommitteeMember, CommitteeSession, Vote  # noqa: E402, F401
