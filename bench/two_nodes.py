"""`python bench/two_nodes.py [--short]`: the portal on two app servers behind nginx, sharing one Redis.

A proof that the portal runs on more than one machine, with real parts that this script starts itself in
a temporary directory, on free ports, and tears down at the end (also on a failure, Ctrl-C or SIGTERM):

- a throwaway database, portal_two_nodes, on the PostgreSQL server at 127.0.0.1:5432 (migrated, seeded;
  dropped WITH (FORCE) at the end);
- Debian's redis-server in the foreground, no persistence, 256 MB, allkeys-lru: CACHE_URL for both nodes;
- two app servers, node A and node B: `gunicorn -c gunicorn.conf.py portal.wsgi` with production's settings
  (DEBUG off, bench/run.py's env_for), two workers each, each in a process group of its own;
- Debian's nginx in front, an upstream of the two nodes with `max_fails=1 fail_timeout=5s` and
  `proxy_next_upstream error timeout http_502 http_503 http_504` (the setup of docs/deploy/nginx.conf).

The checks, each printed PASS or FAIL (exit status 1 if any fails):

a  The shared cache: a page fetched through node A leaves page keys in Redis, and node B answers the
   same page from that entry (Redis counts a hit, no new key).
b  An edit on one node shows at once on the other: an editor logs in to the admin on node A (Chromium,
   driven by Playwright), renames a theme in its change form and saves; node B and nginx show the new
   name in the very next request, and node B's ETag from before the edit no longer gets a 304.
c  Failover under load: clients loop over public pages through nginx; node A is killed (SIGKILL to its
   whole process group) in the middle. Not one request may fail: nginx retries them on node B.
d  The herd after an edit: under load through nginx, an edit in the admin (node B this time) makes every
   page render afresh once; the p95 and max latency in the window after the edit against the window
   before it, as the clients saw it and as nginx logged it, and second by second (measured, not judged;
   the aim is a p95 under 100 ms). The full form adds d2: the same with the catalogue version bumped in
   SQL instead, the herd alone without the editor's browser and save on the same cores.
e  (full form only) The optional nginx micro-cache of docs/deploy/nginx.conf: the nodes restarted with
   PROXY_CACHE_SECONDS=1, so that the app sends `Cache-Control: s-maxage=1`; requests per second of a page
   through nginx with and without the micro-cache (wrk, 8 connections, 5 s), the share of cache HITs
   (nginx's log), that a request with a session cookie bypasses it, how long an edit takes to show
   through it, and the herd of d through it.

--short (CI) does a-d with short load, in about a minute. The full form runs longer load, does e and
writes bench/results/two_nodes.json. --keep keeps the temporary directory (logs, nginx.conf).

The machine's PostgreSQL must accept `postgres` without a password on 127.0.0.1 (BENCH_POSTGRES_URL
overrides the server). redis-server and nginx are installed with apt-get if missing (as root).
"""

import argparse
import contextlib
import html
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import run  # noqa: E402
from bench.cluster import free_port  # noqa: E402

SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = "portal_two_nodes"
REDIS_SERVER, NGINX, CHROMIUM = "/usr/bin/redis-server", "/usr/sbin/nginx", "/usr/bin/chromium"
RESULTS = ROOT / "bench" / "results" / "two_nodes.json"
# The public pages the load loops over: the start page, the lists, regions, a theme, an insatsområde.
PAGES = [
    "/",
    "/regioner/",
    "/regioner/kalmar/",
    "/insatsomraden/",
    "/regioner/gotland/",
    "/regioner/skane/",
    "/regioner/norrbotten/",
    "/regioner/kalmar/digital-omstallning/",
    "/teman/",
    "/teman/cirkular-ekonomi/",
]
THEME = "cirkular-ekonomi"  # the record the editor renames
EDITOR = "redaktor-tva-noder"
REQUEST_TIMEOUT = 5  # seconds; the load client counts a longer wait as a failure
STARTED = time.monotonic()


# --- Reporting ---------------------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.checks, self.data = [], {}

    def check(self, name, ok, detail=""):
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        print(f"  {'PASS' if ok else 'FAIL'}  {name}" + (f" ({detail})" if detail else ""), flush=True)
        return ok

    def note(self, text):
        print(f"        {text}", flush=True)

    @property
    def failed(self):
        return [c for c in self.checks if not c["ok"]]


def phase(title):
    print(f"\n[{time.monotonic() - STARTED:4.0f} s] == {title}", flush=True)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] if values else 0.0


# --- The parts: processes of this script's own ------------------------------------------------------


