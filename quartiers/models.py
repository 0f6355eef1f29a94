"""Neighbourhoods of the politique de la ville: the QPV and those the commune keeps under watch.

Sources of codes and statuses: ANCT (décrets n° 2014-1750 and n° 2023-1314); perimeters: ANCT national QPV file
(imported with `import_qpv_perimeter`); commune boundary: IGN Admin Express.
"""

import json

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property

from langres_portal.core.drafts import PublishableQuerySet
from langres_portal.core.fields import RichTextField
from langres_portal.core.history import ContentHistory
from langres_portal.core.uploads import AltText, AltTextMixin, PublicImageField, alt_text_constraint

from .geo import normalize_perimeter, validate_perimeter
from .normalize import normalize_street, street_core

PERIMETER_HELP = (
    "Géométrie GeoJSON de type Polygon ou MultiPolygon, en coordonnées WGS84 [longitude, latitude] "
    "(un objet Feature est aussi accepté). Laissez vide tant que le tracé n’est pas connu."
)
RESERVED_SLUGS = {"mon-adresse", "perimetres"}
year_validators = [MinValueValidator(1900), MaxValueValidator(2100)]


class QuartierQuerySet(PublishableQuerySet):
    pass


class Quartier(models.Model):
    """A neighbourhood. Source of codes and statuses: ANCT (décrets n° 2014-1750 and n° 2023-1314)."""

    class Status(models.TextChoices):
        QPV = "qpv", "Quartier prioritaire (QPV)"
        VEILLE = "veille", "Veille active"
        CUCS = "cucs", "Ancien quartier CUCS"

    name = models.CharField("nom", max_length=120)
    slug = models.SlugField("adresse de la page", max_length=120, unique=True)
    status = models.CharField("statut", max_length=10, choices=Status, default=Status.QPV)
    code_qpv = models.CharField(
        "code QPV officiel",
        max_length=10,
        blank=True,
        help_text="Code de l’ANCT : QN suivi de 6 caractères depuis 2024 (QP avant).",
    )
    summary = models.TextField("présentation courte", blank=True)
    presentation = RichTextField("présentation", blank=True)
    perimeter = models.TextField(
        "périmètre (GeoJSON)", blank=True, validators=[validate_perimeter], help_text=PERIMETER_HELP
    )
    perimeter_source = models.CharField(
        "source du périmètre", max_length=300, blank=True, help_text="Fichier d’origine et sa date, ou qui l’a tracé."
    )
    perimeter_is_example = models.BooleanField(
        "tracé d’exemple",
        default=False,
        help_text="Tracé fictif de démonstration : affiché « Exemple », jamais officiel.",
    )
    perimeter_description = models.TextField(
        "description du périmètre",
        blank=True,
        help_text="Une ou deux phrases qui décrivent les limites du quartier : elles remplacent la carte pour "
        "qui ne la voit pas.",
    )
    official_map_url = models.URLField(
        "carte officielle", blank=True, help_text="Lien vers la fiche du quartier sur sig.ville.gouv.fr."
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    is_published = models.BooleanField("publié", default=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = QuartierQuerySet.as_manager()

    history = ContentHistory()

    class Meta:
        verbose_name = "quartier"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Validated on every save, admin or not: an invalid perimeter never reaches the database.
        self.perimeter = normalize_perimeter(self.perimeter)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("quartiers:detail", args=[self.slug])

    def delete(self, *args, **kwargs):
        """Refused while projects of the catalogue name this neighbourhood: the link is a many-to-many, which Django
        would silently cascade (a foreign key would say PROTECT). The admin shows the same projects (QuartierAdmin)."""
        used = self.projects.all()
        if used.exists():
            raise models.ProtectedError(
                f"Le quartier « {self} » est cité par des projets du catalogue : retirez-le d’abord de ces projets.",
                set(used),
            )
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"L’adresse « {self.slug} » est réservée par le site : choisissez-en une autre."}
            )

    @cached_property
    def geometry(self) -> dict | None:
        return json.loads(self.perimeter) if self.perimeter else None

    def as_feature(self, request=None) -> dict:
        url = self.get_absolute_url()
        return {
            "type": "Feature",
            "geometry": self.geometry,
            "properties": {
                "nom": self.name,
                "slug": self.slug,
                "statut": self.status,
                "statut_libelle": self.get_status_display(),
                "code_qpv": self.code_qpv or None,
                "source": self.perimeter_source or None,
                "exemple": self.perimeter_is_example,
                "url": request.build_absolute_uri(url) if request else url,
            },
        }


