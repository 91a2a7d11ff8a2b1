"""The search index is written in the transaction of the save it follows, with real transactions (on
PostgreSQL in CI): a save that fails leaves nothing of itself in the index, and a committed one is found
by another connection at once."""

import threading

import pytest
from django.db import connection, transaction

from initiatives.search import search

from .factories import make_focus_area

pytestmark = pytest.mark.django_db(transaction=True)


def titles(text):
    return [hit.title for hit in search(text).hits]


def test_a_save_that_fails_leaves_the_index_as_it_was():
    area = make_focus_area(title="Vindkraft", summary="En ingress.")
    with pytest.raises(RuntimeError), transaction.atomic():
        area.summary = "Ett ord som aldrig sparas: vätgasdalar."
        area.save()
        assert titles("vätgasdalar") == ["Vindkraft"]  # inside the transaction, in step
        raise RuntimeError("the rest of the save failed")
    assert not search("vätgasdalar").hits
    assert not connection.in_atomic_block


def test_a_committed_save_is_found_by_another_connection():
    area = make_focus_area(title="Vindkraft", summary="En ingress.")
    area.summary = "Nu med vätgasdalar."
    area.save()
    found = []

    def other_request():
        try:
            found.extend(titles("vätgasdalar"))
        finally:
            connection.close()

    thread = threading.Thread(target=other_request)
    thread.start()
    thread.join()
    assert found == ["Vindkraft"]
