"""The search index follows what editors do: each save in the admin (through the page it renders), each
delete, each re-tagging, the seed, an import, and a migrate after the normalisation changed.

That a failed save leaves the index as it was, with real transactions: test_search_transactions.py.
"""

import pytest
from django.core.management import call_command

from contacts.models import Contact
from editorial.permissions import EDITOR_GROUP
from initiatives.models import FocusArea, SearchDocument, Theme
from initiatives.search import index, matching_focus_area_ids, search
from regions.backup import export_catalogue, import_catalogue

from .admin_forms import change_form, errors
from .factories import make_staff

pytestmark = pytest.mark.usefixtures("seeded")


def titles(text):
    return [hit.title for hit in search(text).hits]


@pytest.fixture
def editor():
    return make_staff("redaktor", EDITOR_GROUP)


@pytest.fixture
def gotland_tourism():
    return FocusArea.objects.get(region__slug="gotland", slug="besoksnaring")


def test_an_editors_new_words_are_found_at_once(app, editor, gotland_tourism):
    assert not search("solcellsparker").hits
    form = change_form(app, gotland_tourism, editor)
    form["summary"] = form["summary"].value + " Nu också solcellsparker."
    response = form.submit("_save")
    assert response.status_code == 302, errors(response)
    assert titles("solcellsparker") == ["Besöksnäring"]
    assert titles("solcellsparkerna") == ["Besöksnäring"]  # stemmed like the rest


def test_an_unpublished_insatsomrade_leaves_the_search(app, editor, gotland_tourism):
    form = change_form(app, gotland_tourism, editor)
    form["status"] = "draft"
    assert form.submit("_save").status_code == 302
    assert gotland_tourism.pk not in (matching_focus_area_ids("besöksnäring") or [])
    assert "/regioner/gotland/besoksnaring/" not in [hit.url for hit in search("Gotland").hits]
    form = change_form(app, gotland_tourism, editor)
    form["status"] = "published"
    assert form.submit("_save").status_code == 302
    assert gotland_tourism.pk in matching_focus_area_ids("besöksnäring")


def test_a_renamed_theme_renames_what_its_insatsomraden_are_found_by(app, editor):
    theme = Theme.objects.get(slug="besoksnaring")
    tagged = set(theme.focus_areas.published().values_list("pk", flat=True))
    form = change_form(app, theme, editor)
    form["name"] = "Turistnäring och besöksmål"
    assert form.submit("_save").status_code == 302, "theme not saved"
    assert tagged <= set(matching_focus_area_ids("besöksmål"))
    assert search("besöksmål").best_bets[0].title == "Turistnäring och besöksmål"


def test_re_tagging_an_insatsomrade_changes_what_finds_it(app, editor, gotland_tourism):
    goal_7 = set(matching_focus_area_ids("mål 7") or [])
    assert gotland_tourism.pk not in goal_7
    form = change_form(app, gotland_tourism, editor)
    form["sdg_goals"] = [str(pk) for pk in gotland_tourism.sdg_goals.values_list("pk", flat=True)] + ["7"]
    assert form.submit("_save").status_code == 302
    assert gotland_tourism.pk in matching_focus_area_ids("mål 7")


def test_a_hidden_contact_is_found_neither_by_name_nor_through_its_insatsomraden(app, editor):
    contact = Contact.objects.get(name="Emma Lee")
    assert "Digital omställning för en hållbar regional utveckling" in titles("Emma Lee")
    form = change_form(app, contact, editor)
    form["is_public"] = False
    assert form.submit("_save").status_code == 302
    assert not search("Emma Lee").hits


def test_an_erased_contact_is_found_nowhere():
    from contacts.erasure import erase_contacts

    contact = Contact.objects.get(name="Emma Lee")
    erase_contacts([contact])
    assert not search("Emma Lee").hits
    assert not SearchDocument.objects.filter(tag_terms__contains="emma").exists()


def test_the_seed_again_changes_nothing_in_the_index():
    before = sorted(SearchDocument.objects.values_list("kind", "object_id", "title_terms", "body_terms"))
    call_command("seed", verbosity=0)
    assert (
        sorted(SearchDocument.objects.values_list("kind", "object_id", "title_terms", "body_terms")) == before
    )


def test_an_import_rebuilds_the_index(tmp_path):
    path = tmp_path / "katalog.json"
    export_catalogue(path)
    count = SearchDocument.objects.count()
    import_catalogue(path, replace=True)
    assert SearchDocument.objects.count() == count
    assert "Besöksnäring" in titles("besöksnäringen")


def test_migrate_rebuilds_an_index_made_by_an_older_normalisation():
    SearchDocument.objects.update(version=0, title_terms="", tag_terms="", body_terms="", other_terms="")
    assert not search("besöksnäringen").hits and index.needs_rebuild()
    call_command("migrate", verbosity=0)
    assert not index.needs_rebuild()
    assert "Besöksnäring" in titles("besöksnäringen")


def test_the_management_command_checks_and_rebuilds(capsys):
    call_command("search_index", "--check")
    SearchDocument.objects.all().delete()
    with pytest.raises(Exception, match="search_index"):
        call_command("search_index", "--check")
    call_command("search_index")
    assert "Sökindexet byggt" in capsys.readouterr().out
    assert titles("besöksnäringen")
