"""System checks on the settings: private files never under a public root."""

from langres_portal.core.checks import private_media_outside_public_roots


def test_separate_private_and_public_roots_pass(settings, tmp_path):
    settings.MEDIA_ROOT, settings.STATIC_ROOT = tmp_path / "media", tmp_path / "static"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    assert private_media_outside_public_roots(None) == []


def test_private_root_inside_media_root_is_an_error(settings, tmp_path):
    settings.MEDIA_ROOT, settings.STATIC_ROOT = tmp_path / "media", tmp_path / "static"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "prive"
    errors = private_media_outside_public_roots(None)
    assert [e.id for e in errors] == ["core.E001"] and "MEDIA_ROOT" in errors[0].msg


def test_private_root_equal_to_or_containing_a_public_root_is_an_error(settings, tmp_path):
    settings.MEDIA_ROOT, settings.STATIC_ROOT = tmp_path / "media", tmp_path / "site" / "static"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "site"
    assert [e.id for e in private_media_outside_public_roots(None)] == ["core.E001"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media"
    assert [e.id for e in private_media_outside_public_roots(None)] == ["core.E001"]
