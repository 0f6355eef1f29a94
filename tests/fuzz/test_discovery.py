"""The fuzz tests attack what the site offers; this checks that the discovery misses no part of it."""

from tests.fuzz.site_map import public_patterns


def test_every_public_url_pattern_is_reached(site):
    missing = {route for route, _ in public_patterns()} - set(site.routes)
    assert missing == set(), f"Adresses jamais atteintes par la découverte : {sorted(missing)}"


def test_the_site_has_forms_and_parameters_to_attack(site):
    actions = {(f.method, f.action) for f in site.forms}
    print(sorted(actions))
    print({k: sorted(v) for k, v in site.params.items() if v})
    print(site.pages)
    assert len(actions) >= 6
