"""Neighbourhoods of the politique de la ville: the QPV and those the commune keeps under watch."""

from django.db import models
from django.urls import reverse

from langres_portal.core.fields import RichTextField


class QuartierQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


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
        "code QPV officiel", max_length=10, blank=True, help_text="Par exemple QN05203M (depuis 2024)."
    )
    summary = models.TextField("présentation courte", blank=True)
    presentation = RichTextField("présentation", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    is_published = models.BooleanField("publié", default=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = QuartierQuerySet.as_manager()

    class Meta:
        verbose_name = "quartier"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("quartiers:detail", args=[self.slug])

    @property
    def is_qpv(self):
        return self.status == self.Status.QPV
