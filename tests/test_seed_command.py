"""`manage.py seed` on an empty database: what it reports, and all or nothing on a broken fixture."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contacts.models import Contact
from initiatives.models import Activity, FocusArea
from regions.models import Region
from regions.seeding import catalogue_dir


def run_seed(*args):
    out, err = StringIO(), StringIO()
    call_command("seed", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def editable_fixtures(tmp_path, settings):
    """A copy of the real fixtures that a test may change, with SEED_DIR pointing at it."""
    shutil.copytree(catalogue_dir(), tmp_path / "catalogue")
    settings.SEED_DIR = tmp_path
    return tmp_path / "catalogue"


def snapshot():
    return {
        "regions": list(Region.objects.values().order_by("pk")),
        "focus_areas": list(FocusArea.objects.values().order_by("pk")),
        "activities": list(Activity.objects.values().order_by("pk")),
        "contacts": list(Contact.objects.values().order_by("pk")),
    }


def test_the_command_reports_what_it_did(db):
    out, err = run_seed()
    assert "195 skapade" in out and err == ""
    out, err = run_seed()
    assert "0 skapade, 0 uppdaterade, 195 oförändrade" in out


def test_a_broken_fixture_loads_nothing(db, editable_fixtures):
    path = editable_fixtures / "regions" / "orebro.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + '\n[[contact]]\nname = "X"\nfocus_areas = ["finns-inte"]\n'
    )
    with pytest.raises(CommandError, match="nothing was loaded.*finns-inte"):
        run_seed()
    assert Region.objects.count() == 0 and FocusArea.objects.count() == 0


def test_unknown_theme_is_a_clear_error(db, editable_fixtures):
    path = editable_fixtures / "regions" / "blekinge.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"kompetensforsorjning"', '"okant-tema"', 1))
    with pytest.raises(CommandError, match="okant-tema"):
        run_seed()
    assert Region.objects.count() == 0
