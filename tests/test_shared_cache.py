"""The shared page cache (CACHE_URL, portal/cache.py) on a real Redis server, started here on a free port.

Without redis-server the tests are skipped, unless REQUIRE_REDIS=1 (as .ci/run sets, after installing
Debian's package): then it is a failure. Two app servers sharing one cache, behind nginx, with one of them
killed under load: bench/two_nodes.py (its short form runs in .ci/run).
"""

import logging
import os
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .factories import make_focus_area, make_region

pytestmark = pytest.mark.django_db

REDIS = shutil.which("redis-server")
if REDIS is None and os.environ.get("REQUIRE_REDIS") == "1":
    raise RuntimeError("REQUIRE_REDIS=1 but redis-server is missing (apt-get install redis-server)")
needs_redis = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_server():
    port = free_port()
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0", client
    process.terminate()
    process.wait(timeout=10)


def shared_cache(url):
    from django.conf import settings

    return {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }


@pytest.fixture
def on_redis(redis_server, settings):
    url, client = redis_server
    client.flushdb()
    settings.CACHES = shared_cache(url)
    return client


@pytest.fixture
def gotland():
    region = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    make_focus_area(region=region, title="Besöksnäring", slug="besoksnaring")
    return region


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, len(captured)


@needs_redis
def test_a_page_rendered_by_one_process_is_served_to_every_other(on_redis, gotland):
    first = Client().get("/regioner/gotland/")  # one worker renders it ...
    assert first.status_code == 200 and on_redis.dbsize() > 0
    on_redis_keys = [key.decode() for key in on_redis.keys("portal:*")]
    assert any(":page:" in key for key in on_redis_keys)
    # ... another, with nothing in its own memory, is served the same page for the version's one query.
    second, count = queries(Client(), "/regioner/gotland/")
    assert count == 1 and second.content == first.content


@needs_redis
def test_an_edit_shows_at_once_through_the_shared_cache(on_redis, gotland):
    Client().get("/regioner/gotland/besoksnaring/")
    area = gotland.focus_areas.get()
    area.title = "Besöksnäring och kultur"
    area.save()
    assert "Besöksnäring och kultur" in Client().get("/regioner/gotland/besoksnaring/").content.decode()


@needs_redis
def test_free_text_stays_out_of_the_shared_cache(on_redis, gotland):
    Client().get("/sok/?q=besöksnäring")
    assert on_redis.dbsize() == 0  # in the process's own bounded search cache


@needs_redis
def test_a_cache_server_that_is_down_is_a_miss_not_an_error(settings, gotland, caplog):
    from portal import cache

    settings.CACHES = shared_cache(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    cache._last_warning.clear()
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        first = Client().get("/regioner/gotland/")
        again = Client().get("/regioner/gotland/")
    assert first.status_code == again.status_code == 200 and "Besöksnäring" in again.content.decode()
    warnings = [r for r in caplog.records if r.name == "portal.cache"]
    assert (
        len(warnings) == 1 and "cache server unreachable" in warnings[0].getMessage()
    )  # once, not per request


def test_cache_url_chooses_the_backend():
    env = {
        **os.environ,
        "CACHE_URL": "redis://cache.internal:6379/2",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    code = (
        "from django.conf import settings; c = settings.CACHES; "
        "print(c['default']['BACKEND'], c['default']['LOCATION'], c['search']['BACKEND'])"
    )
    out = subprocess.run(
        [os.sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [
        "portal.cache.ResilientRedisCache",
        "redis://cache.internal:6379/2",
        "django.core.cache.backends.locmem.LocMemCache",
    ]
    bad = subprocess.run(
        [os.sys.executable, "-c", code],
        env={**env, "CACHE_URL": "memcached://x"},
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "CACHE_URL must be a redis://" in bad.stderr


def test_a_cache_server_that_hangs_costs_one_timeout_not_one_per_request(settings, gotland):
    # Found in review: a Redis that accepts connections and never answers made every cache call wait for
    # its socket timeout, and the render lock's wait then polled it 200 times: about 100 s a request.
    from portal import cache

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # connections are accepted by the kernel, and nothing is ever answered
    try:
        settings.CACHES = shared_cache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        cache._last_warning.clear()
        cache._down_until = 0.0
        start = time.monotonic()
        responses = [Client().get("/regioner/gotland/") for _ in range(5)]
        took = time.monotonic() - start
    finally:
        silent.close()
    assert all(r.status_code == 200 for r in responses)
    assert took < 3, f"{took:.1f} s for five pages"  # one 0.5 s timeout, then the server is left alone
