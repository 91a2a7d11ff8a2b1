"""Staff accounts for the browser tests, and logging in through the admin's login page."""

import re

from regions.models import Region

from ..factories import make_staff

PASSWORD = "ett-långt-lösenord-för-test"


def staff(username, group, region=None, email=""):
    """A staff user in one of the two roles; `region` is a slug."""
    region = Region.objects.get(slug=region) if region else None
    return make_staff(username, group, region, password=PASSWORD, email=email)


def log_in(page, site, username):
    page.goto(site + "/admin/login/?next=/admin/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(site + "/admin/")


def publish(page):
    """Press the change form's main button: "Publicera" on a published record, "Spara" on one that is
    not public yet (editorial/moderation.py). The form has it at the top and the bottom."""
    buttons = page.get_by_role("button", name=re.compile(r"^(Publicera|Spara)$"))
    buttons.first.click()
