"""Admin widgets that axe-core accepts (issue 11, item 9): Django's split date-and-time widget writes « Date : » and
« Heure : » as text beside two unlabelled inputs, and its filter_horizontal boxes put aria-label on a bare span.
ACCESSIBLE_FORMFIELDS is the ModelAdmins' formfield_overrides: one text input per date and time, named by the
field's own label, in the format people type; several choices as boxes to tick."""

from django import forms
from django.db import models

DATETIME_FORMAT = "%d/%m/%Y %H:%M"


class DateTimeInput(forms.DateTimeInput):
    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "jj/mm/aaaa hh:mm", "inputmode": "numeric", "size": 16, **(attrs or {})},
            format=DATETIME_FORMAT,
        )


ACCESSIBLE_FORMFIELDS = {
    models.DateTimeField: {"form_class": forms.DateTimeField, "widget": DateTimeInput},
    models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
}
