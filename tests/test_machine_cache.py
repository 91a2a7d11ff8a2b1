"""The default page cache (portal/cache.py: MachineCache): each process's memory in front of files that every
process on the machine shares, so that after an edit a page is rendered once per machine, not once per worker.
"""

import logging
import os
import subprocess
import sys
import textwrap

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal import cache as page_cache_backends

from .factories import make_focus_area, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def gotland():
    region = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    make_focus_area(region=region, title="Besöksnäring", slug="besoksnaring")
    return region


def another_worker(directory, code):
    """`code` run in a process of its own, with a MachineCache on `directory` as `cache`: another worker."""
    program = textwrap.dedent(
        f"""
        import django
        from django.conf import settings
        settings.configure()
        from portal.cache import MachineCache
        cache = MachineCache({str(directory)!r}, {{"OPTIONS": {{"FILE_ENTRIES": 100}}}})
        """
    ) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=os.getcwd()
    ).stdout.strip()


def test_the_default_cache_is_the_machines(settings):
    assert settings.CACHES["default"]["BACKEND"] == "portal.cache.MachineCache"


def test_a_page_rendered_by_one_worker_is_served_to_the_others_from_the_files(client, gotland):
    first = client.get("/regioner/gotland/")
    assert first.status_code == 200
    # Another worker: the same files, nothing in its own memory. It is served the page for the version's
    # one query, and keeps it in memory for the next visitor.
    LocMemCache.clear(caches["default"])
    with CaptureQueriesContext(connection) as captured:
        second = Client().get("/regioner/gotland/")
    assert len(captured) == 1 and second.content == first.content
    assert len(caches["default"]._cache) == 1


def test_an_edit_shows_at_once_through_the_files(client, gotland):
    client.get("/regioner/gotland/besoksnaring/")
    area = gotland.focus_areas.get()
    area.title = "Besöksnäring och kultur"
    area.save()
    LocMemCache.clear(caches["default"])
    assert "Besöksnäring och kultur" in Client().get("/regioner/gotland/besoksnaring/").content.decode()


def test_the_render_lock_holds_between_processes(tmp_path):
    """Only one worker on the machine renders a page after an edit; the others wait for its copy."""
    assert another_worker(tmp_path, "print(cache.add('page:rendering', 1, timeout=30))") == "True"
    mine = page_cache_backends.MachineCache(str(tmp_path), {"OPTIONS": {"FILE_ENTRIES": 100}})
    assert mine.add("page:rendering", 1) is False and mine.has_key("page:rendering")
    another_worker(tmp_path, "cache.delete('page:rendering')")  # its render is done
    assert not mine.has_key("page:rendering") and mine.add("page:rendering", 1) is True


def test_a_lock_left_by_a_worker_that_died_expires(tmp_path):
    another_worker(tmp_path, "cache.add('page:rendering', 1, timeout=-1)")  # long past: it died holding it
    mine = page_cache_backends.MachineCache(str(tmp_path), {"OPTIONS": {"FILE_ENTRIES": 100}})
    assert not mine.has_key("page:rendering") and mine.add("page:rendering", 1) is True


def test_a_page_kept_by_another_process_is_read(tmp_path):
    another_worker(tmp_path, "cache.set('page', (({'Content-Type': 'text/html'}), b'<p>hej</p>'), 60)")
    mine = page_cache_backends.MachineCache(str(tmp_path), {"OPTIONS": {"FILE_ENTRIES": 100}})
    assert mine.get("page") == ({"Content-Type": "text/html"}, b"<p>hej</p>")


def test_files_that_cannot_be_written_are_a_miss_not_an_error(settings, tmp_path, gotland, caplog):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": str(blocked / "page-cache")},  # under a file
    }
    page_cache_backends._last_warning.clear()
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        first = Client().get("/regioner/gotland/")
        with CaptureQueriesContext(connection) as captured:
            again = Client().get("/regioner/gotland/")
    assert first.status_code == again.status_code == 200 and "Besöksnäring" in again.content.decode()
    assert len(captured) == 1  # still kept in the process's memory
    warnings = [r for r in caplog.records if r.name == "portal.cache"]
    assert len(warnings) == 1 and "page cache files unusable" in warnings[0].getMessage()


def test_keeping_a_page_does_not_list_the_directory_each_time(tmp_path, monkeypatch):
    # Found measuring: Django's file cache lists its directory on every set to decide whether to cull, 14 ms
    # at 5,000 files against 0.4 ms for the write itself, and after an edit every render sets.
    cache = page_cache_backends.MachineCache(str(tmp_path), {"OPTIONS": {"FILE_ENTRIES": 300}})
    listings = []
    listing = cache.files._list_cache_files
    monkeypatch.setattr(cache.files, "_list_cache_files", lambda: listings.append(1) or listing())
    for n in range(400):
        cache.set(f"page-{n}", ({}, b"<p>sida</p>"))
    assert len(listings) <= 8  # on the 1st, 51st, 101st, ... 351st
    # Still bounded: never more than FILE_ENTRIES and one round of sets between two listings.
    assert len(list(tmp_path.glob("*.djcache"))) <= 300 + page_cache_backends.CULL_EVERY


def test_a_damaged_file_is_a_miss_not_an_error(tmp_path):
    # Found rereading the change: only OSError and EOFError were caught, so a file that was not a whole
    # cache entry (written by something else, or damaged on disk) would have been a 500 on every request.
    cache = page_cache_backends.MachineCache(str(tmp_path), {"OPTIONS": {"FILE_ENTRIES": 100}})
    cache.set("page", ({}, b"<p>sida</p>"))
    LocMemCache.clear(cache)
    (entry,) = tmp_path.glob("*.djcache")
    entry.write_bytes(b"\x80\x05N." + b"not zlib at all")  # a valid expiry (None), then garbage
    assert cache.get("page") is None
    entry.write_bytes(b"garbage that is not a pickle")
    assert cache.get("page") is None and not cache.has_key("page")
