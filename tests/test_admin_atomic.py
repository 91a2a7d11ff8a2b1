"""An admin save that fails half way leaves nothing half-written: the insatsområde, its activities, its
history and the catalogue version all stay as they were (the admin saves in one transaction)."""

from unittest import mock

import pytest
from django.db import DatabaseError

from editorial.permissions import EDITOR_GROUP
from initiatives.models import Activity, FocusArea
from regions.models import CatalogueVersion

from .admin_forms import change_form
from .factories import make_activity, make_focus_area, make_region, make_staff

pytestmark = pytest.mark.django_db


def test_a_database_error_in_the_middle_of_a_save_with_inlines_writes_nothing(app):
    area = make_focus_area(region=make_region(), title="Före", slug="fore")
    first = make_activity(area, order=1, title="Steg ett", body="Som förut.")
    second = make_activity(area, order=2, title="Steg två", body="Som förut.")
    form = change_form(app, area, make_staff("redaktor", EDITOR_GROUP))
    form["title"] = "Efter"
    form["activities-0-body"] = "Ändrad."
    form["activities-1-body"] = "Ändrad."
    version = CatalogueVersion.current()
    history = (FocusArea.history.count(), Activity.history.count())

    real_save = Activity.save

    def fail_on_the_second(activity, *args, **kwargs):
        if activity.pk == second.pk:
            raise DatabaseError("the connection broke")
        return real_save(activity, *args, **kwargs)

    # django-webtest lets the error through instead of rendering the 500 page (tests/test_production.py).
    with mock.patch.object(Activity, "save", fail_on_the_second), pytest.raises(DatabaseError):
        form.submit("_save")

    area.refresh_from_db()
    first.refresh_from_db()
    assert area.title == "Före" and first.body == "Som förut."  # saved before the failure, rolled back
    assert (FocusArea.history.count(), Activity.history.count()) == history
    assert CatalogueVersion.current() == version
