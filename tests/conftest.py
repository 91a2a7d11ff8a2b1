import importlib
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from regions.seeding import catalogue_dir, seed

from .mail_server import smtp_inbox  # noqa: F401 -- a real SMTP server, as a fixture for every test


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # MD5 only in tests: the real hashers are slow on purpose.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _swedish_to_begin_with():
    """Each test starts in Swedish. A request to an /en/ page leaves English active in the test's thread
    (the test client runs the view there), and a later test's reverse() would then give /en/ addresses."""
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.activate("sv")


@pytest.fixture(autouse=True, scope="session")
def _page_cache_files_of_its_own(tmp_path_factory):
    """The default page cache's files (portal/cache.py: MachineCache) in a directory of this test process's
    own: the parallel workers, and a `make run` on the same checkout, must not share them."""
    from django.conf import settings
    from django.test import override_settings

    own = {**settings.CACHES, "default": {**settings.CACHES["default"]}}
    if own["default"]["BACKEND"] == "portal.cache.MachineCache":
        own["default"]["LOCATION"] = str(tmp_path_factory.mktemp("page-cache"))
    with override_settings(CACHES=own):
        yield


@pytest.fixture(autouse=True)
def _empty_page_cache():
    # Cached pages and parts (portal/fragments.py) are keyed by the catalogue version, which every test's
    # fresh database starts again.
    from django.core.cache import caches

    for alias in ("default", "search", "fragments"):
        caches[alias].clear()


# Data migrations whose rows a transactional test's flush removes: the staff groups and the fixed
# vocabularies (dimensions, Agenda 2030 goals).
DATA_MIGRATIONS = [
    ("initiatives.migrations.0002_fixed_vocabularies", "create"),
    ("regions.migrations.0004_staff_groups", "create_groups"),
]


@pytest.fixture
def migrated_rows(transactional_db):
    """For tests with real transactions (transaction=True): what the migrations wrote, back after a flush."""
    from django.apps import apps

    from initiatives.models import Dimension

    if not Dimension.objects.exists():
        for module, function in DATA_MIGRATIONS:
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(scope="module")
def seeded_db(django_db_setup, django_db_blocker):
    """The real catalogue, seeded once per test module and rolled back after it.

    The seeded fixtures are product data: only the tests of the seed itself use this. Everything else
    builds what it needs in code (tests/factories.py).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        report = seed()
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_db, db):
    return seeded_db


@pytest.fixture
def editable_fixtures(tmp_path, settings):
    """A copy of the real fixtures that a test may change, with SEED_DIR pointing at it."""
    shutil.copytree(catalogue_dir(), tmp_path / "catalogue")
    settings.SEED_DIR = tmp_path
    return tmp_path / "catalogue"


@pytest.fixture
def run_seed():
    """`manage.py seed` with arguments; returns what it wrote to stdout and stderr."""

    def run(*args):
        out, err = StringIO(), StringIO()
        call_command("seed", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def app(django_app):
    """The site through django-webtest: `app.get(url, user=user)` opens a page as that user."""
    return django_app
