"""The contrat de ville: its pillars, partners, conseil citoyen and funded projects."""

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from langres_portal.core import search as textsearch
from langres_portal.core.drafts import PublishableQuerySet
from langres_portal.core.fields import RichTextField
from langres_portal.core.history import ContentHistory
from langres_portal.core.uploads import AltText, AltTextMixin, PublicFileField, PublicImageField, alt_text_constraint

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Pillar(models.Model):
    """One of the contract's three pillars (cohésion sociale, cadre de vie, développement économique)."""

    name = models.CharField("nom", max_length=160)
    slug = models.SlugField("adresse de la page", max_length=160, unique=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    summary = models.TextField("texte court", blank=True)
    objectives = RichTextField("objectifs", blank=True)

    history = ContentHistory()

    class Meta:
        verbose_name = "pilier"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contrat_ville:pillar", args=[self.slug])


class Contract(models.Model):
    """A contrat de ville and its periods. Source: sig.ville.gouv.fr (its CV code) and the commune's own page."""

    class Status(models.TextChoices):
        UPCOMING = "a_venir", "à venir"
        RUNNING = "en_cours", "en cours"
        EXTENDED = "proroge", "prorogé"
        ENDED = "termine", "terminé"

    title = models.CharField("titre", max_length=200)
    reference = models.CharField(
        "référence officielle", max_length=60, blank=True, help_text="Code de l’ANCT : CV suivi d’un numéro."
    )
    start = models.DateField("début")
    planned_end = models.DateField("fin prévue")
    extended_end = models.DateField(
        "fin après prorogation", null=True, blank=True, help_text="À remplir si le contrat a été prorogé."
    )
    summary = models.TextField("texte court", blank=True)
    text = RichTextField("présentation", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = ContentHistory()

    class Meta:
        verbose_name = "contrat"
        ordering = ["order", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("start")),
                name="contract_planned_end_after_start",
                violation_error_message="La fin prévue doit être postérieure au début du contrat.",
            ),
            models.CheckConstraint(
                condition=models.Q(extended_end__isnull=True) | models.Q(extended_end__gt=models.F("planned_end")),
                name="contract_extension_after_planned_end",
                violation_error_message="La fin après prorogation doit être postérieure à la fin prévue.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("contrat_ville:index") + "#titre-contrats"

    @property
    def end(self):
        return self.extended_end or self.planned_end

    def status_on(self, day):
        if day < self.start:
            return self.Status.UPCOMING
        if day <= self.planned_end:
            return self.Status.RUNNING
        if self.extended_end and day <= self.extended_end:
            return self.Status.EXTENDED
        return self.Status.ENDED

    @property
    def status(self):
        return self.status_on(timezone.localdate())


class ContractDocument(models.Model):
    """A downloadable document of a contract (the signed contract, an amendment…), as PDF."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents", verbose_name="contrat")
    title = models.CharField("titre", max_length=200)
    file = PublicFileField("fichier PDF", upload_to="contrat_ville/documents/")
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = ContentHistory()

    class Meta:
        verbose_name = "document"
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    @property
    def size(self):
        try:
            return self.file.size
        except OSError:
            return None


class Partner(AltTextMixin, models.Model):
    """A signatory or partner of the contract."""

    class Category(models.TextChoices):
        STATE = "etat", "État"
        LOCAL_AUTHORITY = "collectivite", "Collectivités"
        PUBLIC_SERVICE = "service_public", "Services et opérateurs publics"
        HOUSING = "logement", "Acteurs du logement"
        ECONOMY = "economie", "Acteurs économiques"
        CIVIL_SOCIETY = "societe_civile", "Société civile et habitants"

    name = models.CharField("nom", max_length=200)
    category = models.CharField("catégorie", max_length=20, choices=Category)
    website = models.URLField("site internet", blank=True)
    logo = PublicImageField("logo", upload_to="contrat_ville/partenaires/", blank=True, renditions=[200])
    logo_alt = models.CharField(
        "texte alternatif du logo",
        max_length=200,
        blank=True,
        help_text="Obligatoire si un logo est fourni, sauf s’il est décoratif ; en général le nom du partenaire.",
    )
    logo_is_decorative = models.BooleanField(
        "logo décoratif", default=False, help_text="Cochez si le nom du partenaire est déjà écrit à côté du logo."
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = ContentHistory()

    class Meta:
        verbose_name = "partenaire signataire"
        verbose_name_plural = "partenaires signataires"
        ordering = ["order", "name"]
        constraints = [
            alt_text_constraint("partner_logo_has_alt", image="logo", alt="logo_alt", decorative="logo_is_decorative")
        ]

    ALT_TEXTS = (AltText("logo", "logo_alt", "logo_is_decorative"),)

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contrat_ville:index") + "#titre-partenaires"


class ConseilCitoyen(models.Model):
    """The conseil citoyen: residents and associations who take part in the contract."""

    name = models.CharField("nom", max_length=200)
    text = RichTextField("présentation", blank=True)
    how_to_join = RichTextField("comment y participer", blank=True)
    contact_name = models.CharField("contact", max_length=200, blank=True)
    contact_email = models.EmailField(
        "courriel de contact", blank=True, help_text="Vide : le courriel du service est affiché."
    )
    contact_phone = models.CharField(
        "téléphone de contact", max_length=30, blank=True, help_text="Vide : le téléphone du service est affiché."
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = ContentHistory()

    class Meta:
        verbose_name = "conseil citoyen"
        verbose_name_plural = "conseil citoyen"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contrat_ville:index") + "#titre-conseil"


YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com"}
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def parse_youtube_url(url: str) -> tuple[str, int] | None:
    """(video id, start in seconds) of a YouTube address, or None if it is not one."""
    try:
        parts = urlparse(url)
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or parts.hostname not in YOUTUBE_HOSTS:
        return None
    query = parse_qs(parts.query)
    if parts.hostname == "youtu.be":
        video_id = parts.path.strip("/")
    elif parts.path.startswith(("/embed/", "/shorts/", "/live/")):
        video_id = parts.path.split("/")[2]
    else:
        video_id = query.get("v", [""])[0]
    if not _VIDEO_ID.match(video_id):
        return None
    raw_start = (query.get("t") or query.get("start") or ["0"])[0]
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(\d+)?s?", raw_start)
    start = 0
    if match:
        h, m, s = (int(g or 0) for g in match.groups())
        start = h * 3600 + m * 60 + s
    return video_id, start


def validate_youtube_url(value):
    if parse_youtube_url(value) is None:
        raise ValidationError(
            "Saisissez l’adresse d’une vidéo YouTube, de la forme https://www.youtube.com/watch?v=… ou https://youtu.be/…"
        )


class Video(AltTextMixin, models.Model):
    """A video of the service, shown only after a click (no request to YouTube before the visitor asks)."""

    title = models.CharField("titre", max_length=200)
    url = models.URLField(
        "adresse de la vidéo YouTube",
        validators=[validate_youtube_url],
        help_text="L’adresse de la page YouTube ; elle est lue depuis youtube-nocookie.com après un clic.",
    )
    description = models.TextField("description ou transcription courte", blank=True)
    poster = PublicImageField("image d’attente", upload_to="contrat_ville/videos/", blank=True, renditions=[800])
    poster_alt = models.CharField("texte alternatif de l’image d’attente", max_length=200, blank=True)
    poster_is_decorative = models.BooleanField(
        "image d’attente décorative", default=False, help_text="Cochez si l’image n’apporte rien de plus que le titre."
    )
    is_published = models.BooleanField("publiée", default=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = ContentHistory()

    class Meta:
        verbose_name = "vidéo"
        ordering = ["order", "pk"]
        constraints = [
            alt_text_constraint(
                "video_poster_has_alt", image="poster", alt="poster_alt", decorative="poster_is_decorative"
            )
        ]

    ALT_TEXTS = (AltText("poster", "poster_alt", "poster_is_decorative"),)

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("contrat_ville:index") + "#titre-video"

    @property
    def embed_url(self):
        parsed = parse_youtube_url(self.url)
        if not parsed:
            return ""
        video_id, start = parsed
        return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1" + (f"&start={start}" if start else "")


class Theme(models.Model):
    """A theme of the projects (lien social, culture, sport…); the list is edited in the admin."""

    name = models.CharField("nom", max_length=80)
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = ContentHistory()

    class Meta:
        verbose_name = "thématique"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ProjectQuerySet(PublishableQuerySet):
    def active_in(self, year):
        """Projects running during `year` (a project without an end year ran during its start year)."""
        return self.filter(
            models.Q(year_start__lte=year)
            & (models.Q(year_end__gte=year) | models.Q(year_end__isnull=True, year_start=year))
        )

    def search(self, text):
        """Projects whose text has a word starting with each word of `text`, whatever the accents and the case.

        A text without any letter or digit (« - », « ' ») searches nothing and leaves the list as it is.
        """
        for word in textsearch.query_words(text):
            self = self.filter(search_text__contains=" " + word)  # at the start of a word (see core.search)
        return self

    def refresh_search_text(self):
        """Recompute the stored search text of these projects (after a pillar or theme changed)."""
        projects = list(self.select_related("pillar").prefetch_related("themes"))
        for project in projects:
            project.search_text = project.build_search_text()
        # bulk_update leaves updated_at alone: renaming a theme is not an edit of its projects.
        self.model.objects.bulk_update(projects, ["search_text"], batch_size=500)


class Project(models.Model):
    """A project funded under the contrat de ville and carried out by local actors or residents."""

    class PorteurKind(models.TextChoices):
        ASSOCIATION = "association", "Association"
        RESIDENTS = "habitants", "Groupe d’habitants"
        PUBLIC_SERVICE = "service_public", "Service public"
        OTHER = "autre", "Autre"

    class Status(models.TextChoices):
        PLANNED = "prevu", "prévu"
        RUNNING = "en_cours", "en cours"
        DONE = "realise", "réalisé"

    SEARCHED_FIELDS = {"title", "summary", "description", "porteur_name", "pillar", "pillar_id"}

    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("adresse de la page", max_length=200, unique=True)
    year_start = models.PositiveSmallIntegerField("année de début", validators=YEAR_VALIDATORS, db_index=True)
    year_end = models.PositiveSmallIntegerField(
        "année de fin", null=True, blank=True, validators=YEAR_VALIDATORS, help_text="Vide si sur une seule année."
    )
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="projects", verbose_name="pilier")
    themes = models.ManyToManyField(Theme, related_name="projects", verbose_name="thématiques", blank=True)
    quartiers = models.ManyToManyField(
        "quartiers.Quartier", related_name="projects", verbose_name="quartiers", blank=True
    )
    place = models.CharField(
        "lieu",
        max_length=300,
        blank=True,
        help_text="Facultatif : le lieu ou l’adresse du projet (« Maison de quartier, 3 rue des Capucines »).",
    )
    status = models.CharField("avancement", max_length=10, choices=Status, default=Status.PLANNED)
    porteur_name = models.CharField("porteur", max_length=200)
    porteur_kind = models.CharField("type de porteur", max_length=20, choices=PorteurKind)
    summary = models.TextField("résumé", max_length=400, help_text="Deux ou trois phrases, montrées dans les listes.")
    description = RichTextField("description", blank=True)
    outcome = RichTextField(
        "ce que le projet a permis",
        blank=True,
        help_text="Les résultats, en mots simples : ce qui a été fait, pour combien de personnes, ce qui reste.",
    )
    participants = models.PositiveIntegerField("public touché (participants)", null=True, blank=True)
    budget = models.PositiveIntegerField("budget total (€)", null=True, blank=True)
    funding = models.PositiveIntegerField("financement contrat de ville (€)", null=True, blank=True)
    is_published = models.BooleanField("publié", default=False, db_index=True)
    is_example = models.BooleanField(
        "exemple", default=False, help_text="Donnée de démonstration, signalée « Exemple » sur le site."
    )
    created_at = models.DateTimeField("créé le", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    # The microproject this project was made from (microprojets.services.project), when there is one.
    source_application = models.OneToOneField(
        "microprojets.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project",
        verbose_name="dossier de microprojet d’origine",
    )
    # Denormalised: title, summary, description, porteur, pillar and theme names, folded by core.search. Kept
    # up to date by save() and by the signals on themes and pillars (contrat_ville/signals.py).
    search_text = models.TextField("texte de recherche", blank=True, default="", editable=False)

    objects = ProjectQuerySet.as_manager()

    history = ContentHistory(excluded_fields=["search_text", "source_application"])

    class Meta:
        verbose_name = "projet"
        ordering = ["-year_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_end__isnull=True) | models.Q(year_end__gte=models.F("year_start")),
                name="project_year_end_after_start",
                violation_error_message="L’année de fin ne peut pas précéder l’année de début.",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True)
                | models.Q(funding__isnull=True)
                | models.Q(funding__lte=models.F("budget")),
                name="project_funding_within_budget",
                violation_error_message="Le financement du contrat de ville ne peut pas dépasser le budget total.",
            ),
        ]
        indexes = [models.Index(fields=["is_published", "-year_start", "title"], name="project_catalogue_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.SEARCHED_FIELDS.intersection(update_fields):
            self.search_text = self.build_search_text()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("contrat_ville:project", args=[self.slug])

    @property
    def years(self):
        if self.year_end and self.year_end != self.year_start:
            return f"{self.year_start}–{self.year_end}"
        return str(self.year_start)

    @property
    def first_photo(self):
        photos = list(self.photos.all())  # uses the prefetched list
        return photos[0] if photos else None

    def build_search_text(self) -> str:
        themes = [theme.name for theme in self.themes.all()] if self.pk else []  # the prefetched list if any
        pillar = self.pillar.name if self.pillar_id else ""
        return textsearch.search_text(
            self.title, self.summary, textsearch.html_to_text(self.description), self.porteur_name, pillar, *themes
        )


class ProjectCofunder(models.Model):
    """Another funder of a project (the State, the department, a foundation…), with its amount if it is public."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cofunders", verbose_name="projet")
    name = models.CharField("nom du cofinanceur", max_length=200)
    amount = models.PositiveIntegerField(
        "montant (€)", null=True, blank=True, help_text="Facultatif : vide si le montant n’est pas publié."
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = ContentHistory()

    class Meta:
        verbose_name = "cofinanceur"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="project_cofunder_unique_name",
                violation_error_message="Ce cofinanceur figure déjà dans la liste de ce projet.",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="project_cofunder_amount_positive",
                violation_error_message="Le montant doit être supérieur à 0 €, ou rester vide s’il n’est pas publié.",
            ),
        ]

    def __str__(self):
        return self.name


class ProjectPhoto(AltTextMixin, models.Model):
    """A photo of a project, stored only as re-encoded renditions (the original and its EXIF are never kept)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="photos", verbose_name="projet")
    # Both are renditions made by contrat_ville.images.make_renditions through the upload pipeline (core.uploads).
    large = PublicImageField(
        "image", upload_to="contrat_ville/projets/", width_field="width", height_field="height", max_length=100
    )
    small = PublicImageField(
        "vignette",
        upload_to="contrat_ville/projets/",
        width_field="small_width",
        height_field="small_height",
        max_length=100,
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    small_width = models.PositiveIntegerField(editable=False, default=0)
    small_height = models.PositiveIntegerField(editable=False, default=0)
    alt = models.CharField(
        "texte alternatif",
        max_length=250,
        blank=True,
        help_text="Décrivez ce que montre la photo à qui ne la voit pas.",
    )
    is_decorative = models.BooleanField(
        "photo décorative", default=False, help_text="Cochez seulement si la photo n’apporte aucune information."
    )
    caption = models.CharField("légende", max_length=250, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = ContentHistory()

    class Meta:
        verbose_name = "photo"
        ordering = ["order", "pk"]
        constraints = [
            alt_text_constraint(
                "project_photo_has_alt", image="large", alt="alt", decorative="is_decorative", required_image=True
            )
        ]

    ALT_TEXTS = (AltText("large", "alt", "is_decorative", required_image=True),)

    def __str__(self):
        return self.alt or self.caption or f"Photo n° {self.pk}"

    @property
    def srcset(self):
        return f"{self.small.url} {self.small_width}w, {self.large.url} {self.width}w"