class Child:
    """A server this script starts, in a session of its own, so that it and its workers stop as one.

    Its output goes to a file in the temporary directory (a pipe nobody reads blocks a server once full).
    """

    def __init__(self, name, args, log_path, env=None):
        self.name, self.log_path = name, log_path
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self):
        return self.process.poll() is None

    def kill_hard(self):
        """SIGKILL to the whole process group (master and workers at once), as when a machine dies."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout=15):
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:  # not reaped yet: the group id is still this child's
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self, lines=15):
        try:
            return "".join(self.log_path.read_text(errors="replace").splitlines(True)[-lines:])
        except OSError:
            return ""


def wait_until(ready, child, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.alive():
            raise RuntimeError(f"{what} exited with {child.process.returncode}:\n{child.tail()}")
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start in {timeout} s:\n{child.tail()}")


def get(port, path, headers=None, timeout=10):
    """One GET on a fresh connection: (status, headers with lower-case names, body as text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def ensure_installed():
    missing = [
        pkg for pkg, path in (("redis-server", REDIS_SERVER), ("nginx", NGINX)) if not Path(path).exists()
    ]
    if missing:
        if os.geteuid() != 0:
            raise SystemExit(f"missing: {', '.join(missing)}; as root: apt-get install {' '.join(missing)}")
        print(f"Installing {', '.join(missing)} (apt-get)", flush=True)
        subprocess.run(
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
            + " ".join(missing),
            shell=True,
            check=True,
        )
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian's package)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise SystemExit("Playwright is not installed: pip install -e '.[dev]'") from None
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"no Chromium at {CHROMIUM}: apt-get install chromium")


def drop_database():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def create_database():
    import psycopg

    drop_database()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def start_redis(tmp):
    import redis

    port = free_port()
    args = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    args += ["--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru", "--dir", str(tmp)]
    child = Child("redis", args, tmp / "redis.log")
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)
    wait_until(client.ping, child, "redis-server")
    return child, port, client


def start_node(name, env, port, tmp):
    gunicorn = str(Path(run.PYTHON).with_name("gunicorn"))
    node_env = env | {"BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    return Child(
        f"node {name}",
        [gunicorn, "-c", "gunicorn.conf.py", "portal.wsgi"],
        tmp / f"node-{name}.log",
        node_env,
    )


def wait_for_node(child, port):
    wait_until(lambda: get(port, "/healthz", timeout=1)[0] == 200, child, child.name)


NGINX_CONF = """\
# Written by bench/two_nodes.py: the upstream of docs/deploy/nginx.conf, on plain HTTP for the benchmark.
worker_processes 1;
{user}pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format timed '$msec $status $request_time "$upstream_addr" "$upstream_status" '
                     '$upstream_cache_status "$request_uri"';
    access_log {prefix}/access.log timed;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{cache_path}
    upstream portal {{
        server 127.0.0.1:{port_a} max_fails=1 fail_timeout=5s;
        server 127.0.0.1:{port_b} max_fails=1 fail_timeout=5s;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 35s;
            # Whole pages in memory (the largest are ~60 kB), not spooled to a temporary file.
            proxy_buffer_size 16k;
            proxy_buffers 16 16k;
{cache}        }}
    }}
}}
"""
MICRO_CACHE_PATH = (
    "    proxy_cache_path {prefix}/cache levels=1:2 keys_zone=portal_pages:10m max_size=256m inactive=10m "
    "use_temp_path=off;\n"
)
MICRO_CACHE = """\
            proxy_cache portal_pages;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            proxy_cache_lock_timeout 5s;
            proxy_cache_use_stale updating error timeout http_502 http_503 http_504;
            proxy_cache_background_update on;
            proxy_no_cache $cookie_sessionid;
            proxy_cache_bypass $cookie_sessionid;
            add_header X-Cache-Status $upstream_cache_status always;
"""


def start_nginx(prefix, port_a, port_b, micro_cache=False):
    prefix.mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)  # the workers run as nobody when the master runs as root
    port = free_port()
    conf = NGINX_CONF.format(
        user="user nobody nogroup;\n" if os.geteuid() == 0 else "",
        prefix=prefix,
        port=port,
        port_a=port_a,
        port_b=port_b,
        cache_path=MICRO_CACHE_PATH.format(prefix=prefix) if micro_cache else "",
        cache=MICRO_CACHE if micro_cache else "",
    )
    (prefix / "nginx.conf").write_text(conf)
    args = [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(prefix / "nginx.conf")]
    child = Child("nginx", [*args, "-g", "daemon off;"], prefix / "nginx.out")
    wait_until(lambda: get(port, "/healthz", timeout=1)[0] == 200, child, "nginx")
    return child, port


