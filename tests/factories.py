"""Small factories for tests: each builds one valid object with overridable defaults."""

import itertools

from django.contrib.auth.models import Group, User

from contacts.models import Contact
from initiatives.models import Activity, FocusArea, Link, Status, Theme
from regions.models import COUNTY_CODES, Region, Source

_counter = itertools.count(1)


def make_staff(username, group, region=None, password="x", email="") -> User:
    """A staff user in one of the two roles; a coordinator of `region` if one is given."""
    user = User.objects.create_user(username, email=email, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if region is not None:
        region.coordinators.add(user)
    return user


def make_source(**kwargs) -> Source:
    n = next(_counter)
    defaults = {
        "slug": f"kalla-{n}",
        "title": f"Källa {n}",
        "publisher": "Tillväxtverket",
        "file_name": "x.txt",
    }
    return Source.objects.create(**(defaults | kwargs))


def make_region(**kwargs) -> Region:
    n = next(_counter)
    used = set(Region.objects.values_list("county_code", flat=True))
    code = next(c for c in COUNTY_CODES if c not in used)
    defaults = {
        "name": f"Region Test {n}",
        "short_name": f"Test {n}",
        "slug": f"test-{n}",
        "county_code": code,
        "introduction": "En inledning.",
    }
    return Region.objects.create(**(defaults | kwargs))


def make_theme(**kwargs) -> Theme:
    n = next(_counter)
    return Theme.objects.create(**({"slug": f"tema-{n}", "name": f"Tema {n}"} | kwargs))


def make_focus_area(region=None, themes=(), **kwargs) -> FocusArea:
    n = next(_counter)
    defaults = {
        "region": region or make_region(),
        "title": f"Insatsområde {n}",
        "slug": f"insatsomrade-{n}",
        "summary": "En ingress.",
        "status": Status.PUBLISHED,
    }
    focus_area = FocusArea.objects.create(**(defaults | kwargs))
    focus_area.themes.set(themes)
    return focus_area


def make_activity(focus_area, **kwargs) -> Activity:
    order = kwargs.pop("order", focus_area.activities.count() + 1)
    return Activity.objects.create(
        **({"focus_area": focus_area, "order": order, "body": "Något görs."} | kwargs)
    )


def make_contact(region, focus_areas=(), **kwargs) -> Contact:
    n = next(_counter)
    contact = Contact.objects.create(
        **({"region": region, "name": f"Person {n}", "phone": "070-123 45 67"} | kwargs)
    )
    contact.focus_areas.set(focus_areas)
    return contact


def make_link(region, focus_area=None, **kwargs) -> Link:
    n = next(_counter)
    defaults = {
        "region": region,
        "focus_area": focus_area,
        "label": f"Länk {n}",
        "url": f"https://example.se/{n}",
    }
    return Link.objects.create(**(defaults | kwargs))
