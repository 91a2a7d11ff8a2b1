"""`manage.py seed` on an empty database: what it reports, and all or nothing on a broken fixture."""

import pytest
from django.core.management import CommandError

from initiatives.models import FocusArea
from regions.models import Region


def test_the_command_reports_what_it_did(db, run_seed):
    out, err = run_seed()
    assert "195 skapade" in out and err == ""
    out, err = run_seed()
    assert "0 skapade, 0 uppdaterade, 195 oförändrade" in out


def test_a_broken_fixture_loads_nothing(db, editable_fixtures, run_seed):
    path = editable_fixtures / "regions" / "orebro.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + '\n[[contact]]\nname = "X"\nfocus_areas = ["finns-inte"]\n'
    )
    with pytest.raises(CommandError, match="nothing was loaded.*finns-inte"):
        run_seed()
    assert Region.objects.count() == 0 and FocusArea.objects.count() == 0


def test_unknown_theme_is_a_clear_error(db, editable_fixtures, run_seed):
    path = editable_fixtures / "regions" / "blekinge.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"kompetensforsorjning"', '"okant-tema"', 1))
    with pytest.raises(CommandError, match="okant-tema"):
        run_seed()
    assert Region.objects.count() == 0