class LogRow(NamedTuple):
    end: float  # wall-clock time nginx finished the request
    status: int
    seconds: float  # $request_time: from the request's first byte to the response's last, in nginx
    upstream: str  # "127.0.0.1:A" or, after a retry, "127.0.0.1:A, 127.0.0.1:B"
    cache: str  # $upstream_cache_status, "-" without the micro-cache


def access_log_lines(prefix, since=0):
    """The nginx access log from byte `since` on."""
    with open(prefix / "access.log", "rb") as log:
        log.seek(since)
        text = log.read().decode("utf-8", "replace")
    rows = []
    for entry in text.splitlines():
        m = re.match(r'(\S+) (\d+) (\S+) "([^"]*)" "[^"]*" (\S+) ', entry)
        if m:
            rows.append(LogRow(float(m.group(1)), int(m.group(2)), float(m.group(3)), m.group(4), m.group(5)))
    return rows


def log_size(prefix):
    return (prefix / "access.log").stat().st_size


# --- Load: keep-alive clients with every request's result and timing ---------------------------------


@dataclass
class Sample:
    start: float  # time.monotonic()
    end: float
    path: str
    status: int  # 0: no HTTP answer (refused, reset, timed out)
    error: str = ""

    @property
    def ok(self):
        return 200 <= self.status < 400

    @property
    def ms(self):
        return (self.end - self.start) * 1000


class Load:
    """`clients` threads, each with one keep-alive connection to `port`, looping over `paths`."""

    def __init__(self, port, paths, clients):
        self.port, self.paths, self.clients = port, paths, clients
        self.samples, self.stopping, self.threads = [], threading.Event(), []

    def _client(self, offset):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        i = offset
        while not self.stopping.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            start = time.monotonic()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                self.samples.append(Sample(start, time.monotonic(), path, response.status))
            except (OSError, http.client.HTTPException) as exc:
                self.samples.append(Sample(start, time.monotonic(), path, 0, type(exc).__name__))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        conn.close()

    def __enter__(self):
        for n in range(self.clients):
            thread = threading.Thread(target=self._client, args=(n,), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(REQUEST_TIMEOUT + 2)


def stats(samples, seconds=None):
    ms = [s.ms for s in samples]
    result = {
        "requests": len(samples),
        "errors": sum(not s.ok for s in samples),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms, default=0.0), 1),
    }
    if seconds:
        result["rps"] = round(len(samples) / seconds)
    return result


def line(label, s):
    rps = f", {s['rps']} req/s" if "rps" in s else ""
    return (
        f"{label}: {s['requests']} requests{rps}, {s['errors']} errors; "
        f"p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, max {s['max_ms']} ms"
    )


def warm(port, paths=PAGES):
    for path in paths:
        status = get(port, path)[0]
        if status != 200:
            raise RuntimeError(f"{path} answered {status} through port {port} before the load began")


# --- The editor: Django's admin in a real browser -----------------------------------------------------


class Editor:
    """A superuser in Chromium who logs in on the admin's page and edits through the forms it renders."""

    def __init__(self, stack, password):
        from playwright.sync_api import sync_playwright

        playwright = stack.enter_context(sync_playwright())
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        stack.callback(self.browser.close)
        self.page = self.browser.new_page()
        self.page.set_default_timeout(15000)
        self.password = password

    def log_in(self, port):
        base = f"http://127.0.0.1:{port}"
        self.page.goto(f"{base}/admin/login/?next=/admin/")
        self.page.locator("#id_username").fill(EDITOR)
        self.page.locator("#id_password").fill(self.password)
        self.page.locator('#login-form [type="submit"]').click()
        self.page.wait_for_url(f"{base}/admin/")

    def open_change_form(self, port, theme_id):
        self.page.goto(f"http://127.0.0.1:{port}/admin/initiatives/theme/{theme_id}/change/")

    def rename(self, name):
        """Type the new name into the open change form and press Spara; returns once the save is done."""
        field = self.page.locator("#id_name")
        field.fill(name)
        pressed = time.monotonic()
        with self.page.expect_response(lambda response: response.request.method == "POST"):
            self.page.locator('input[name="_save"]').first.click()
        self.post_ms = (time.monotonic() - pressed) * 1000  # the save itself: the POST and its redirect
        self.page.wait_for_url("**/admin/initiatives/theme/**")
        self.page.wait_for_load_state()
        if self.page.locator(".errornote").count() or not self.page.url.endswith("/admin/initiatives/theme/"):
            raise RuntimeError(
                f"the admin did not save: {self.page.url}\n{self.page.inner_text('main')[:500]}"
            )

    def edit(self, port, theme_id, name):
        self.open_change_form(port, theme_id)
        self.rename(name)


def theme_record():
    import psycopg

    with psycopg.connect(f"{SERVER}/{DATABASE}") as conn:
        return conn.execute("SELECT id, name FROM initiatives_theme WHERE slug = %s", [THEME]).fetchone()


