"""Programme de Réussite Éducative (PRE): the editable pages for families and partners, and the confidential
requests to be called back, readable only by the members of the group « Coordination PRE ».

Source of the texts: the city's page on the PRE (shared/seed), loaded from pre.toml. The PRE itself was created
by the loi n° 2005-32 du 18 janvier 2005 de programmation pour la cohésion sociale and is run under the ANCT.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse

from langres_portal.core.drafts import PublishableQuerySet
from langres_portal.core.fields import RichTextField
from langres_portal.core.history import ContentHistory
from langres_portal.core.models import ContactDetailsMixin, french_phone_validator
from langres_portal.core.permissions import ROLE_PRE
from langres_portal.core.uploads import AltText, AltTextMixin, PublicImageField, alt_text_constraint

# The only group whose members read the requests (created by migration 0002). See core.permissions.
COORDINATION_GROUP = ROLE_PRE


class SectionQuerySet(PublishableQuerySet):
    pass


class Section(models.Model):
    """A part of the PRE page (what it is, for whom, objectives…), in the order staff choose."""

    class Extra(models.TextChoices):
        NONE = "", "Rien"
        ADDRESS_LOOKUP = "address_lookup", "Le lien vers la recherche d’adresse (quartier prioritaire)"
        TEAM = "team", "Les membres de l’équipe"
        CONTACT = "contact", "Les coordonnées et le lien vers la demande de rappel"
        FAQ = "faq", "Les questions fréquentes"

    slug = models.SlugField(
        "ancre", max_length=80, unique=True, help_text="Fin de l’adresse du lien direct vers la partie (#ancre)."
    )
    title = models.CharField("titre", max_length=200)
    body = RichTextField("texte", blank=True)
    extra = models.CharField("à afficher après le texte", max_length=20, choices=Extra, default=Extra.NONE, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    is_published = models.BooleanField("publiée", default=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = SectionQuerySet.as_manager()

    history = ContentHistory()

    class Meta:
        verbose_name = "partie de la page"
        verbose_name_plural = "parties de la page"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pre:index") + f"#{self.slug}"


class FaqEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class FaqEntry(models.Model):
    """A question parents often ask, and the team's answer."""

    question = models.CharField("question", max_length=250)
    answer = RichTextField("réponse")
    order = models.PositiveSmallIntegerField("ordre", default=0)
    is_published = models.BooleanField("publiée", default=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = FaqEntryQuerySet.as_manager()

    history = ContentHistory()

    class Meta:
        verbose_name = "question fréquente"
        verbose_name_plural = "questions fréquentes"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("pre:index")


class TeamMember(AltTextMixin, models.Model):
    """A role in the PRE team; the name and the photo are optional."""

    role = models.CharField("rôle", max_length=120)
    name = models.CharField("nom", max_length=120, blank=True, help_text="Facultatif.")
    description = models.TextField("ce que fait cette personne", blank=True)
    photo = PublicImageField("photo", upload_to="pre/equipe/", blank=True, help_text="Facultative.", renditions=[192])
    photo_alt = models.CharField(
        "texte alternatif de la photo",
        max_length=200,
        blank=True,
        help_text="Obligatoire si une photo est fournie, sauf si elle est décorative.",
    )
    photo_is_decorative = models.BooleanField(
        "photo décorative", default=False, help_text="Cochez si la photo n’apporte rien de plus que le nom à côté."
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = ContentHistory()

    class Meta:
        verbose_name = "membre de l’équipe"
        verbose_name_plural = "membres de l’équipe"
        ordering = ["order", "pk"]
        constraints = [
            alt_text_constraint(
                "pre_teammember_photo_has_alt", image="photo", alt="photo_alt", decorative="photo_is_decorative"
            )
        ]

    ALT_TEXTS = (AltText("photo", "photo_alt", "photo_is_decorative"),)

    def __str__(self):
        return f"{self.role} – {self.name}" if self.name else self.role

    def get_absolute_url(self):
        return reverse("pre:index")


class PreSettings(ContactDetailsMixin, models.Model):
    """Contact details of the PRE and the texts around the request form: one row, edited in the admin."""

    contact_name = models.CharField(
        "nom du contact", max_length=160, help_text="Par exemple : Programme de Réussite Éducative."
    )
    contact_role = models.CharField(
        "qui répond", max_length=160, blank=True, help_text="Par exemple : la coordinatrice du PRE."
    )
    phone = models.CharField("téléphone", max_length=30, validators=[french_phone_validator])
    email = models.EmailField("courriel public")
    address = models.TextField("adresse postale", help_text="Une ligne par ligne d’adresse, sans le code postal.")
    postcode = models.CharField("code postal", max_length=10)
    city = models.CharField("ville", max_length=120)
    opening_hours = models.TextField("horaires", blank=True)
    coordinator_email = models.EmailField(
        "courriel prévenu des nouvelles demandes",
        help_text="Adresse de la coordination du PRE. Le courriel ne contient aucune donnée personnelle : "
        "seulement un lien vers la demande dans l’administration.",
    )
    message_warning = models.TextField(
        "avertissement au-dessus du message",
        help_text="Rappelle de ne rien écrire sur la santé ou la situation de l’enfant.",
    )
    privacy_notice = RichTextField(
        "information sur les données personnelles",
        help_text="Affichée sous le formulaire : responsable, finalité, base légale, destinataires, durée, droits.",
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = ContentHistory()

    class Meta:
        verbose_name = "réglages du PRE"
        verbose_name_plural = "réglages du PRE"

    def __str__(self):
        return self.contact_name

    @classmethod
    def current(cls):
        """The settings row, or an unsaved blank one before the content is loaded."""
        return cls.objects.order_by("pk").first() or cls(
            contact_name="", phone="", email="", address="", postcode="", city="", coordinator_email=""
        )


class ContactRequestQuerySet(models.QuerySet):
    def handled(self):
        return self.filter(handled_at__isnull=False)

    def to_handle(self):
        return self.filter(handled_at__isnull=True)

    def expired(self, now, days):
        """Handled more than `days` days before `now`: to delete (see retention.py)."""
        return self.filter(handled_at__lt=now - timedelta(days=days))


class ContactRequest(models.Model):
    """A parent or a professional asks to be called back. Confidential: only the group « Coordination PRE »."""

    class RequesterType(models.TextChoices):
        PARENT = "parent", "Parent (ou personne qui élève l’enfant)"
        EDUCATION = "education", "Professionnel de l’éducation"
        SOCIAL_HEALTH = "social_health", "Professionnel du social ou de la santé"
        OTHER = "other", "Autre"

    class Moment(models.TextChoices):
        MORNING = "morning", "Le matin"
        NOON = "noon", "Entre midi et deux"
        AFTERNOON = "afternoon", "L’après-midi"
        EVENING = "evening", "En fin de journée (après 17 h)"

    MESSAGE_MAX_LENGTH = 500

    requester_type = models.CharField("vous êtes", max_length=20, choices=RequesterType)
    name = models.CharField("nom", max_length=120)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)
    preferred_moments = models.JSONField("moments préférés pour l’appel", default=list, blank=True)
    message = models.TextField("message", max_length=MESSAGE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField("reçue le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    handled_at = models.DateTimeField("traitée le", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="traitée par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de contact"
        verbose_name_plural = "demandes de contact"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phone="") | ~models.Q(email=""),
                name="pre_contactrequest_phone_or_email",
                violation_error_message="Indiquez un numéro de téléphone ou une adresse électronique.",
            ),
            models.CheckConstraint(
                condition=models.Q(handled_at__isnull=True, handled_by__isnull=True)
                | models.Q(handled_at__isnull=False),
                name="pre_contactrequest_handled_by_needs_handled_at",
                violation_error_message="Une demande n’a une personne qui l’a traitée que si elle est traitée.",
            ),
        ]

    def __str__(self):
        # No personal data here: this text is kept in the admin's history after the request is deleted.
        return f"Demande n° {self.pk}" if self.pk else "Nouvelle demande"

    @property
    def is_handled(self):
        return self.handled_at is not None

    def get_preferred_moments_display(self):
        labels = dict(self.Moment.choices)
        return ", ".join(labels.get(m, m) for m in self.preferred_moments) or "Indifférent"