class Commune(models.Model):
    """The commune whose neighbourhoods are shown; its boundary is drawn until a neighbourhood has its own.

    Source of the boundary: IGN Admin Express (see the source field).
    """

    name = models.CharField("nom", max_length=120)
    code_insee = models.CharField("code INSEE", max_length=5, unique=True)
    boundary = models.TextField(
        "contour (GeoJSON)", blank=True, validators=[validate_perimeter], help_text=PERIMETER_HELP
    )
    boundary_source = models.CharField("source du contour", max_length=300, blank=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = ContentHistory()

    class Meta:
        verbose_name = "commune"

    def __str__(self):
        return f"{self.name} ({self.code_insee})"

    def save(self, *args, **kwargs):
        self.boundary = normalize_perimeter(self.boundary)
        super().save(*args, **kwargs)

    @cached_property
    def geometry(self) -> dict | None:
        return json.loads(self.boundary) if self.boundary else None

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first()


class StatusPeriod(models.Model):
    """One period of a neighbourhood's status: CUCS, QPV 2015–2023 (QP…), QPV since 2024 (QN…), watch."""

    quartier = models.ForeignKey(Quartier, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField("statut", max_length=10, choices=Quartier.Status)
    code_qpv = models.CharField("code QPV de la période", max_length=10, blank=True)
    start_year = models.PositiveSmallIntegerField(
        "année d’entrée", null=True, blank=True, validators=year_validators, help_text="Vide si elle n’est pas connue."
    )
    end_year = models.PositiveSmallIntegerField(
        "année de sortie", null=True, blank=True, validators=year_validators, help_text="Vide si en cours."
    )
    note = models.CharField(
        "précision", max_length=300, blank=True, help_text="Texte de référence, changement de périmètre…"
    )

    history = ContentHistory()

    class Meta:
        verbose_name = "période de statut"
        verbose_name_plural = "historique des statuts"
        ordering = ["quartier_id", models.F("start_year").asc(nulls_first=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="quartiers_statusperiod_end_after_start",
                violation_error_message="L’année de sortie ne peut pas précéder l’année d’entrée.",
            )
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({self.period_label})"

    @property
    def period_label(self):
        if self.start_year and self.end_year:
            return f"{self.start_year} – {self.end_year}" if self.end_year != self.start_year else str(self.start_year)
        if self.start_year:
            return f"depuis {self.start_year}"
        if self.end_year:
            return f"jusqu’en {self.end_year}"
        return "dates non connues"


class KeyFigure(models.Model):
    """A key figure of a neighbourhood, always with its source and year."""

    quartier = models.ForeignKey(Quartier, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField("intitulé", max_length=160)
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    unit = models.CharField("unité", max_length=40, blank=True, help_text="Par exemple : habitants, € par an, %.")
    year = models.PositiveSmallIntegerField("année", validators=year_validators)
    source = models.CharField("source", max_length=300)
    source_url = models.URLField("lien vers la source", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = ContentHistory()

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["quartier_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=""),
                name="quartiers_keyfigure_has_source",
                violation_error_message="Indiquez la source du chiffre.",
            )
        ]

    def __str__(self):
        return f"{self.label} : {self.value} {self.unit}".strip()


class Photo(AltTextMixin, models.Model):
    """A photo of a neighbourhood; its text alternative is mandatory."""

    quartier = models.ForeignKey(Quartier, on_delete=models.CASCADE, related_name="photos")
    image = PublicImageField("image", upload_to="quartiers/photos/", renditions=[400, 800, 1200])
    alt = models.CharField(
        "texte alternatif",
        max_length=250,
        blank=True,
        help_text="Ce que montre la photo, pour qui ne la voit pas (obligatoire, sauf photo décorative).",
    )
    is_decorative = models.BooleanField(
        "photo décorative", default=False, help_text="Cochez seulement si la photo n’apporte aucune information."
    )
    caption = models.CharField("légende", max_length=250, blank=True)
    credit = models.CharField("crédit", max_length=160, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    history = ContentHistory()

    class Meta:
        verbose_name = "photo"
        ordering = ["quartier_id", "order", "pk"]
        constraints = [
            alt_text_constraint(
                "quartiers_photo_has_alt", image="image", alt="alt", decorative="is_decorative", required_image=True
            )
        ]

    ALT_TEXTS = (AltText("image", "alt", "is_decorative", required_image=True),)

    def __str__(self):
        return self.alt or self.caption or f"Photo n° {self.pk}"


class StreetQuerySet(models.QuerySet):
    def examples(self):
        return self.filter(is_example=True)


class Street(models.Model):
    """An entry of the street directory: a street, or part of it (numbers from–to, one side), in one zone.

    A street split between two zones has one entry per part. An entry without neighbourhood says the part is
    outside any priority or watch neighbourhood.
    """

    class Side(models.TextChoices):
        BOTH = "both", "Les deux côtés"
        ODD = "odd", "Côté impair"
        EVEN = "even", "Côté pair"

    name = models.CharField("nom de la voie", max_length=160, help_text="Nom complet, par exemple « Rue des Lilas ».")
    quartier = models.ForeignKey(
        Quartier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="streets",
        help_text="Vide : cette partie de la voie n’est dans aucun quartier de la politique de la ville.",
    )
    number_from = models.PositiveIntegerField("du numéro", null=True, blank=True, validators=[MinValueValidator(1)])
    number_to = models.PositiveIntegerField("au numéro", null=True, blank=True, validators=[MinValueValidator(1)])
    side = models.CharField("côté", max_length=4, choices=Side, default=Side.BOTH)
    is_example = models.BooleanField("exemple", default=False, editable=False)
    normalized_name = models.CharField(max_length=200, editable=False, db_index=True)
    normalized_core = models.CharField(max_length=200, editable=False, db_index=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    objects = StreetQuerySet.as_manager()

    history = ContentHistory()

    class Meta:
        verbose_name = "voie de l’annuaire des rues"
        verbose_name_plural = "annuaire des rues"
        ordering = ["normalized_name", models.F("number_from").asc(nulls_first=True), "side", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number_from__isnull=True)
                | models.Q(number_to__isnull=True)
                | models.Q(number_to__gte=models.F("number_from")),
                name="quartiers_street_range_in_order",
                violation_error_message="Le numéro de fin doit être supérieur ou égal au numéro de début.",
            )
        ]

    def __str__(self):
        part = self.range_label
        return f"{self.name} ({part})" if part else self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_street(self.name)
        self.normalized_core = street_core(self.normalized_name)
        super().save(*args, **kwargs)

    @property
    def has_range(self):
        return self.number_from is not None or self.number_to is not None or self.side != self.Side.BOTH

    @property
    def range_label(self):
        """« numéros 1 à 49, côté impair » ; empty for the whole street."""
        parts = []
        if self.number_from and self.number_to:
            parts.append(f"numéros {self.number_from} à {self.number_to}")
        elif self.number_from:
            parts.append(f"à partir du numéro {self.number_from}")
        elif self.number_to:
            parts.append(f"jusqu’au numéro {self.number_to}")
        if self.side != self.Side.BOTH:
            parts.append(self.get_side_display().lower())
        return ", ".join(parts)

    def covers(self, number: int | None) -> bool:
        """Whether the house number is in this part of the street (any number when there is no range)."""
        if number is None:
            return not self.has_range
        if self.number_from is not None and number < self.number_from:
            return False
        if self.number_to is not None and number > self.number_to:
            return False
        if self.side == self.Side.ODD:
            return number % 2 == 1
        if self.side == self.Side.EVEN:
            return number % 2 == 0
        return True