def shows(port, path, name):
    status, _, body = get(port, path)
    return status == 200 and name in html.unescape(body)


# --- The checks --------------------------------------------------------------------------------------


def check_shared_cache(report, redis_client, port_a, port_b):
    phase("a. The shared cache")
    # The Host header nginx sends to both (`proxy_set_header Host $host`): the page cache's key holds the
    # host, since pages carry absolute addresses.
    path, host = "/regioner/kalmar/", {"Host": "127.0.0.1"}
    status = get(port_a, path, host)[0]
    page_keys = sorted(k.decode() for k in redis_client.scan_iter(match="*page*", count=1000))
    size = redis_client.dbsize()
    report.check(
        "node A stores its pages in the shared Redis",
        status == 200 and size > 0 and page_keys,
        f"GET {path} through node A: {status}; Redis DBSIZE {size}, {len(page_keys)} keys matching *page*"
        + (f", e.g. {page_keys[0]}" if page_keys else ""),
    )
    keys_before = set(redis_client.keys("*"))
    hits_before = redis_client.info("stats")["keyspace_hits"]
    status_b = get(port_b, path, host)[0]
    hits = redis_client.info("stats")["keyspace_hits"] - hits_before
    new_keys = set(redis_client.keys("*")) - keys_before
    report.check(
        "node B answers the same page from node A's entry",
        status_b == 200 and hits >= 1 and not new_keys,
        f"GET {path} through node B: {status_b}; {hits} Redis hits, {len(new_keys)} new keys",
    )
    report.data["shared_cache"] = {"dbsize": size, "page_keys": len(page_keys), "hits_by_b": hits}


def check_edit_shows_everywhere(report, editor, port_a, port_b, port_nginx, theme_id, name):
    phase("b. An edit through node A shows at once through node B and nginx")
    detail = f"/teman/{THEME}/"
    # Node B and nginx have the pages of the current version cached (in Redis) before the edit.
    for port in (port_b, port_nginx):
        for path in (detail, "/teman/"):
            get(port, path)
    status, headers, _ = get(port_b, detail)
    etag = headers.get("etag")
    revalidated = get(port_b, detail, {"If-None-Match": etag})[0] if etag else None
    report.check(
        "node B's ETag gets a 304 before the edit",
        status == 200 and revalidated == 304,
        f"ETag {etag}, If-None-Match answered {revalidated}",
    )
    editor.log_in(port_a)
    report.note(f"logged in to the admin on node A (port {port_a}) as {EDITOR}")
    new_name = f"{name} (ändrad på nod A)"
    editor.edit(port_a, theme_id, new_name)
    saved = time.monotonic()
    seen = {
        f"{where} {path}": shows(port, path, new_name)
        for where, port in (("node B", port_b), ("nginx", port_nginx))
        for path in (detail, "/teman/")
    }
    elapsed = (time.monotonic() - saved) * 1000
    report.note(f"saved {new_name!r} through the change form on node A")
    for where, ok in seen.items():
        report.check(f"{where} shows the new name right after the save", ok)
    report.note(f"the four pages were fetched within {elapsed:.0f} ms of the save")
    status_after, headers_after, _ = get(port_b, detail, {"If-None-Match": etag} if etag else {})
    report.check(
        "node B's ETag from before the edit no longer gets a 304",
        status_after == 200 and headers_after.get("etag") not in (None, etag),
        f"If-None-Match {etag} answered {status_after} with ETag {headers_after.get('etag')}",
    )
    report.data["edit"] = {"new_name": new_name, "checked_within_ms": round(elapsed), "seen": seen}
    return new_name


def check_failover(report, nodes, port_nginx, nginx_prefix, clients, seconds, kill_after):
    phase(f"c. Failover: {clients} clients through nginx for {seconds} s, node A killed at {kill_after} s")
    since = log_size(nginx_prefix)
    with Load(port_nginx, PAGES, clients) as load:
        began = time.monotonic()
        time.sleep(kill_after)
        killed, killed_wall = time.monotonic(), time.time()
        nodes["A"].kill_hard()
        time.sleep(seconds - kill_after)
    ended = time.monotonic()
    samples = load.samples
    before = [s for s in samples if s.end < killed]
    after = [s for s in samples if s.start >= killed]
    across = [s for s in samples if s.start < killed <= s.end]
    failed = [s for s in samples if not s.ok]
    results = {
        "before_kill": stats(before, killed - began),
        "after_kill": stats(after, ended - killed),
        "in_flight_at_kill": stats(across),
        "all": stats(samples, ended - began),
    }
    print("  " + line("before the kill", results["before_kill"]))
    print("  " + line("after the kill ", results["after_kill"]))
    print("  " + line("in flight at the kill", results["in_flight_at_kill"]))
    rows = access_log_lines(nginx_prefix, since)
    retried = [r for r in rows if "," in r.upstream]
    served = dict(Counter(r.upstream for r in rows if r.end < killed_wall))
    report.note(f"before the kill nginx sent requests to {served}")
    report.note(f"nginx retried {len(retried)} requests on the other node after an error or timeout")
    report.check("node A is dead", not nodes["A"].alive(), f"exit status {nodes['A'].process.returncode}")
    report.check(
        "no request failed while node A died",
        samples and not failed and after,
        f"{len(samples)} requests, {len(failed)} failed"
        + (f": {sorted({(s.path, s.status, s.error) for s in failed})[:5]}" if failed else ""),
    )
    results["nginx_retries"] = len(retried)
    results["upstreams_before_kill"] = served
    report.data["failover"] = results


