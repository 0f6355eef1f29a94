from django import forms

from .models import Project

SEARCH_MAX_LENGTH = 100


class ProjectFilterForm(forms.Form):
    """The catalogue filters, read from the query string. A value that is not valid is simply not applied."""

    q = forms.CharField(label="Rechercher", required=False)
    pilier = forms.ChoiceField(label="Pilier", required=False)
    theme = forms.ChoiceField(label="Thématique", required=False)
    annee = forms.TypedChoiceField(label="Année", required=False, coerce=int, empty_value=None)
    quartier = forms.ChoiceField(label="Quartier", required=False)
    porteur = forms.ChoiceField(label="Type de porteur", required=False)

    def __init__(self, data, *, pillars, themes, quartiers, years):
        super().__init__(data)
        everything = [("", "Tous")]
        self.fields["pilier"].choices = everything + [(p.slug, p.name) for p in pillars]
        self.fields["theme"].choices = [("", "Toutes")] + [(t.slug, t.name) for t in themes]
        self.fields["annee"].choices = [("", "Toutes")] + [(str(y), str(y)) for y in years]
        self.fields["quartier"].choices = everything + [(q.slug, q.name) for q in quartiers]
        self.fields["porteur"].choices = everything + list(Project.PorteurKind.choices)
        self.pillars = {p.slug: p for p in pillars}
        self.themes = {t.slug: t for t in themes}
        self.quartiers = {q.slug: q for q in quartiers}

    def clean_q(self):
        # A long search is cut rather than refused: the visitor still gets a page.
        return " ".join(self.cleaned_data["q"].split())[:SEARCH_MAX_LENGTH]

    def filters(self) -> dict:
        """The valid filters only (cleaned_data keeps the fields that validated)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}

    def apply(self, queryset):
        filters = self.filters()
        if "q" in filters:
            queryset = queryset.search(filters["q"])
        if "pilier" in filters:
            queryset = queryset.filter(pillar=self.pillars[filters["pilier"]])
        if "theme" in filters:
            queryset = queryset.filter(themes=self.themes[filters["theme"]])
        if "quartier" in filters:
            queryset = queryset.filter(quartiers=self.quartiers[filters["quartier"]])
        if "annee" in filters:
            queryset = queryset.active_in(filters["annee"])
        if "porteur" in filters:
            queryset = queryset.filter(porteur_kind=filters["porteur"])
        return queryset
