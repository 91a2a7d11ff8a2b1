"""Editors edit everything; a regional coordinator only their own region, on every admin route.

Personas: an editor, the coordinator of Kalmar, the coordinator of Skåne, and an anonymous visitor. Each
scoped content model (Region, FocusArea, Link, Contact; activities as inlines) is tried on every admin
route against Kalmar's objects: allowed where it should be, refused where not, and refused means the
database is unchanged.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from contacts.models import Contact
from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import Activity, FocusArea, Link
from regions.models import Region

from .admin_forms import add_form, change_form, confirm, errors, run_action, sent_fields, tick
from .factories import make_activity, make_contact, make_focus_area, make_link, make_region, make_staff

pytestmark = pytest.mark.django_db

EDITOR, OWN, OTHER, ANONYMOUS = "editor", "coordinator of Kalmar", "coordinator of Skåne", "anonymous"
PERSONAS = [EDITOR, OWN, OTHER, ANONYMOUS]
ALLOWED = {EDITOR: True, OWN: True, OTHER: False, ANONYMOUS: False}


@pytest.fixture
def world():
    kalmar = make_region(name="Region Kalmar län", short_name="Kalmar", slug="kalmar", county_code="08")
    skane = make_region(name="Region Skåne", short_name="Skåne", slug="skane", county_code="12")
    objects = {}
    for region in (kalmar, skane):
        area = make_focus_area(region=region, title=f"Arbete i {region.short_name}", slug="arbete")
        objects[region.slug] = {
            Region: region,
            FocusArea: area,
            Activity: make_activity(area, body=f"Steg i {region.short_name}"),
            Link: make_link(region, label=f"Länk i {region.short_name}"),
            Contact: make_contact(region, focus_areas=[area], name=f"Kontakt i {region.short_name}"),
        }
    users = {
        EDITOR: _user("redaktor", EDITOR_GROUP),
        OWN: _user("kalmar", COORDINATOR_GROUP, kalmar),
        OTHER: _user("skane", COORDINATOR_GROUP, skane),
    }
    return {"objects": objects, "users": users}


def _user(username, group, region=None):
    return make_staff(username, group, region)


def client_for(client, world, persona):
    if persona != ANONYMOUS:
        client.force_login(world["users"][persona])
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def snapshot():
    return {
        model: sorted(map(str, model.objects.values_list()))
        for model in (Region, FocusArea, Activity, Link, Contact)
    }


SCOPED = [Region, FocusArea, Link, Contact]
TEXT_FIELD = {Region: "introduction", FocusArea: "summary", Link: "label", Contact: "role"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_changelist_shows_only_the_regions_one_may_edit(client, world, persona, model):
    kalmar_object = world["objects"]["kalmar"][model]
    response = client_for(client, world, persona).get(url(model, "changelist"))
    if persona == ANONYMOUS:
        assert response.status_code == 302 and "/login/" in response.url
        return
    assert response.status_code == 200
    listed = url(model, "change", kalmar_object.pk) in response.content.decode()
    assert listed == ALLOWED[persona]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_object_pages(client, world, persona, model, view):
    kalmar_object = world["objects"]["kalmar"][model]
    response = client_for(client, world, persona).get(url(model, view, kalmar_object.pk))
    if persona == ANONYMOUS:
        assert response.status_code == 302 and "/login/" in response.url
    elif not ALLOWED[persona]:
        # The admin's "does not exist" (a redirect to its index with a message), or 403 where Django
        # checks the permission first (deleting a region): either way nothing is shown.
        assert response.status_code == 403 or (
            response.status_code == 302 and response.url == reverse("admin:index")
        )
    elif view == "delete" and model is Region:
        assert response.status_code == 403  # nobody but operations deletes a region
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("persona", [EDITOR, OWN])
@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_those_allowed_save_the_change_form_as_the_page_renders_it(app, world, persona, model):
    kalmar_object = world["objects"]["kalmar"][model]
    form = change_form(app, kalmar_object, world["users"][persona])
    form[TEXT_FIELD[model]] = "Ändrad text"
    response = form.submit("_save")
    assert response.status_code == 302, errors(response)
    kalmar_object.refresh_from_db()
    assert getattr(kalmar_object, TEXT_FIELD[model]) == "Ändrad text"


@pytest.mark.parametrize("persona", [OTHER, ANONYMOUS])
@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m.__name__)
def test_a_change_post_from_anyone_else_changes_nothing(client, app, world, persona, model):
    # An attacker replays the editor's form, as their browser sent it, with the text changed.
    kalmar_object = world["objects"]["kalmar"][model]
    data = sent_fields(change_form(app, kalmar_object, world["users"][EDITOR]))
    data[TEXT_FIELD[model]] = ["Ändrad text"]
    before = snapshot()
    response = client_for(client, world, persona).post(url(model, "change", kalmar_object.pk), data)
    kalmar_object.refresh_from_db()
    assert response.status_code == 302 and "Ändrad" not in str(getattr(kalmar_object, TEXT_FIELD[model]))
    assert snapshot() == before


@pytest.mark.parametrize("persona", [EDITOR, OWN])
@pytest.mark.parametrize("model", [FocusArea, Link, Contact], ids=lambda m: m.__name__)
@pytest.mark.parametrize("how", ["delete page", "bulk action"])
def test_those_allowed_delete_through_the_confirmation_page(app, world, persona, model, how):
    kalmar_object = world["objects"]["kalmar"][model]
    user = world["users"][persona]
    if how == "delete page":
        page = app.get(url(model, "delete", kalmar_object.pk), user=user)
    else:
        page = run_action(app, model, user, "delete_selected", [kalmar_object])
    assert confirm(page).status_code == 302
    assert not model.objects.filter(pk=kalmar_object.pk).exists()


@pytest.mark.parametrize("persona", [OTHER, ANONYMOUS])
@pytest.mark.parametrize("model", [FocusArea, Link, Contact], ids=lambda m: m.__name__)
def test_a_crafted_delete_or_bulk_delete_from_anyone_else_deletes_nothing(client, world, persona, model):
    kalmar_object = world["objects"]["kalmar"][model]
    client = client_for(client, world, persona)
    client.post(url(model, "delete", kalmar_object.pk), {"post": "yes"})
    client.post(
        url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [kalmar_object.pk], "post": "yes"},
    )
    assert model.objects.filter(pk=kalmar_object.pk).exists()


def test_a_coordinator_adds_an_insatsomrade_in_their_region(app, world):
    kalmar = world["objects"]["kalmar"][Region]
    form = add_form(app, FocusArea, world["users"][OWN])
    assert {option for option, _selected, _text in form["region"].options} == {"", str(kalmar.pk)}
    form["region"] = str(kalmar.pk)
    form["title"], form["slug"] = "Nytt", "nytt"
    response = form.submit("_save")
    assert response.status_code == 302, errors(response)
    assert FocusArea.objects.filter(slug="nytt", region=kalmar).exists()


@pytest.mark.parametrize("persona", [OWN, OTHER])
def test_a_crafted_add_in_another_region_is_refused(client, world, persona):
    kalmar = world["objects"]["kalmar"][Region]
    before = snapshot()
    client = client_for(client, world, persona)
    response = client.post(
        url(FocusArea, "add"),
        {
            "region": kalmar.pk,
            "title": "Nytt",
            "slug": "nytt",
            "status": "draft",
            "order": 1,
            "activities-TOTAL_FORMS": 0,
            "activities-INITIAL_FORMS": 0,
            "links-TOTAL_FORMS": 0,
            "links-INITIAL_FORMS": 0,
        },
    )
    created = FocusArea.objects.filter(slug="nytt", region=kalmar).exists()
    assert created == ALLOWED[persona]
    if not ALLOWED[persona]:
        assert response.status_code == 200 and "region" in response.context["adminform"].form.errors
        assert snapshot() == before


def test_a_coordinator_cannot_move_their_object_to_another_region(app, world):
    # Values the page does not offer, forced into the form as an attacker's browser would send them.
    skane_area = world["objects"]["skane"][FocusArea]
    skane_contact = world["objects"]["skane"][Contact]
    kalmar = world["objects"]["kalmar"]
    coordinator = world["users"][OTHER]

    form = change_form(app, skane_area, coordinator)
    form["region"].force_value(str(kalmar[Region].pk))
    response = form.submit("_save")
    assert "region" in response.context["adminform"].form.errors

    # Kalmar's insatsområde has no checkbox on Skåne's contact: the attacker adds it to what is sent.
    data = sent_fields(change_form(app, skane_contact, coordinator))
    data["focus_areas"] = [str(kalmar[FocusArea].pk)]
    response = app.post(url(Contact, "change", skane_contact.pk), data, user=coordinator)
    assert "focus_areas" in response.context["adminform"].form.errors

    skane_area.refresh_from_db()
    assert skane_area.region.slug == "skane"
    assert list(skane_contact.focus_areas.all()) == [skane_area]


def test_an_inline_post_cannot_reach_another_regions_activity(app, world):
    skane_area = world["objects"]["skane"][FocusArea]
    kalmar_activity = world["objects"]["kalmar"][Activity]
    form = change_form(app, skane_area, world["users"][OTHER])
    form["activities-0-id"].force_value(str(kalmar_activity.pk))
    form["activities-0-body"] = "Kapat"
    form.submit("_save")
    kalmar_activity.refresh_from_db()
    assert kalmar_activity.body == "Steg i Kalmar" and kalmar_activity.focus_area.region.slug == "kalmar"


@pytest.mark.parametrize("persona", [EDITOR, OWN, OTHER])
def test_forms_offer_only_ones_own_regions_and_their_work(client, world, persona):
    client = client_for(client, world, persona)
    forms = [
        (url(Contact, "add"), "focus_areas", FocusArea),
        (url(Contact, "add"), "region", Region),
        (url(FocusArea, "add"), "region", Region),
        (url(Link, "add"), "focus_area", FocusArea),
    ]
    for address, field, target in forms:
        form = client.get(address).context["adminform"].form
        ids = {obj.pk for obj in form.fields[field].queryset}
        assert (world["objects"]["kalmar"][target].pk in ids) == ALLOWED[persona], (address, field)
        if persona != EDITOR:
            own = "kalmar" if persona == OWN else "skane"
            assert ids == {world["objects"][own][target].pk}, (address, field)


def test_coordinators_edit_their_regions_texts_but_not_its_identity(app, world):
    kalmar = world["objects"]["kalmar"][Region]
    form = change_form(app, kalmar, world["users"][OWN])
    assert {"name", "slug", "county_code", "coordinators"}.isdisjoint(form.fields)
    form["introduction"] = "Ny inledning"
    assert form.submit("_save").status_code == 302
    kalmar.refresh_from_db()
    assert kalmar.introduction == "Ny inledning"

    # Fields the page does not render, added by hand, are ignored.
    data = sent_fields(change_form(app, kalmar, world["users"][OWN]))
    data.update(introduction=["Igen"], slug=["stulen"], county_code=["01"])
    assert app.post(url(Region, "change", kalmar.pk), data, user=world["users"][OWN]).status_code == 302
    kalmar.refresh_from_db()
    assert (kalmar.introduction, kalmar.slug, kalmar.county_code) == ("Igen", "kalmar", "08")


def test_an_editor_saves_a_region_page_and_assigns_a_coordinator(app, world):
    kalmar = world["objects"]["kalmar"][Region]
    newcomer = make_staff("ny-samordnare", COORDINATOR_GROUP)
    form = change_form(app, kalmar, world["users"][EDITOR])
    form["links-0-label"] = "Regionens webbplats"
    tick(form, "coordinators", newcomer.pk)
    response = form.submit("_save")
    assert response.status_code == 302, errors(response)
    assert set(kalmar.coordinators.values_list("username", flat=True)) == {"kalmar", "ny-samordnare"}
    assert kalmar.links.get().label == "Regionens webbplats"
    # The new coordinator can now edit Kalmar.
    form = change_form(app, kalmar, newcomer)
    form["introduction"] = "Från den nya samordnaren."
    assert form.submit("_save").status_code == 302


@pytest.mark.parametrize("path", ["/admin/auth/user/", "/admin/auth/group/", "/admin/regions/seedrecord/"])
def test_coordinators_see_no_users_groups_or_seed_records(client, world, path):
    assert client_for(client, world, OWN).get(path).status_code == 403


def test_hidden_contacts_of_other_regions_stay_hidden(client, world):
    Contact.objects.filter(region__slug="kalmar").update(is_public=False)
    html = client_for(client, world, OTHER).get(url(Contact, "changelist")).content.decode()
    assert "Kontakt i Kalmar" not in html


def test_changelist_queries_do_not_grow_for_a_coordinator(client, world, django_assert_max_num_queries):
    coordinator = client_for(client, world, OWN)
    with django_assert_max_num_queries(30) as first:
        coordinator.get(url(FocusArea, "changelist"))
    kalmar = world["objects"]["kalmar"][Region]
    for n in range(10):
        make_focus_area(region=kalmar, slug=f"fler-{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        coordinator.get(url(FocusArea, "changelist"))


# --- Onboarding commands ---------------------------------------------------------------------------


STRONG = "ett-långt-lösenord-2026"


def test_createcoordinator(world, monkeypatch):
    monkeypatch.setenv("PORTAL_USER_PASSWORD", STRONG)
    call_command("createcoordinator", "anna", "--region", "kalmar", "--region", "skane", "--noinput")
    anna = User.objects.get(username="anna")
    assert anna.is_staff and not anna.is_superuser and anna.check_password(STRONG)
    assert list(anna.groups.values_list("name", flat=True)) == [COORDINATOR_GROUP]
    assert sorted(anna.coordinated_regions.values_list("slug", flat=True)) == ["kalmar", "skane"]


def test_createeditor_asks_for_the_password(world, monkeypatch):
    answers = iter([STRONG, STRONG])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("createeditor", "eva", "--email", "eva@tillvaxtverket.se")
    assert User.objects.get(username="eva").groups.get().name == EDITOR_GROUP


@pytest.mark.parametrize(
    "args, password, message",
    [
        (["createcoordinator", "ny", "--region", "finns-inte"], STRONG, "No region finns-inte"),
        (["createcoordinator", "kalmar", "--region", "kalmar"], STRONG, "already exists"),
        (["createeditor", "ny"], "kort", "too weak"),
        (["createeditor", "ny"], "", "needs the password in PORTAL_USER_PASSWORD"),
        (["createeditor", "ny", "--email", "inte-en-adress"], STRONG, "not an e-mail address"),
    ],
)
def test_onboarding_errors_create_nothing(world, monkeypatch, args, password, message):
    monkeypatch.setenv("PORTAL_USER_PASSWORD", password)
    users = User.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command(*args, "--noinput")
    assert User.objects.count() == users


# --- Login throttling ------------------------------------------------------------------------------


def test_repeated_failed_logins_lock_out_that_username_from_that_address(client, world):
    User.objects.create_user("eva", password=STRONG, is_staff=True)
    login = reverse("admin:login")
    for _ in range(4):
        assert client.post(login, {"username": "eva", "password": "fel"}).status_code == 200
    assert client.post(login, {"username": "eva", "password": "fel"}).status_code == 429  # the fifth locks
    locked = client.post(login, {"username": "eva", "password": STRONG})  # even the right password
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another username from the same address is not locked out.
    User.objects.create_user("olle", password=STRONG, is_staff=True)
    assert client.post(login, {"username": "olle", "password": STRONG}).status_code == 302


def test_one_address_trying_many_usernames_is_locked_out_too(client, world):
    User.objects.create_user("eva", password=STRONG, is_staff=True)
    login = reverse("admin:login")
    for n in range(19):
        assert client.post(login, {"username": f"gissning-{n}", "password": "fel"}).status_code == 200
    assert client.post(login, {"username": "gissning-19", "password": "fel"}).status_code == 429  # 20th
    assert client.post(login, {"username": "eva", "password": STRONG}).status_code == 429
    # The same person from another address is not affected.
    assert (
        client.post(login, {"username": "eva", "password": STRONG}, REMOTE_ADDR="192.0.2.7").status_code
        == 302
    )


# --- Editors onboard coordinators ---------------------------------------------------------------


def test_an_editor_cannot_grant_more_than_the_two_roles(client, app, world):
    editor_user = world["users"][EDITOR]
    editor = client_for(client, world, EDITOR)
    ops = Group.objects.create(name="Drift")
    change = reverse("admin:auth_user_change", args=[editor_user.pk])
    # Crafted: fields the page does not have, and a group it does not offer.
    data = sent_fields(change_form(app, editor_user, editor_user))
    data.update(is_superuser=["on"], user_permissions=["1"], groups=[str(ops.pk)])
    response = editor.post(change, data)
    assert "groups" in response.context["adminform"].form.errors
    data["groups"] = [Group.objects.get(name=EDITOR_GROUP).pk]
    editor.post(change, data)  # the crafted is_superuser and permissions are not fields: ignored
    editor_user.refresh_from_db()
    assert not editor_user.is_superuser and not editor_user.user_permissions.exists()
    assert list(editor_user.groups.values_list("name", flat=True)) == [EDITOR_GROUP]


def test_an_editor_cannot_see_or_change_superusers(client, world):
    root = User.objects.create_superuser("drift", password=STRONG)
    editor = client_for(client, world, EDITOR)
    assert "drift" not in editor.get(reverse("admin:auth_user_changelist")).content.decode()
    response = editor.get(reverse("admin:auth_user_change", args=[root.pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    password = reverse("admin:auth_user_password_change", args=[root.pk])
    editor.post(password, {"password1": "kapat-lösenord-123", "password2": "kapat-lösenord-123"})
    root.refresh_from_db()
    assert root.check_password(STRONG)


@pytest.mark.parametrize("persona", [OWN, OTHER])
@pytest.mark.parametrize(
    "model, data",
    [
        (Link, {"label": "Ny länk", "url": "https://example.se", "order": 1}),
        (Contact, {"name": "Ny person", "order": 1, "is_public": "on"}),
    ],
    ids=["Link", "Contact"],
)
def test_links_and_contacts_cannot_be_added_to_another_region(client, world, persona, model, data):
    kalmar = world["objects"]["kalmar"][Region]
    client = client_for(client, world, persona)
    before = model.objects.count()
    response = client.post(url(model, "add"), {**data, "region": kalmar.pk})
    if ALLOWED[persona]:
        assert response.status_code == 302 and model.objects.count() == before + 1
    else:
        assert "region" in response.context["adminform"].form.errors
        assert model.objects.count() == before


def test_behind_the_proxy_a_lockout_is_the_clients_own(client, world, settings):
    settings.BEHIND_TLS_PROXY, settings.TRUSTED_PROXIES = True, ["127.0.0.1"]
    User.objects.create_user("eva", password=STRONG, is_staff=True)
    login = reverse("admin:login")

    def attempt(password, client_address, remote="127.0.0.1"):
        return client.post(
            login,
            {"username": "eva", "password": password},
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=client_address,
        ).status_code

    for _ in range(5):
        attempt("fel", "203.0.113.9")
    assert attempt(STRONG, "203.0.113.9") == 429  # the attacker's address is locked out
    assert attempt(STRONG, "198.51.100.7") == 302  # eva, elsewhere, is not
    # A client that is not the proxy cannot choose its address: each guess counts against its own.
    client.logout()
    for n in range(5):
        attempt("fel", f"192.0.2.{n}", remote="203.0.113.50")
    assert attempt(STRONG, "192.0.2.99", remote="203.0.113.50") == 429