def nginx_stats(rows):
    ms = [r.seconds * 1000 for r in rows]
    return {
        "requests": len(rows),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms, default=0.0), 1),
    }


def bump_version():
    """The catalogue version bumped in SQL, as an edit does, without the editor's save around it."""
    import psycopg

    with psycopg.connect(f"{SERVER}/{DATABASE}", autocommit=True) as conn:
        conn.execute("UPDATE regions_catalogueversion SET value = value + 1, changed_at = now() WHERE id = 1")


def check_herd(report, editor, port_edit, nginx, theme_id, name, clients, window, label="d", bare=False):
    """Load through nginx, (port, prefix); in the middle, an edit in the admin of node `port_edit`.

    With `bare`, the edit is only the catalogue version bumped in SQL: the re-rendering herd alone,
    without the admin's save and the browser on the same cores.

    Latency twice: as the load's clients see it (Python threads on the same busy cores, so their own
    scheduling is in it), and as nginx logs it ($request_time, the server side alone)."""
    port_nginx, prefix = nginx
    what = "a bare version bump (SQL)" if bare else "an edit"
    phase(f"{label}. After {what}: {clients} clients through nginx, {window} s before and after it")
    warm(port_nginx)
    if not bare:
        editor.open_change_form(port_edit, theme_id)  # the form is open; pressing Spara is the edit
    since = log_size(prefix)
    with Load(port_nginx, PAGES, clients) as load:
        time.sleep(window)
        edited, edited_wall = time.monotonic(), time.time()
        if bare:
            bump_version()
            editor.post_ms = (time.monotonic() - edited) * 1000
        else:
            editor.rename(name)
        saved = time.monotonic()
        time.sleep(max(0.0, window - (saved - edited)))
    samples = load.samples
    before = [s for s in samples if edited - window <= s.start < edited]
    after = [s for s in samples if edited <= s.start < edited + window]
    first = [s for s in samples if edited <= s.start < edited + 1]
    results = {
        "window_seconds": window,
        "save_post_ms": round(editor.post_ms),
        "save_in_browser_ms": round((saved - edited) * 1000),
        "before_edit": stats(before, window),
        "after_edit": stats(after, window),
        "first_second_after_edit": stats(first, 1),
        "slow_after_edit": sum(s.ms > 100 for s in after),
    }
    rows = access_log_lines(prefix, since)
    results["nginx_before_edit"] = nginx_stats(
        [r for r in rows if edited_wall - window <= r.end - r.seconds < edited_wall]
    )
    results["nginx_after_edit"] = nginx_stats(
        [r for r in rows if edited_wall <= r.end - r.seconds < edited_wall + window]
    )
    # Second by second around the edit: requests started, and their p95 as the clients and nginx saw it.
    timeline = []
    for second in range(-window, window):
        inside = [s.ms for s in samples if edited + second <= s.start < edited + second + 1]
        start = edited_wall + second
        logged = [r.seconds * 1000 for r in rows if start <= r.end - r.seconds < start + 1]
        timeline.append(
            {
                "second": second,
                "requests": len(inside),
                "p95_ms": round(percentile(inside, 95)),
                "nginx_p95_ms": round(percentile(logged, 95)),
            }
        )
    results["timeline"] = timeline
    slowest = {}
    for s in after:
        slowest[s.path] = max(slowest.get(s.path, 0.0), s.ms)
    results["slowest_after_edit_ms"] = {
        path: round(ms) for path, ms in sorted(slowest.items(), key=lambda i: -i[1])
    }
    print("  " + line(f"{window} s before the edit", results["before_edit"]))
    print("  " + line(f"{window} s after the edit ", results["after_edit"]))
    print("  " + line("first second after it", results["first_second_after_edit"]))
    for when in ("before", "after"):
        n = results[f"nginx_{when}_edit"]
        print(
            f"  in nginx's log, {when} the edit: "
            f"p50 {n['p50_ms']} ms, p95 {n['p95_ms']} ms, max {n['max_ms']} ms"
        )
    report.note(
        "second by second (requests started, clients' p95 ms / nginx's), the edit at the |:\n          "
        + "  ".join(f"{t['requests']} {t['p95_ms']}/{t['nginx_p95_ms']}" for t in timeline[:window])
        + "\n        | "
        + "  ".join(f"{t['requests']} {t['p95_ms']}/{t['nginx_p95_ms']}" for t in timeline[window:])
    )
    report.note(
        "slowest request per page after the edit, ms: "
        + ", ".join(f"{path} {ms}" for path, ms in list(results["slowest_after_edit_ms"].items())[:5])
    )
    saving = (
        f"the bump took {results['save_post_ms']} ms"
        if bare
        else f"the save's POST took {results['save_post_ms']} ms, in the browser with the list after it "
        f"{results['save_in_browser_ms']} ms"
    )
    report.note(
        f"{saving}; {results['slow_after_edit']} requests over 100 ms after it "
        f"(target: p95 under 100 ms; measured {results['after_edit']['p95_ms']} ms)"
    )
    report.check(
        f"no request failed around the edit ({label})",
        samples and not any(not s.ok for s in samples),
        f"{len(samples)} requests, {sum(not s.ok for s in samples)} failed",
    )
    if not bare:
        report.check(f"the edit shows through nginx ({label})", shows(port_nginx, f"/teman/{THEME}/", name))
    return results


