"""Database invariants and model rules."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contacts.models import Contact, normalise_swedish_phone
from initiatives.models import Activity, FocusArea, Link, Status

from .factories import make_contact, make_focus_area, make_link, make_region

pytestmark = pytest.mark.django_db


def violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_region_slug_name_and_county_code_are_unique():
    region = make_region(county_code="08")
    violates(lambda: make_region(slug=region.slug))
    violates(lambda: make_region(name=region.name))
    violates(lambda: make_region(county_code="08"))


@pytest.mark.parametrize("code", ["00", "02", "11", "26", "1", "ab"])
def test_region_county_code_must_be_a_current_scb_code(code):
    violates(lambda: make_region(county_code=code))


def test_focus_area_slug_is_unique_within_its_region_only():
    first = make_focus_area(slug="cirkular-ekonomi")
    make_focus_area(slug="cirkular-ekonomi")  # another region: fine
    violates(lambda: make_focus_area(region=first.region, slug="cirkular-ekonomi"))


def test_activity_order_is_unique_within_its_focus_area_and_it_needs_text():
    focus_area = make_focus_area()
    Activity.objects.create(focus_area=focus_area, order=1, body="Något.")
    violates(lambda: Activity.objects.create(focus_area=focus_area, order=1, body="Annat."))
    violates(lambda: Activity.objects.create(focus_area=focus_area, order=2, title="", body=""))


def test_contact_name_is_unique_within_a_region():
    region = make_region()
    make_contact(region, name="Anna Andersson")
    make_contact(make_region(), name="Anna Andersson")
    violates(lambda: make_contact(region, name="Anna Andersson"))


def test_a_region_with_content_cannot_be_deleted_by_accident():
    focus_area = make_focus_area()
    with pytest.raises(Exception, match="protected"):
        focus_area.region.delete()


def test_published_and_draft():
    region = make_region()
    published = make_focus_area(region=region)
    make_focus_area(region=region, status=Status.DRAFT)
    assert list(FocusArea.objects.published()) == [published]


@pytest.mark.parametrize(
    "written, normalised",
    [
        ("076-636 29 80", "+46766362980"),
        ("023 - 777097", "+4623777097"),
        ("08-123 144 79", "+46812314479"),
        ("0470-58 30 86", "+46470583086"),
        ("+46 70 123 45 67", "+46701234567"),
        ("", ""),
    ],
)
def test_phone_numbers_are_normalised_for_tel_links(written, normalised):
    assert normalise_swedish_phone(written) == normalised


def test_a_phone_number_with_letters_is_rejected():
    contact = Contact(region=make_region(), name="X", phone="ring mig")
    with pytest.raises(ValidationError) as info:
        contact.full_clean()
    assert "phone" in info.value.message_dict


def test_a_link_on_a_focus_area_must_share_its_region():
    focus_area = make_focus_area()
    link = Link(region=make_region(), focus_area=focus_area, label="X", url="https://example.se")
    with pytest.raises(ValidationError) as info:
        link.full_clean()
    assert "focus_area" in info.value.message_dict
    make_link(focus_area.region, focus_area).full_clean()


def test_fixed_vocabularies_exist_from_the_migration():
    from initiatives.models import Dimension, SdgGoal

    assert list(Dimension.objects.values_list("slug", flat=True)) == ["ekonomisk", "social", "miljomassig"]
    assert SdgGoal.objects.count() == 17
    assert str(SdgGoal.objects.get(number=5)) == "5. Jämställdhet"
