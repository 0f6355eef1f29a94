"""The contrat de ville: its pillars, partners, conseil citoyen and funded projects."""

from django.db import models
from django.urls import reverse

from langres_portal.core.fields import RichTextField


class Pillar(models.Model):
    """One of the contract's three pillars (cohésion sociale, cadre de vie, développement économique)."""

    name = models.CharField("nom", max_length=160)
    slug = models.SlugField("adresse de la page", max_length=160, unique=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    summary = models.TextField("texte court", blank=True)
    objectives = RichTextField("objectifs", blank=True)

    class Meta:
        verbose_name = "pilier"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contrat_ville:pillar", args=[self.slug])
