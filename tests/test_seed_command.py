"""`manage.py seed` on an empty database: what it reports, and all or nothing on a broken fixture."""

import pytest
from django.core.management import CommandError

from initiatives.models import FocusArea
from regions.models import Region


def test_the_command_reports_what_it_did(db, run_seed):
    out, err = run_seed()
    assert "196 skapade" in out and err == ""  # 195 records and one discrepancy between the sources
    out, err = run_seed()
    assert "0 skapade, 0 uppdaterade, 196 oförändrade" in out


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


def test_each_seeded_record_starts_with_one_version_that_says_where_it_came_from(db, run_seed):
    from regions.models import CatalogueVersion
    from regions.seeding import SEED_REASON

    before = CatalogueVersion.current()
    run_seed()
    assert CatalogueVersion.current() == before + 1  # once for the whole seed, so cached pages go
    area = FocusArea.objects.get(region__slug="gotland", slug="besoksnaring")
    (version,) = area.history.all()  # not one more for each of its themes, dimensions and goals
    assert (version.history_type, version.history_change_reason) == ("+", SEED_REASON)
    themes = set(area.themes.values_list("pk", flat=True))
    assert {t.theme_id for t in version.themes.all()} == themes != set()
    assert FocusArea.history.count() == FocusArea.objects.count()

    run_seed()  # nothing changed: no new versions, and the cache stays valid
    assert CatalogueVersion.current() == before + 1
    assert FocusArea.history.count() == FocusArea.objects.count()
