"""Every page, every GET parameter a view reads or a form sends, with values nobody thought of."""

from django.urls import resolve
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.checks import check_answer, isolated, row_counts
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.strategies import extra_names, field_value, form_data


def get(client, path, query):
    response = client.get(path, query)
    return response, check_answer(response, f"GET {path} {query!r}")


@fuzz_settings()
@given(data=st.data())
def test_any_query_string_on_any_page(site, client, data):
    """Parameters the views read (`page`, `verifier`, the filters…) or none, with any value, on any page."""
    with_params = sorted(path for path, names in site.params.items() if names)
    path = data.draw(st.one_of(st.sampled_from(with_params), st.sampled_from(sorted(site.pages))), label="page")
    path = path.split("?")[0]
    names = sorted(site.params.get(path, ()))
    chosen = data.draw(st.lists(st.one_of(st.sampled_from(names), extra_names(names)) if names else extra_names([])))
    query = {name: data.draw(field_value(), label=name) for name in chosen}
    with isolated():
        before = row_counts()
        get(client, path, query)
        assert row_counts() == before, "Une page GET a enregistré quelque chose"


@fuzz_settings()
@given(data=st.data())
def test_get_forms(site, client, data):
    """The forms sent by GET (address check, home address box, eligibility check, catalogue filters) with each
    field kept as offered, changed, left out or repeated."""
    forms = sorted((f for f in site.forms if f.method == "get"), key=repr)
    form = data.draw(st.sampled_from(forms), label="form")
    base = site.filled.get(resolve(form.action).view_name)
    query = data.draw(form_data(dict(form.fields), base, form.checkboxes), label="query")
    with isolated():
        before = row_counts()
        response, html = get(client, form.action, query)
        assert row_counts() == before, "Un formulaire GET a enregistré quelque chose"
        if response.status_code == 200 and "<title>Erreur –" in html:
            assert 'id="erreurs"' in html, f"Titre d’erreur sans résumé des erreurs pour {query!r}"