def check_micro_cache(report, children, tmp, env, nodes, ports, plain, editor, theme_id, name, clients):
    """`plain` is the running nginx of a-d, (port, prefix); a second nginx with the micro-cache joins it."""
    seconds = int(env["PROXY_CACHE_SECONDS"])
    phase(f"e. The nginx micro-cache: the nodes restarted with PROXY_CACHE_SECONDS={seconds}")
    for key in ("A", "B"):
        nodes[key].stop()
        nodes[key] = start_node(key, env, ports[key], tmp)
        children.append(nodes[key])
    for key in ("A", "B"):
        wait_for_node(nodes[key], ports[key])
    cached_child, cached_port = start_nginx(tmp / "nginx-cache", ports["A"], ports["B"], micro_cache=True)
    children.append(cached_child)
    variants = {"without": plain, "with": (cached_port, tmp / "nginx-cache")}
    cache_control = get(ports["A"], "/")[1].get("cache-control")
    report.note(f"the app's Cache-Control for an anonymous page: {cache_control}")
    results = {"proxy_cache_seconds": seconds, "cache_control": cache_control, "pages": {}}
    for path in ("/", "/regioner/kalmar/"):
        row = {}
        for variant, (port, prefix) in variants.items():
            url = f"http://127.0.0.1:{port}{path}"
            run.wrk(url, 1, clients)  # warm-up
            since = log_size(prefix)
            measured = run.wrk(url, 5, clients)
            statuses = [r.cache for r in access_log_lines(prefix, since)]
            hits = statuses.count("HIT")
            row[variant] = {
                "rps": round(measured["rps"]),
                "p50_ms": round(measured["p50"], 2),
                "p95_ms": round(measured["p95"], 2),
                "max_ms": round(measured["max"], 1),
                "errors": measured["errors"],
                "requests": measured["requests"],
            }
            if variant == "with":
                share = hits / len(statuses) if statuses else 0.0
                row[variant] |= {"hit_share": round(share, 4), "cache_statuses": dict(Counter(statuses))}
        results["pages"][path] = row
        print(
            f"  {path:20} without: {row['without']['rps']:6} req/s, p95 {row['without']['p95_ms']} ms;"
            f"  with: {row['with']['rps']:6} req/s, p95 {row['with']['p95_ms']} ms, "
            f"{row['with']['hit_share']:.1%} HITs {row['with']['cache_statuses']}",
            flush=True,
        )
    hit_share = min(r["with"]["hit_share"] for r in results["pages"].values())
    report.check(
        "nginx keeps the app's pages for PROXY_CACHE_SECONDS (s-maxage)",
        hit_share > 0.5,
        f"lowest HIT share {hit_share:.1%}; the app sent Cache-Control: {cache_control}",
    )
    _, headers, _ = get(cached_port, "/", {"Cookie": "sessionid=not-a-real-session"})
    report.check(
        "a request with a session cookie bypasses the micro-cache",
        headers.get("x-cache-status") == "BYPASS",
        f"X-Cache-Status {headers.get('x-cache-status')}",
    )
    # The pages are the same whatever the browser's languages (the language is in the address), and say so:
    # no Vary on Accept-Language, so nginx keeps one copy, not one per Accept-Language value.
    vary_path = "/teman/"
    statuses = [
        get(cached_port, vary_path, {"Accept-Language": language})[1].get("x-cache-status")
        for language in ("sv-SE,sv;q=0.9", "sv-SE,sv;q=0.9", "sv,en;q=0.8")
    ]
    vary = get(cached_port, vary_path)[1].get("vary")
    report.check(
        "one copy of a page whatever Accept-Language the browser sends",
        statuses[2] != "MISS" and "accept-language" not in (vary or "").lower(),
        f"{vary_path} with Accept-Language A, A again, then B: {statuses} (Vary: {vary})",
    )
    results["accept_language_variants"] = {"statuses": statuses, "vary": vary}
    # How long an edit takes to show through the micro-cache: at most PROXY_CACHE_SECONDS, plus nginx's
    # one-second clock.
    path = f"/teman/{THEME}/"
    get(cached_port, path)
    new_name = f"{name} (mikrocache)"
    editor.edit(ports["B"], theme_id, new_name)
    saved = time.monotonic()
    while not shows(cached_port, path, new_name) and time.monotonic() - saved < seconds + 10:
        time.sleep(0.05)
    shown_after = time.monotonic() - saved
    results["edit_shown_after_s"] = round(shown_after, 2)
    report.check(
        "an edit shows through the micro-cache within PROXY_CACHE_SECONDS + 1 s",
        shown_after <= seconds + 1.2,
        f"shown after {shown_after:.2f} s",
    )
    results["herd"] = check_herd(
        report, editor, ports["B"], variants["with"], theme_id, f"{name} (flocken)", clients, 5, label="e"
    )
    report.data["micro_cache"] = results


