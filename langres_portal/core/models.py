"""Site-wide data: who runs the site, its editable pages and texts, and the e-mail outbox."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .colors import darker, rgb_triplet, validate_main_color
from .drafts import PublishableQuerySet
from .fields import RichTextField
from .history import ContentHistory
from .uploads import AltText, AltTextMixin, PublicImageField, alt_text_constraint

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


class SiteIdentity(AltTextMixin, ContactDetailsMixin, models.Model):
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
    logo = PublicImageField("logo", upload_to="site/", blank=True, renditions=[240])
    logo_alt = models.CharField(
        "texte alternatif du logo",
        max_length=200,
        blank=True,
        help_text="Obligatoire si un logo est fourni, sauf s’il est décoratif.",
    )
    logo_is_decorative = models.BooleanField(
        "logo décoratif",
        default=False,
        help_text="Cochez si le logo n’apporte rien de plus que le nom du service écrit à côté : les lecteurs "
        "d’écran l’ignoreront.",
    )
    main_color = models.CharField(
        "couleur principale",
        max_length=7,
        default="#1b4f8a",
        validators=[validate_main_color],
        help_text="En hexadécimal (#1b4f8a). Elle sert au menu, aux boutons et aux liens : elle doit être assez "
        "foncée pour que le texte blanc s’y lise (contraste d’au moins 4,5 pour 1).",
    )
    banner = PublicImageField(
        "photo du bandeau",
        upload_to="site/",
        blank=True,
        renditions=[800, 1600],
        help_text="Montrée en haut de la page d’accueil.",
    )
    banner_alt = models.CharField(
        "texte alternatif de la photo du bandeau",
        max_length=250,
        blank=True,
        help_text="Obligatoire si une photo est fournie, sauf si elle est décorative : décrivez ce qu’elle montre "
        "à qui ne la voit pas.",
    )
    banner_is_decorative = models.BooleanField(
        "photo du bandeau décorative",
        default=False,
        help_text="Cochez si la photo n’apporte aucune information : les lecteurs d’écran l’ignoreront.",
    )
    accessibility_status = models.CharField(
        "conformité RGAA déclarée",
        max_length=30,
        choices=AccessibilityStatus,
        default=AccessibilityStatus.NON_CONFORME,
        help_text="Reste « non conforme » tant qu’aucun audit RGAA n’a été réalisé (obligation légale).",
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = ContentHistory()

    class Meta:
        verbose_name = "identité du site et du service"
        verbose_name_plural = "identité du site et du service"
        constraints = [
            alt_text_constraint(
                "site_identity_logo_has_alt", image="logo", alt="logo_alt", decorative="logo_is_decorative"
            ),
            alt_text_constraint(
                "site_identity_banner_has_alt", image="banner", alt="banner_alt", decorative="banner_is_decorative"
            ),
        ]

    ALT_TEXTS = (
        AltText("logo", "logo_alt", "logo_is_decorative"),
        AltText("banner", "banner_alt", "banner_is_decorative"),
    )

    def __str__(self):
        return f"{self.service_name} – {self.commune_name}"

    def clean(self):
        # Said at the field that is missing, rather than above the form as the constraints would.
        errors = {}
        # (AltTextMixin's generic rule, with words fitted to each image.)
        if self.logo and not self.logo_alt.strip() and not self.logo_is_decorative:
            errors["logo_alt"] = "Décrivez le logo (en général, le nom de la collectivité) : il remplace l’image."
        if self.banner and not self.banner_alt.strip() and not self.banner_is_decorative:
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


# Pages the site cannot do without, and why: they are neither deleted nor unpublished (see PageAdmin and the
# constraint below). The legal ones are linked from every page's footer; a section's intro is its page's heading.
REQUIRED_PAGES = {
    "mentions-legales": "les mentions légales sont obligatoires et liées depuis le pied de chaque page",
    "donnees-personnelles": "l’information sur les données personnelles est obligatoire (RGPD) et liée depuis le "
    "pied de chaque page",
    "accessibilite": "la déclaration d’accessibilité est obligatoire (RGAA) et liée depuis le pied de chaque page",
    "contact": "la page de contact est liée depuis le menu principal de chaque page",
    "quartiers": "c’est l’introduction de la rubrique « Quartiers », liée depuis le menu principal",
    "contrat-de-ville": "c’est l’introduction de la rubrique « Contrat de ville », liée depuis le menu principal",
    "microprojets": "c’est l’introduction de la rubrique « Microprojets », liée depuis le menu principal",
    "reussite-educative": "c’est l’introduction de la rubrique « Réussite éducative », liée depuis le menu principal",
}

# Where a page's text appears on the site: (slug, or slug prefix ending with « - »), what it is, URL name or None.
# A page whose slug is in none of these is a page of its own, at /pages/<slug>/, listed in the site map.
PAGE_PLACES = [
    ("accueil", "le texte d’accueil, en haut de la page d’accueil", "home"),
    ("quartiers", "l’introduction de la rubrique « Quartiers »", "quartiers:index"),
    ("contrat-de-ville", "l’introduction de la rubrique « Contrat de ville »", "contrat_ville:index"),
    ("microprojets", "l’introduction de la rubrique « Microprojets »", "microprojets:index"),
    ("reussite-educative", "l’introduction de la rubrique « Réussite éducative »", "pre:index"),
    ("contact", "la page « Contact »", "contact"),
    ("mentions-legales", "la page « Mentions légales », liée depuis le pied de page", "legal_notice"),
    ("donnees-personnelles", "la page « Données personnelles », liée depuis le pied de page", "personal_data"),
    ("accessibilite", "la déclaration d’accessibilité, liée depuis le pied de page", "accessibility"),
    ("plan-du-site", "le texte en haut du plan du site", "site_map"),
    ("page-introuvable", "le texte de la page d’erreur « Page introuvable » (404)", None),
    ("erreur-", "le texte d’une page d’erreur", None),
    ("quartiers-statut-", "le texte du statut, sur la page de chaque quartier de ce statut", "quartiers:index"),
    ("quartiers-", "un texte de la recherche « Mon adresse est-elle dans un quartier prioritaire ? »",
     "quartiers:address_lookup"),
    ("microprojets-", "un texte des pages des microprojets (dépôt, éligibilité, suivi)", "microprojets:index"),
    ("reussite-educative-contact", "un texte de la demande de rappel du PRE", "pre:contact"),
    ("reussite-educative-contact-envoyee", "la page qui suit l’envoi d’une demande de rappel du PRE", None),
]  # fmt: skip
REQUIRED_PAGE_MESSAGE = "Cette page ne peut être ni supprimée ni dépubliée : {reason}. Modifiez plutôt son texte."


def page_place(slug: str) -> tuple[str, str | None] | None:
    """(what the page is on the site, URL name or None) for a slug the code shows somewhere; None for a page of
    its own."""
    for key, description, url_name in PAGE_PLACES:
        if slug == key or (key.endswith("-") and slug.startswith(key)):
            return description, url_name
    return None


class PageQuerySet(PublishableQuerySet):
    def standalone(self):
        """Pages of their own (added in the admin): at /pages/<slug>/, not a text shown by another page."""
        claimed = models.Q()
        for key, _description, _url_name in PAGE_PLACES:
            claimed |= models.Q(slug__startswith=key) if key.endswith("-") else models.Q(slug=key)
        return self.exclude(claimed)


class Page(models.Model):
    """An editable page or page introduction, found by its slug (legal pages, home, section intros).

    A page whose slug the code does not use (PAGE_PLACES) is a page of its own, at /pages/<slug>/.
    """

    slug = models.SlugField("identifiant", max_length=80, unique=True)
    title = models.CharField("titre", max_length=200)
    summary = models.TextField(
        "chapeau", blank=True, help_text="Une ou deux phrases en tête de page et dans les listes de liens."
    )
    body = RichTextField("contenu", blank=True)
    is_published = models.BooleanField("publiée", default=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = PageQuerySet.as_manager()

    history = ContentHistory()

    class Meta:
        verbose_name = "page ou texte"
        verbose_name_plural = "pages et textes"
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_published=True) | ~models.Q(slug__in=sorted(REQUIRED_PAGES)),
                name="core_page_required_is_published",
                violation_error_message="Les mentions légales, les données personnelles, la déclaration "
                "d’accessibilité, le contact et l’introduction de chaque rubrique restent toujours publiés.",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        place = page_place(self.slug)
        if place is None:
            return reverse("page", args=[self.slug])
        try:
            return reverse(place[1]) if place[1] else None
        except NoReverseMatch:  # an app of this portal left out by another commune
            return None

    def clean(self):
        super().clean()
        if self.slug in REQUIRED_PAGES and not self.is_published:
            reason = REQUIRED_PAGES[self.slug]
            raise ValidationError({"is_published": REQUIRED_PAGE_MESSAGE.format(reason=reason)})

    @property
    def is_required(self):
        return self.slug in REQUIRED_PAGES

    @property
    def place(self) -> str:
        """Where this text appears, in words, for the admin."""
        place = page_place(self.slug)
        if place is None:
            return f"Page à part entière, à l’adresse /pages/{self.slug}/, listée dans le plan du site"
        return place[0][0].upper() + place[0][1:]

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

    history = ContentHistory()

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


class HomeBlockQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_shown=True)


class HomeBlock(models.Model):
    """Where one block of the home page comes, and whether it shows: staff put what residents come for first.

    Each app names its block by a key (its module `home`, see core.hooks); the site shell adds « rubriques » (the
    section cards) and « en-bref » (the home page's text). A block without a row here comes after the others.
    """

    key = models.SlugField(
        "identifiant",
        max_length=80,
        unique=True,
        help_text="Nom du bloc dans le code : adresse, reussite-educative, microprojets, rubriques, projets, en-bref.",
    )
    label = models.CharField("bloc", max_length=160, help_text="Ce que montre ce bloc (pour vous repérer).")
    order = models.PositiveSmallIntegerField("ordre", default=100, help_text="Le plus petit vient en premier.")
    is_shown = models.BooleanField("affiché", default=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = HomeBlockQuerySet.as_manager()

    history = ContentHistory()

    class Meta:
        verbose_name = "bloc de la page d’accueil"
        verbose_name_plural = "blocs de la page d’accueil"
        ordering = ["order", "key"]

    def __str__(self):
        return self.label


class GlossaryTermQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class GlossaryTerm(models.Model):
    """A word or acronym of the policy, explained in plain French where it first appears on each page and on
    the glossary page (core.glossary)."""

    slug = models.SlugField(
        "ancre", max_length=80, unique=True, help_text="Fin du lien vers l’explication : /glossaire/#ancre."
    )
    term = models.CharField(
        "terme", max_length=160, help_text="Le mot ou l’expression, en entier : « contrat de ville », « pilier »."
    )
    abbreviation = models.CharField(
        "sigle",
        max_length=20,
        blank=True,
        help_text="Facultatif : le sigle tel qu’il s’écrit (QPV, PRE). C’est alors le sigle qui est repéré dans "
        "les textes, en respectant les majuscules.",
    )
    definition = models.TextField(
        "explication simple", help_text="Une ou deux phrases courtes, avec des mots courants."
    )
    is_published = models.BooleanField("publié", default=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = GlossaryTermQuerySet.as_manager()

    history = ContentHistory()

    class Meta:
        verbose_name = "terme du glossaire"
        verbose_name_plural = "glossaire"
        ordering = ["term"]

    def __str__(self):
        return f"{self.abbreviation} ({self.term})" if self.abbreviation else self.term

    @property
    def label(self):
        """How the glossary lists it: the acronym first when there is one."""
        return self.abbreviation or self.term


class EasyReadPageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class EasyReadPage(models.Model):
    """The easy-to-read version (« Facile à lire », FALC) of a page of the site, made of short parts with a
    pictogram. Written after the European easy-to-read rules (Inclusion Europe, « L’information pour tous »):
    short sentences, one idea per sentence, common words, the most important first."""

    class Of(models.TextChoices):
        HOME = "accueil", "La page d’accueil"
        QUARTIERS = "quartiers", "Les quartiers"
        MICROPROJETS = "microprojets", "Les microprojets"
        PRE = "reussite-educative", "La réussite éducative"

    # The URL name of the ordinary page each version is the easy-to-read one of.
    ORDINARY_URL_NAMES = {
        Of.HOME: "home",
        Of.QUARTIERS: "quartiers:index",
        Of.MICROPROJETS: "microprojets:index",
        Of.PRE: "pre:index",
    }

    slug = models.SlugField("page concernée", max_length=80, unique=True, choices=Of)
    title = models.CharField("titre", max_length=200)
    is_published = models.BooleanField("publiée", default=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = EasyReadPageQuerySet.as_manager()

    history = ContentHistory()

    class Meta:
        verbose_name = "page facile à lire"
        verbose_name_plural = "pages faciles à lire"
        ordering = ["slug"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("easy_read", args=[self.slug])

    @property
    def ordinary_url(self):
        return reverse(self.ORDINARY_URL_NAMES[self.slug])


class EasyReadBlock(models.Model):
    """One idea of an easy-to-read page: a heading, a few short sentences, a pictogram, maybe a link."""

    class Pictogram(models.TextChoices):
        NONE = "", "Aucun"
        HOUSE = "maison", "Une maison (habiter, adresse)"
        CHILD = "enfant", "Un enfant"
        PHONE = "telephone", "Un téléphone (appeler)"
        IDEA = "idee", "Une ampoule (une idée, un projet)"
        MONEY = "argent", "Des pièces (de l’argent)"
        PEOPLE = "habitants", "Des personnes (les habitants)"
        CALENDAR = "calendrier", "Un calendrier (une date)"
        QUESTION = "question", "Un point d’interrogation (une question)"
        MAP = "carte", "Un repère sur une carte (un lieu)"
        LETTER = "courrier", "Une enveloppe (écrire)"
        HELP = "aide", "Deux mains (aider)"

    page = models.ForeignKey(EasyReadPage, verbose_name="page", on_delete=models.CASCADE, related_name="blocks")
    heading = models.CharField("intertitre", max_length=120)
    text = models.TextField(
        "texte",
        help_text="Des phrases courtes : 12 mots en moyenne, jamais plus de 20. Une idée par phrase. "
        "Une phrase par ligne.",
    )
    pictogram = models.CharField("pictogramme", max_length=20, choices=Pictogram, default=Pictogram.NONE, blank=True)
    link_url = models.CharField(
        "adresse du lien",
        max_length=200,
        blank=True,
        validators=[
            RegexValidator(
                r"^(/[^/\\]|/$|https?://|tel:\+?[0-9]+$|mailto:)",
                "Saisissez une adresse du site qui commence par / (comme /contact/), une adresse en https://, "
                "tel:+33… ou mailto:…",
            )
        ],
        help_text="Facultatif : une adresse du site, comme /contact/, ou tel:+33612345678 pour appeler.",
    )
    link_text = models.CharField("texte du lien", max_length=120, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = ContentHistory()

    class Meta:
        verbose_name = "partie de la page facile à lire"
        verbose_name_plural = "parties de la page facile à lire"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(link_url="") | ~models.Q(link_text=""),
                name="easy_read_block_link_has_text",
                violation_error_message="Un lien a besoin d’un texte qui dit où il mène.",
            )
        ]

    def __str__(self):
        return self.heading

    @property
    def lines(self):
        return [line.strip() for line in self.text.splitlines() if line.strip()]


# The second factor's devices, as the back-office names them (django-otp's models are named in English and
# would show as « TOTP devices »). Superusers remove a lost one here so its owner can enrol again.
class StaffAuthenticator(TOTPDevice):
    class Meta:
        proxy = True
        verbose_name = "application d’authentification d’un agent"
        verbose_name_plural = "applications d’authentification des agents"


class StaffRecoveryCodes(StaticDevice):
    class Meta:
        proxy = True
        verbose_name = "codes de secours d’un agent"
        verbose_name_plural = "codes de secours des agents"
