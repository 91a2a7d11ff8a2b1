import pytest
from django.db import transaction

from regions.seeding import seed


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # MD5 only in tests: the real hashers are slow on purpose.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
