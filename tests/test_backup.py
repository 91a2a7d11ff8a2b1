"""Backup and restore of the catalogue: export_catalogue, then a wiped database, then import_catalogue,
gives back the same API, downloads and rows, and a refused import writes nothing."""

import importlib
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.cache import cache
from django.core.management import CommandError, call_command

from contacts.models import Contact
from editorial.permissions import COORDINATOR_GROUP
from initiatives.models import Dimension, FocusArea, SdgGoal, SearchDocument, Status
from regions.backup import MODELS, SKIPPED_FIELDS
from regions.models import Region, SeedRecord

from .factories import make_contact, make_focus_area, make_link, make_staff

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture(scope="module")
def seeded_export(seeded_db, django_db_blocker, tmp_path_factory):
    """The seeded catalogue's export, written once for the module."""
    path = tmp_path_factory.mktemp("export") / "katalog.json"
    with django_db_blocker.unblock():
        call_command("export_catalogue", path)
    return path


@pytest.fixture
def edited_catalogue(seeded):
    """The seeded catalogue plus what editors do: an edit, a draft, a hidden contact, a coordinator."""
    kalmar = Region.objects.get(slug="kalmar")
    edited = FocusArea.objects.filter(region=kalmar).order_by("pk").first()
    edited.summary = "Redaktörens egen sammanfattning."
    edited.save()
    draft = make_focus_area(region=kalmar, title="Ett utkast", status=Status.DRAFT)
    make_contact(kalmar, focus_areas=[edited], name="Dold Person", is_public=False)
    make_link(kalmar, focus_area=draft)
    make_staff("kalmar-samordnare", COORDINATOR_GROUP, kalmar)
    return edited


def api_urls(client):
    urls = ["/api/v1/", "/api/v1/regions/", "/api/v1/themes/", "/api/v1/mandatory-areas/"]
    urls += [f"/api/v1/regions/{slug}/" for slug in Region.objects.values_list("slug", flat=True)]
    page = "/api/v1/focus-areas/"
    while page:
        urls.append(page)
        page = client.get(page).json()["next"]
    return urls


def public_output(client):
    """Every API response and the downloads. (Not their ETags: an import is a new catalogue version, so a
    client revalidating after it gets the same content once more rather than a 304.)"""
    cache.clear()
    urls = api_urls(client) + ["/insatsomraden/ladda-ner.json", "/insatsomraden/ladda-ner.csv"]
    output = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        output[url] = response.getvalue()
    return output


def all_rows():
    """Every catalogue row with every field, drafts and hidden contacts included."""
    rows = {}
    for label in MODELS:
        model = apps.get_model(label)
        fields = [f.name for f in model._meta.concrete_fields + model._meta.many_to_many]
        fields = [name for name in fields if name not in SKIPPED_FIELDS]
        rows[label] = serializers.serialize("python", model.objects.order_by("pk"), fields=fields)
    return rows


def wipe():
    """What an empty database looks like after `migrate`: no catalogue, fresh fixed vocabularies."""
    for label in reversed(MODELS):
        apps.get_model(label).objects.all().delete()
    vocabularies = importlib.import_module("initiatives.migrations.0002_fixed_vocabularies")
    vocabularies.create(apps, None)


def test_export_wipe_import_gives_identical_api_output(client, edited_catalogue, tmp_path):
    before_output, before_rows = public_output(client), all_rows()
    path = tmp_path / "katalog.json"

    call_command("export_catalogue", path)
    wipe()
    assert not Region.objects.exists() and not Contact.objects.exists()
    assert client.get("/api/v1/regions/").json() == []
    call_command("import_catalogue", path)

    assert public_output(client) == before_output
    assert all_rows() == before_rows
    assert set(Region.objects.get(slug="kalmar").coordinators.values_list("username", flat=True)) == {
        "kalmar-samordnare"
    }


def test_an_imported_catalogue_keeps_working(client, edited_catalogue, tmp_path, run_seed):
    path = tmp_path / "katalog.json"
    call_command("export_catalogue", path)
    wipe()
    call_command("import_catalogue", path)

    # The seed's fingerprints came along: a re-seed changes nothing and still spares the editor's edit.
    out, err = run_seed()
    assert "0 skapade, 0 uppdaterade" in out
    assert edited_catalogue.title in err
    assert FocusArea.objects.get(pk=edited_catalogue.pk).summary == "Redaktörens egen sammanfattning."
    # Keys were kept, and new rows get fresh ones (the sequences moved past the imported keys).
    fresh = make_focus_area(region=Region.objects.get(slug="kalmar"))
    assert fresh.pk > edited_catalogue.pk
    # The edit history says where each row came from, many-to-many fields included.
    first = FocusArea.objects.get(pk=edited_catalogue.pk).history.latest()
    assert "katalogexport katalog.json" in first.history_change_reason
    assert first.history_type == "+"
    assert {t.theme_id for t in first.themes.all()} == set(
        edited_catalogue.themes.values_list("pk", flat=True)
    )
    assert first.themes.exists()
    # The search index, left out of the file, was rebuilt from what came in.
    assert SearchDocument.objects.filter(kind="focus_area").count() == FocusArea.objects.published().count()
    assert client.get("/sok/", {"q": "Redaktörens"}).content.count(b"Redakt") >= 1