# --- The run -----------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="the short form CI runs (a-d, about a minute)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent load clients (default 8)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, configs)")
    args = parser.parse_args()
    # SIGTERM (a CI timeout) and SIGHUP tear down like Ctrl-C does.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.default_int_handler)
    ensure_installed()
    began = time.monotonic()
    report = Report()
    tmp = Path(tempfile.mkdtemp(prefix="portal-two-nodes-"))
    tmp.chmod(0o755)
    children = []
    try:
        with contextlib.ExitStack() as stack:
            stack.callback(lambda: [child.stop() for child in reversed(children)])
            run_checks(args, report, stack, tmp, children)
    except Exception as exc:  # a part that did not start, or a check that could not run to its end
        report.check("the run completed", False, f"{type(exc).__name__}: {exc}")
    except KeyboardInterrupt:
        report.check("the run completed", False, "interrupted")
    finally:
        with contextlib.suppress(Exception):
            drop_database()
        if report.failed:
            for log in sorted(p for p in tmp.glob("**/*.log") if p.name != "access.log"):
                text = "".join(log.read_text(errors="replace").splitlines(True)[-10:])
                if text.strip():
                    print(f"\n--- last lines of {log.relative_to(tmp)}\n{text}")
        if args.keep:
            print(f"\nKept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    wall = time.monotonic() - began
    report.data["wall_seconds"] = round(wall, 1)
    summary(report, args, wall)
    if not args.short and not any(c["check"] == "the run completed" for c in report.failed):
        write_results(report, args)
    sys.exit(1 if report.failed else 0)


def run_checks(args, report, stack, tmp, children):
    short = args.short
    print(f"Temporary directory {tmp}", flush=True)
    create_database()
    database_url = f"{SERVER}/{DATABASE}"
    redis_child, redis_port, redis_client = start_redis(tmp)
    children.append(redis_child)
    env = run.env_for(database_url, settings="portal.settings") | {
        "CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
        "PROXY_CACHE_SECONDS": "0",
    }
    env.pop("DJANGO_SUPERUSER_PASSWORD", None)
    manage = [run.PYTHON, "manage.py"]

    def command(name, *args, extra_env=None):
        child = Child(name, [*manage, *args], tmp / f"{name}.log", env | (extra_env or {}))
        children.append(child)
        return child

    def finished(*commands):
        for child in commands:
            if child.process.wait() != 0:
                raise RuntimeError(f"manage.py {child.name} failed:\n{child.tail()}")

    # What can run at the same time does: the static files while the schema is made; the seed, the
    # editor's account, the two app servers and the browser while the catalogue is loaded.
    collect = command("collectstatic", "collectstatic", "--noinput", "-v", "0")
    finished(command("migrate", "migrate", "--noinput", "-v", "0"), collect)
    seed = command("seed", "seed")
    password = secrets.token_urlsafe(24)
    account = command(
        "createsuperuser",
        *("createsuperuser", "--noinput", "--username", EDITOR, "--email", "redaktor@example.se"),
        extra_env={"DJANGO_SUPERUSER_PASSWORD": password},
    )
    ports = {"A": free_port(), "B": free_port()}
    nodes = {key: start_node(key, env, port, tmp) for key, port in ports.items()}
    children.extend(nodes.values())
    editor = Editor(stack, password)
    finished(seed, account)
    for key in nodes:
        wait_for_node(nodes[key], ports[key])
    nginx, port_nginx = start_nginx(tmp / "nginx", ports["A"], ports["B"])
    children.append(nginx)
    theme_id, name = theme_record()
    print(
        f"Ready after {time.monotonic() - STARTED:.0f} s: PostgreSQL database {DATABASE}, Redis on "
        f"{redis_port}, node A on {ports['A']}, node B on {ports['B']}, nginx on {port_nginx}",
        flush=True,
    )
    redis_client.flushdb()  # what the seed's own requests left there, if anything: a starts empty
    check_shared_cache(report, redis_client, ports["A"], ports["B"])
    name = check_edit_shows_everywhere(report, editor, ports["A"], ports["B"], port_nginx, theme_id, name)
    warm(port_nginx)
    seconds, kill_after = (6, 3) if short else (15, 5)
    check_failover(report, nodes, port_nginx, tmp / "nginx", args.clients, seconds, kill_after)

    # Node A comes back (nginx tries it again fail_timeout after its last failure).
    nodes["A"] = start_node("A", env, ports["A"], tmp)
    children.append(nodes["A"])
    wait_for_node(nodes["A"], ports["A"])
    time.sleep(1 if short else 5)
    window = 4 if short else 10
    report.data["herd"] = check_herd(
        report,
        editor,
        ports["B"],
        (port_nginx, tmp / "nginx"),
        theme_id,
        f"{name}, igen",
        args.clients,
        window,
    )
    if not short:
        report.data["herd_bare_bump"] = check_herd(
            report, editor, ports["B"], (port_nginx, tmp / "nginx"), theme_id, name, args.clients, window,
            label="d2", bare=True,
        )  # fmt: skip
        node_env = env | {"PROXY_CACHE_SECONDS": "1"}
        plain = (port_nginx, tmp / "nginx")
        check_micro_cache(
            report, children, tmp, node_env, nodes, ports, plain, editor, theme_id, name, args.clients
        )
    errors = sum(
        any(mark in text for mark in ('"level": "ERROR"', '"level": "CRITICAL"', "[ERROR]", "[CRITICAL]"))
        for node in tmp.glob("node-*.log")
        for text in node.read_text(errors="replace").splitlines()
    )
    report.check("no errors in the nodes' logs", errors == 0, f"{errors} error lines")


def summary(report, args, wall):
    print(f"\n== Summary ({'--short' if args.short else 'full form'}, {wall:.0f} s)")
    for c in report.checks:
        print(f"  {'PASS' if c['ok'] else 'FAIL'}  {c['check']}")
    data = report.data
    if "failover" in data:
        f = data["failover"]
        print(
            "  failover: " + line("after the kill", f["after_kill"]) + f"; nginx retries {f['nginx_retries']}"
        )
    herds = [
        ("after an edit", data.get("herd")),
        ("after a bare version bump", data.get("herd_bare_bump")),
        ("after an edit, micro-cache", data.get("micro_cache", {}).get("herd")),
    ]
    for label, h in herds:
        if h:
            print(
                f"  {label} ({h['window_seconds']} s before/after): clients' view "
                f"p95 {h['before_edit']['p95_ms']} → {h['after_edit']['p95_ms']} ms, "
                f"max {h['before_edit']['max_ms']} → {h['after_edit']['max_ms']} ms; nginx's log "
                f"p95 {h['nginx_before_edit']['p95_ms']} → {h['nginx_after_edit']['p95_ms']} ms, "
                f"max {h['nginx_before_edit']['max_ms']} → {h['nginx_after_edit']['max_ms']} ms"
            )
    if "micro_cache" in data:
        for path, row in data["micro_cache"]["pages"].items():
            print(
                f"  micro-cache {path}: {row['without']['rps']} → {row['with']['rps']} req/s, "
                f"{row['with']['hit_share']:.0%} HITs"
            )
    print(f"\n{len(report.checks) - len(report.failed)} of {len(report.checks)} checks passed.")


def write_results(report, args):
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": run.machine(),
        "method": {
            "nodes": 2,
            "workers_per_node": 2,
            "clients": args.clients,
            "pages": PAGES,
            "load_client": "Python threads, one keep-alive connection each (bench/two_nodes.py: Load)",
        },
        "checks": report.checks,
        **report.data,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
