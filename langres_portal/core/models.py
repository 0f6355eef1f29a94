"""Site-wide data: who runs the site, its editable pages and texts, and the e-mail outbox."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .colors import darker, rgb_triplet, validate_main_color
from .fields import RichTextField

french_phone_validator = RegexValidator(
    r"^(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}$",
    "Saisissez un numéro de téléphone français, par exemple 06 12 34 56 78.",
)


def phone_uri(phone: str) -> str:
    """tel: link of a French number: 01 99 00 12 34 → tel:+33199001234."""
    digits = "".join(c for c in phone if c.isdigit() or c == "+")
    return "tel:+33" + digits[1:] if digits.startswith("0") else "tel:" + digits


class ContactDetailsMixin:
    """What templates print of a model with `address` (one line per line) and `phone` fields."""

    @property
    def address_lines(self):
        return [line.strip() for line in self.address.splitlines() if line.strip()]

    @property
    def phone_uri(self):
        return phone_uri(self.phone)


class SiteIdentity(ContactDetailsMixin, models.Model):
    """The commune and the service that run the portal: one row, edited in the admin."""

    class AccessibilityStatus(models.TextChoices):
        NON_CONFORME = "non_conforme", "non conforme"
        PARTIELLEMENT = "partiellement_conforme", "partiellement conforme"
        TOTALEMENT = "totalement_conforme", "totalement conforme"

    commune_name = models.CharField("nom de la collectivité", max_length=120)
    service_name = models.CharField("nom du service", max_length=160)
    tagline = models.CharField("accroche sous le nom", max_length=200, blank=True)
    address = models.TextField("adresse postale", help_text="Une ligne par ligne d’adresse, sans le code postal.")
    postcode = models.CharField("code postal", max_length=10)
    city = models.CharField("ville", max_length=120)
    phone = models.CharField("téléphone", max_length=30, validators=[french_phone_validator])
    email = models.EmailField("courriel du service")
    opening_hours = models.TextField("horaires d’ouverture", blank=True)
    website_url = models.URLField("site de la collectivité", blank=True)
    legal_name = models.CharField(
        "nom officiel de la collectivité",
        max_length=200,
        blank=True,
        help_text="Tel qu’au répertoire SIRENE, par exemple « Commune de … » : il figure dans les données ouvertes "
        "des subventions. Vide : le nom de la collectivité ci-dessus.",
    )
    siret = models.CharField(
        "SIRET de la collectivité",
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", "Le SIRET compte 14 chiffres, sans espace.")],
        help_text="14 chiffres. Obligatoire pour publier les subventions au format SCDL.",
    )
    logo = models.ImageField("logo", upload_to="site/", blank=True)
    logo_alt = models.CharField(
        "texte alternatif du logo", max_length=200, blank=True, help_text="Obligatoire si un logo est fourni."
    )
    main_color = models.CharField(
        "couleur principale",
        max_length=7,
        default="#1b4f8a",
        validators=[validate_main_color],
        help_text="En hexadécimal (#1b4f8a). Elle sert au menu, aux boutons et aux liens : elle doit être assez "
        "foncée pour que le texte blanc s’y lise (contraste d’au moins 4,5 pour 1).",
    )
    banner = models.ImageField(
        "photo du bandeau", upload_to="site/", blank=True, help_text="Montrée en haut de la page d’accueil."
    )
    banner_alt = models.CharField(
        "texte alternatif de la photo du bandeau",
        max_length=250,
        blank=True,
        help_text="Obligatoire si une photo est fournie : décrivez ce qu’elle montre à qui ne la voit pas.",
    )
    accessibility_status = models.CharField(
        "conformité RGAA déclarée",
        max_length=30,
        choices=AccessibilityStatus,
        default=AccessibilityStatus.NON_CONFORME,
        help_text="Reste « non conforme » tant qu’aucun audit RGAA n’a été réalisé (obligation légale).",
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "identité du site et du service"
        verbose_name_plural = "identité du site et du service"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(logo="") | ~models.Q(logo_alt=""),
                name="site_identity_logo_has_alt",
                violation_error_message="Le logo doit avoir un texte alternatif.",
            ),
            models.CheckConstraint(
                condition=models.Q(banner="") | ~models.Q(banner_alt=""),
                name="site_identity_banner_has_alt",
                violation_error_message="La photo du bandeau doit avoir un texte alternatif.",
            ),
        ]

    def __str__(self):
        return f"{self.service_name} – {self.commune_name}"

    def clean(self):
        # Said at the field that is missing, rather than above the form as the constraints would.
        errors = {}
        if self.logo and not self.logo_alt.strip():
            errors["logo_alt"] = "Décrivez le logo (en général, le nom de la collectivité) : il remplace l’image."
        if self.banner and not self.banner_alt.strip():
            errors["banner_alt"] = "Décrivez ce que montre la photo du bandeau, pour qui ne la voit pas."
        if errors:
            raise ValidationError(errors)

    @property
    def main_color_dark(self):
        return darker(self.main_color)

    @property
    def main_color_rgb(self):
        return rgb_triplet(self.main_color)

    @property
    def theme_version(self):
        """What changes in the colour stylesheet's address when staff edit the identity (core.views.theme_css)."""
        return self.updated_at.strftime("%Y%m%d%H%M%S%f") if self.updated_at else "0"

    @classmethod
    def current(cls):
        """The identity row (one indexed query, not cached: an edit shows at once in every process);
        an unsaved blank one before the content is loaded."""
        return cls.objects.order_by("pk").first() or cls(
            commune_name="", service_name="", address="", postcode="", city="", phone="", email=""
        )


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Page(models.Model):
    """An editable page or page introduction, found by its slug (legal pages, home, section intros)."""

    slug = models.SlugField("identifiant", max_length=80, unique=True)
    title = models.CharField("titre", max_length=200)
    summary = models.TextField(
        "chapeau", blank=True, help_text="Une ou deux phrases en tête de page et dans les listes de liens."
    )
    body = RichTextField("contenu", blank=True)
    is_published = models.BooleanField("publiée", default=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = "page ou texte"
        verbose_name_plural = "pages et textes"
        ordering = ["slug"]

    def __str__(self):
        return self.title

    @classmethod
    def get_text(cls, slug):
        """The page for a slug, or None: pages whose text is missing show their other content."""
        return cls.objects.published().filter(slug=slug).first()


class EmailTemplate(models.Model):
    """The words of an automatic e-mail, edited by staff; variables between {{ }} are filled in."""

    key = models.SlugField("identifiant", max_length=80, unique=True)
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("texte", help_text="Les variables entre {{ }} sont remplacées à l’envoi.")
    variables = models.CharField("variables disponibles", max_length=300, blank=True, editable=False)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "modèle de courriel"
        verbose_name_plural = "modèles de courriels"
        ordering = ["key"]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Mails that waited for this template (it was broken or missing) are written at the next run.
        OutboxEmail.objects.waiting_for_template(self.key).update(next_attempt_at=timezone.now())


class OutboxEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(sent_at__isnull=True, gave_up=False, next_attempt_at__lte=now)

    def waiting_for_template(self, key=None):
        """Not sent because their template could not be rendered yet."""
        waiting = self.filter(sent_at__isnull=True, rendered_at__isnull=True)
        return waiting if key is None else waiting.filter(template_key=key)


class OutboxEmail(models.Model):
    """An e-mail written in the same transaction as what it reports, sent later by `send_pending_emails`.

    Writing the mail to the database with the data means neither can exist without the other: if the mail
    server is down, or the process dies right after the commit, the mail waits here and is sent once.
    The template key and its context (JSON) are kept until the mail is written (`rendered_at`): a template
    broken by a typo leaves the mail waiting, with the reason in `last_error`, instead of losing the request.
    """

    template_key = models.SlugField("modèle", max_length=80, blank=True)
    context = models.JSONField("données du modèle", default=dict, blank=True)
    rendered_at = models.DateTimeField("rédigé le", null=True, blank=True)
    to = models.JSONField("destinataires", default=list)
    reply_to = models.JSONField("répondre à", default=list, blank=True)
    subject = models.CharField("objet", max_length=255, blank=True)
    body_text = models.TextField("texte", blank=True)
    body_html = models.TextField("HTML", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    next_attempt_at = models.DateTimeField("prochain essai", default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    gave_up = models.BooleanField("abandonné", default=False)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "courriel en file d’envoi"
        verbose_name_plural = "courriels (file d’envoi)"
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject or f"Courriel « {self.template_key} » (pas encore rédigé)"

    def get_absolute_url(self):
        return reverse("admin:core_outboxemail_change", args=[self.pk])


class RateLimitCounter(models.Model):
    """How many times one client used one public form in one time window (core.ratelimit, database cache).

    Django's DatabaseCache increments with a read then a write, so two workers can both read 4 and write 5; this
    table is counted with one conditional UPDATE instead. The key holds a hash of the client address, never the
    address itself; expired rows are deleted as new windows start.
    """

    key = models.CharField("clé", max_length=200, unique=True)
    count = models.PositiveIntegerField("nombre", default=0)
    expires_at = models.DateTimeField("expire le", db_index=True)

    class Meta:
        verbose_name = "compteur de limite d’envois"
        verbose_name_plural = "compteurs de limite d’envois"

    def __str__(self):
        return self.key