def test_import_refuses_a_database_that_has_a_catalogue(edited_catalogue, tmp_path):
    path = tmp_path / "katalog.json"
    call_command("export_catalogue", path)
    rows = all_rows()
    with pytest.raises(CommandError, match="redan en katalog"):
        call_command("import_catalogue", path)
    assert all_rows() == rows


def test_replace_keeps_the_replaced_catalogue_in_the_history(client, edited_catalogue, tmp_path):
    path = tmp_path / "katalog.json"
    call_command("export_catalogue", path)
    before = public_output(client)
    edited_catalogue.title = "Ändrad efter exporten"
    edited_catalogue.save()

    call_command("import_catalogue", path, "--replace")

    assert public_output(client) == before
    assert FocusArea.objects.get(pk=edited_catalogue.pk).title != "Ändrad efter exporten"
    # The edit made after the export is not lost: the history has it, and its deletion.
    titles = set(FocusArea.history.filter(id=edited_catalogue.pk).values_list("title", flat=True))
    assert "Ändrad efter exporten" in titles
    assert FocusArea.history.filter(id=edited_catalogue.pk, history_type="-").exists()


def broken_files(document):
    missing_region = json.loads(json.dumps(document))
    for record in missing_region["records"]:
        if record["model"] == "initiatives.focusarea":
            record["fields"]["region"] = 999_999
            break
    truncated = json.loads(json.dumps(document))
    truncated["records"] = truncated["records"][:-5]
    future = json.loads(json.dumps(document))
    future["migrations"]["initiatives"].append("9999_from_the_future")
    bad_value = json.loads(json.dumps(document))
    for record in bad_value["records"]:
        if record["model"] == "contacts.contact":
            record["fields"]["created_at"] = "igår"
            break
    duplicate = json.loads(json.dumps(document))
    slugs = [r for r in duplicate["records"] if r["model"] == "regions.region"]
    slugs[1]["fields"]["slug"] = slugs[0]["fields"]["slug"]
    stranger = json.loads(json.dumps(document))
    stranger["records"].append({"model": "auth.user", "pk": 1, "fields": {"username": "intrang"}})
    shapeless = json.loads(json.dumps(document))
    shapeless["records"][3] = "x"
    fieldless = json.loads(json.dumps(document))
    del fieldless["records"][3]["fields"]
    odd_coordinators = json.loads(json.dumps(document)) | {"coordinators": {"kalmar": "anna"}}
    return {
        "a record that is not an object": (json.dumps(shapeless), "trasig"),
        "a record without fields": (json.dumps(fieldless), "trasig"),
        "coordinators that are not a list": (json.dumps(odd_coordinators), "trasig"),
        "a region that is not in the file": (json.dumps(missing_region), "strider mot"),
        "records missing at the end": (json.dumps(truncated), "ofullständig"),
        "a newer schema": (json.dumps(future), "nyare databas"),
        "an unreadable value": (json.dumps(bad_value), "går inte att läsa"),
        "two regions with one slug": (json.dumps(duplicate), "strider mot"),
        "a user account": (json.dumps(stranger), "okänd sort"),
        "cut off half way": (json.dumps(document)[: len(json.dumps(document)) // 2], "ogiltig JSON"),
        "not an export": ('{"records": []}', "inte en katalogexport"),
        "not JSON": (b"\xff\xfe\x00 binary", "ogiltig JSON"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "a record that is not an object",
        "a record without fields",
        "coordinators that are not a list",
        "a region that is not in the file",
        "records missing at the end",
        "a newer schema",
        "an unreadable value",
        "two regions with one slug",
        "a user account",
        "cut off half way",
        "not an export",
        "not JSON",
    ],
)
def test_a_broken_file_is_refused_and_writes_nothing(seeded_export, tmp_path, case):
    text, message = broken_files(json.loads(seeded_export.read_text()))[case]
    broken = tmp_path / "trasig.json"
    if isinstance(text, bytes):
        broken.write_bytes(text)
    else:
        broken.write_text(text, encoding="utf-8")
    rows, history = all_rows(), FocusArea.history.count()

    # --replace: the catalogue is deleted before the file's rows fail, and must come back whole.
    with pytest.raises(CommandError, match=message):
        call_command("import_catalogue", broken, "--replace")

    assert all_rows() == rows
    assert FocusArea.history.count() == history
    assert Region.objects.count() == 21 and SeedRecord.objects.exists()
    assert Dimension.objects.count() == 3 and SdgGoal.objects.count() == 17


def test_a_missing_file_and_an_unwritable_target_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        call_command("import_catalogue", tmp_path / "saknas.json")
    with pytest.raises(CommandError, match="Kunde inte skriva"):
        call_command("export_catalogue", tmp_path / "ingen-mapp" / "katalog.json")


def test_a_coordinator_without_an_account_here_is_reported(edited_catalogue, tmp_path):
    path = tmp_path / "katalog.json"
    call_command("export_catalogue", path)
    wipe()
    apps.get_model("auth.User").objects.filter(username="kalmar-samordnare").delete()
    err = StringIO()
    call_command("import_catalogue", path, stderr=err)
    assert "kalmar-samordnare (kalmar)" in err.getvalue()
    assert not Region.objects.get(slug="kalmar").coordinators.exists()
