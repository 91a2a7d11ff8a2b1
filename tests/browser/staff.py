"""Staff accounts for the browser tests, and logging in through the admin's login page."""

from regions.models import Region

from ..factories import make_staff

PASSWORD = "ett-långt-lösenord-för-test"


def staff(username, group, region=None):
    """A staff user in one of the two roles; `region` is a slug."""
    region = Region.objects.get(slug=region) if region else None
    return make_staff(username, group, region, password=PASSWORD)


def log_in(page, site, username):
    page.goto(site + "/admin/login/?next=/admin/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(site + "/admin/")
