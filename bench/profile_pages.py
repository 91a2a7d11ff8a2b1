"""Cold-render cost of each public HTML page: median milliseconds and SQL queries per request, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_prof1 .venv/bin/python bench/profile_pages.py
    .venv/bin/python bench/profile_pages.py URL1 URL2 ...    # one table per database (e.g. 1× and 100×)

Options (environment): PROFILE_REQUESTS (timed requests per page, default 12), PROFILE_PAGE (a path: print
a cProfile of that page instead, sorted by cumulative time), PROFILE_DUMP (a folder: write each page's HTML
there, the CSP nonce blanked, to diff before and after a change).

The page cache is off (PAGE_CACHE_SECONDS=0) and DEBUG off, with the production settings otherwise; the
"above bare" column is the page's median minus that of /healthz, which runs the same middleware and no view
work, and "in SQL" the median time spent executing queries and fetching their rows (the rest is Python:
templates, forms, the ORM building queries and objects). PROFILE_SORT=tottime sorts a profile by own time.
Build the databases as bench/run.py `build()` does (migrate, seed, bench.synthetic.grow_catalogue(N),
ANALYZE).
"""

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    ("bare (/healthz)", "/healthz"),
    ("start", "/"),
    ("regions", "/regioner/"),
    ("region", "/regioner/kalmar/"),
    ("insatsområden", "/insatsomraden/"),
    (
        "insatsområden, 3 filters",
        "/insatsomraden/?region=kalmar&tema=uppfoljning-och-larande&dimension=ekonomisk",
    ),
    ("insatsområde", "/regioner/kalmar/digital-omstallning/"),
    ("themes", "/teman/"),
    ("theme", "/teman/cirkular-ekonomi/"),
    ("compare", "/jamfor/"),
    ("mandatory area", "/obligatoriska-omraden/hallbarhet-i-foretagsstod-och-projektmedel/"),
]


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.update({
        "DEBUG": "0",
        "PAGE_CACHE_SECONDS": "0",
        "HTTPS_ONLY": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    })  # fmt: skip
    os.environ.setdefault("SECRET_KEY", "profile-pages-not-a-secret-" + "x" * 40)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def measure(requests):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from initiatives.models import FocusArea

    client = Client()
    dump = Path(os.environ["PROFILE_DUMP"]) if os.environ.get("PROFILE_DUMP") else None
    if dump:
        dump.mkdir(parents=True, exist_ok=True)
    rows = []
    for name, path in PAGES:
        for _ in range(3):  # warm: connection, templates, translations, URL resolver
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        count = len(queries)  # now: the next request's request_started empties the connection's log
        if dump:
            html = re.sub(rb'nonce="[^"]*"', b'nonce=""', response.content)
            (dump / (re.sub(r"[^a-z0-9]+", "_", path.lower()).strip("_") or "home")).with_suffix(
                ".html"
            ).write_bytes(html)
        times, sql = [], []
        for _ in range(requests):
            in_sql = [0.0]

            def timed(execute, *args, in_sql=in_sql):
                start = time.perf_counter()
                try:
                    return execute(*args)
                finally:
                    in_sql[0] += time.perf_counter() - start

            start = time.perf_counter()
            with connection.execute_wrapper(timed):
                client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            sql.append(in_sql[0] * 1000)
        rows.append((name, path, statistics.median(times), statistics.median(sql), count))
    bare = rows[0][2]
    scale = FocusArea.objects.count()
    print(f"\n{connection.settings_dict['NAME']} ({scale} insatsområden), median of {requests} cold renders")
    print(f"{'page':<28} {'ms':>8} {'above bare':>11} {'in SQL':>8} {'queries':>8}")
    for name, _path, ms, sql_ms, count in rows:
        print(f"{name:<28} {ms:8.2f} {ms - bare:11.2f} {sql_ms:8.2f} {count:8d}")


def profile(path):
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    for _ in range(3):
        client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(45)


def main():
    urls = sys.argv[1:]
    if not os.environ.get("PROFILE_CHILD"):  # DEBUG off serves the hashed files of collectstatic's manifest
        env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "testserver", "SECRET_KEY": "x" * 50}
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    if urls:  # one process per database: settings are read once
        for url in urls:
            subprocess.run(
                [sys.executable, __file__],
                env={**os.environ, "DATABASE_URL": url, "PROFILE_CHILD": "1"},
                check=True,
            )
        return
    setup()
    if os.environ.get("PROFILE_PAGE"):
        profile(os.environ["PROFILE_PAGE"])
    else:
        measure(int(os.environ.get("PROFILE_REQUESTS", "12")))


if __name__ == "__main__":
    main()
