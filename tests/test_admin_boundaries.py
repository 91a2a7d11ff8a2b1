"""Edges of the admin and the site that crafted requests reach: "Visa på webbplatsen" links, error pages
built from a path that names another host, methods the public pages do not take, and contacts linked
across regions. (Hand-built requests here are what an attacker would send.)"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from contacts.models import Contact
from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import FocusArea, Status

from .admin_forms import change_form, errors, tick
from .factories import make_contact, make_focus_area, make_region, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    kalmar = make_region(name="Region Kalmar län", short_name="Kalmar", slug="kalmar", county_code="08")
    skane = make_region(name="Region Skåne", short_name="Skåne", slug="skane", county_code="12")
    return kalmar, skane


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_view_on_site_is_not_found_for_objects_one_may_not_see(regions):
    kalmar, skane = regions
    secret = make_focus_area(region=skane, slug="hemligt-utkast", status=Status.DRAFT)
    own = make_focus_area(region=kalmar, slug="eget")
    content_type = ContentType.objects.get_for_model(FocusArea).pk
    anna = logged_in(make_staff("anna", COORDINATOR_GROUP, kalmar))
    response = anna.get(f"/admin/r/{content_type}/{secret.pk}/")
    assert response.status_code == 404 and "hemligt-utkast" not in response.get("Location", "")
    assert anna.get(f"/admin/r/{content_type}/{own.pk}/").status_code == 302
    editor = logged_in(make_staff("eva", EDITOR_GROUP))
    assert editor.get(f"/admin/r/{content_type}/{secret.pk}/")["Location"].endswith("/skane/hemligt-utkast/")
    assert anna.get(f"/admin/r/{content_type}/999999/").status_code == 404
    assert anna.get("/admin/r/999999/1/").status_code == 404


@pytest.mark.parametrize("path", ["//evil.example/regioner/kalmar/", "//evil.example/en/regioner/kalmar/"])
def test_error_pages_never_link_to_the_host_a_path_names(client, settings, regions, path):
    settings.DEBUG = False
    # As the server receives it: a path that starts with two slashes (the test client would read the
    # address as a host name instead).
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "evil.example" not in html


def test_a_500_page_never_links_to_the_host_a_path_names(settings):
    from django.test import RequestFactory

    from portal.views import server_error

    settings.DEBUG = False
    request = RequestFactory().get("/", PATH_INFO="//evil.example/regioner/kalmar/")
    assert request.get_full_path() == "//evil.example/regioner/kalmar/"
    assert "evil.example" not in server_error(request).content.decode()


@pytest.mark.parametrize("method", ["options", "trace", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path", ["/", "/regioner/", "/regioner/kalmar/", "/en/sok/", "/insatsomraden/flode/"]
)
def test_public_pages_answer_only_get_and_head(client, regions, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}
    assert client.head(path).status_code == 200


def test_a_contact_cannot_be_linked_to_another_regions_focus_area(regions):
    kalmar, skane = regions
    contact = make_contact(kalmar, name="Karin")
    elsewhere = make_focus_area(region=skane)
    # Each in a savepoint: Django's m2m add runs in the caller's transaction, which the error spoils.
    with pytest.raises(ValidationError, match="sin egen region"), transaction.atomic():
        contact.focus_areas.add(elsewhere)
    assert not contact.focus_areas.exists()
    with pytest.raises(ValidationError), transaction.atomic():
        elsewhere.contacts.add(contact)
    assert not contact.focus_areas.exists()


def test_the_contact_form_offers_only_its_own_regions_focus_areas(app, regions):
    kalmar, skane = regions
    own, elsewhere = (
        make_focus_area(region=kalmar, title="Kalmars"),
        make_focus_area(region=skane, title="Skånes"),
    )
    contact = make_contact(kalmar, name="Karin")
    form = change_form(app, contact, make_staff("eva", EDITOR_GROUP))
    offered = {box._value for box in form.fields["focus_areas"]}
    assert offered == {str(own.pk)}
    tick(form, "focus_areas", own.pk)
    assert form.submit("_save").status_code == 302
    assert list(contact.focus_areas.all()) == [own]

    # Moving the contact to Skåne while it keeps Kalmar's insatsområde is refused with a message.
    form = change_form(app, contact, make_staff("ella", EDITOR_GROUP))
    form["region"] = str(skane.pk)
    response = form.submit("_save")
    assert response.status_code == 200 and "hör till en annan region" in errors(response)
    assert Contact.objects.get(pk=contact.pk).region == kalmar
    assert elsewhere.contacts.count() == 0
