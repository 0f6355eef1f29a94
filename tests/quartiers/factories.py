import json

import factory

from quartiers.models import Commune, KeyFigure, Quartier, StatusPeriod, Street

# A small square in Langres (WGS84 longitude, latitude).
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.330, 47.855], [5.336, 47.855], [5.336, 47.859], [5.330, 47.859], [5.330, 47.855]]],
}
COMMUNE_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.29, 47.82], [5.38, 47.82], [5.38, 47.90], [5.29, 47.90], [5.29, 47.82]]],
}


class QuartierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quartier

    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier-{n}")
    status = Quartier.Status.QPV
    summary = "Un quartier de test."

    class Params:
        with_perimeter = factory.Trait(perimeter=json.dumps(SQUARE), perimeter_source="Fichier de test")
        veille = factory.Trait(status=Quartier.Status.VEILLE)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code_insee"]

    name = "Langres"
    code_insee = "52269"
    boundary = json.dumps(COMMUNE_SQUARE)
    boundary_source = "IGN, test"


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    name = factory.Sequence(lambda n: f"Rue numéro {n}")
    quartier = factory.SubFactory(QuartierFactory)


class StatusPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusPeriod

    quartier = factory.SubFactory(QuartierFactory)
    status = Quartier.Status.QPV
    start_year = 2015


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    quartier = factory.SubFactory(QuartierFactory)
    label = "Habitants"
    value = 1027
    unit = "habitants"
    year = 2018
    source = "ANCT"
