"""`manage.py seed` over a seeded database: idempotent, and never silently overwrites an editor."""

from contacts.models import Contact
from initiatives.models import Activity, FocusArea, Status
from regions.models import Region
from regions.seeding import seed


def snapshot():
    return {
        "regions": list(Region.objects.values().order_by("pk")),
        "focus_areas": list(FocusArea.objects.values().order_by("pk")),
        "activities": list(Activity.objects.values().order_by("pk")),
        "contacts": list(Contact.objects.values().order_by("pk")),
    }


def test_running_twice_changes_nothing(seeded):
    before = snapshot()
    report = seed()
    assert (report.created, report.updated, report.skipped) == (0, 0, [])
    assert report.unchanged == seeded.created
    assert snapshot() == before


def test_an_editors_change_is_kept_and_reported(seeded, run_seed):
    area = FocusArea.objects.get(region__slug="gotland", slug="besoksnaring")
    area.summary = "Redaktörens nya ingress."
    area.save()
    area.themes.clear()
    contact = Contact.objects.get(name="William Cöster")
    contact.phone = "070-000 00 00"
    contact.save()

    out, err = run_seed()

    area.refresh_from_db()
    contact.refresh_from_db()
    assert area.summary == "Redaktörens nya ingress."
    assert area.themes.count() == 0
    assert contact.phone == "070-000 00 00"
    assert "Region Gotland › Besöksnäring: ändrad av en redaktör" in err
    assert "Region Gotland › William Cöster: ändrad av en redaktör" in err
    assert "2 hoppade över" in out


def test_force_overwrites_an_editors_change(seeded, run_seed):
    FocusArea.objects.filter(region__slug="gotland", slug="besoksnaring").update(status=Status.DRAFT)
    run_seed("--force")
    assert FocusArea.objects.get(region__slug="gotland", slug="besoksnaring").status == Status.PUBLISHED


def test_a_record_an_editor_deleted_is_not_brought_back(seeded, run_seed):
    Activity.objects.filter(focus_area__region__slug="jamtland-harjedalen", order=2).delete()
    _, err = run_seed()
    assert "borttagen av en redaktör" in err
    assert not Activity.objects.filter(focus_area__region__slug="jamtland-harjedalen", order=2).exists()


def test_a_fixture_change_reaches_records_nobody_has_edited(seeded, editable_fixtures):
    path = editable_fixtures / "regions" / "blekinge.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("076-636 29 80", "076-636 29 81"), encoding="utf-8"
    )
    report = seed()
    assert report.updated == 1 and report.skipped == []
    assert Contact.objects.get(name="Sarah Keidser").phone == "076-636 29 81"


def test_fields_the_fixtures_gained_later_reach_records_nobody_has_edited(db, editable_fixtures):
    """A database seeded before the fixtures had English names gets them on the next seed, except where an
    editor has changed the record since: their version is kept whole, as for any other change."""
    import re

    from initiatives.models import Theme
    from regions.models import SeedRecord
    from regions.seeding import _fingerprint

    themes = editable_fixtures / "themes.toml"
    full = themes.read_text(encoding="utf-8")
    themes.write_text(re.sub(r"^(name_en|description_en) = .*\n", "", full, flags=re.M), encoding="utf-8")
    seed()
    assert set(Theme.objects.values_list("name_en", flat=True)) == {""}
    # What the release before the English names recorded: a fingerprint of the fields it set then.
    for theme in Theme.objects.all():
        SeedRecord.objects.filter(model_label="initiatives.Theme", natural_key=theme.slug).update(
            fingerprint=_fingerprint({"name": theme.name, "description": theme.description}, {})
        )
    Theme.objects.filter(slug="besoksnaring").update(description="Redaktörens beskrivning.")

    themes.write_text(full, encoding="utf-8")
    report = seed()

    assert Theme.objects.get(slug="cirkular-ekonomi").name_en == "Circular economy"
    edited = Theme.objects.get(slug="besoksnaring")
    assert (edited.description, edited.name_en) == ("Redaktörens beskrivning.", "")
    assert report.updated == Theme.objects.count() - 1
    assert [line.split(":")[0] for line in report.skipped] == ["Besöksnäring"]
    assert seed().updated == 0  # and the next run has nothing left to do
