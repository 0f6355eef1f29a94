"""How amounts are written for people: « 1 500,00 € »."""

from django.utils.formats import number_format


def euros(value) -> str:
    return number_format(value, 2, force_grouping=True) + " €"
