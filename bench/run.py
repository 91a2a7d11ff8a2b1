"""`make bench`: throughput and latency of the main pages at 1×, 10× and 100× data, as ratios to a bare view.

For each scale it builds a throwaway PostgreSQL database (seed, then bench/synthetic.py, then ANALYZE),
starts the app as in production (gunicorn with gunicorn.conf.py, DEBUG off, whitenoise, persistent
connections; settings bench.settings = production's plus the bare view), warms each URL, then drives it
with wrk at a fixed concurrency for a fixed time. Queries per request are counted in-process with Django's
test client, on a cold and a warm page cache. After an edit, a visitor mix is driven for 10 s twice: with the
per-process page cache (the default) and with CACHE_URL on a redis-server of its own (Debian's package), one
render per page for all workers. Results: bench/results/bench.json, bench.md, throughput.png.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench), BENCH_SCALES
(default "1 10 100"), BENCH_SECONDS per URL (default 10), BENCH_CONNECTIONS (default 8), BENCH_PORT (8765).
"""

import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results")
PYTHON = sys.executable

URLS = [
    ("bare view (baseline)", "/bench/bare/", "bare"),
    ("start page", "/", "html"),
    ("regions", "/regioner/", "html"),
    ("region page", "/regioner/kalmar/", "html"),
    ("insatsområden", "/insatsomraden/", "html"),
    (
        "insatsområden, 3 filters",
        "/insatsomraden/?region=kalmar&tema=uppfoljning-och-larande&dimension=ekonomisk",
        "html",
    ),
    ("insatsområde page", "/regioner/kalmar/digital-omstallning/", "html"),
    ("theme page", "/teman/cirkular-ekonomi/", "html"),
    ("comparison", "/jamfor/?region=kalmar&region=gotland", "html"),
    ("search, stemmed", "/sok/?q=" + quote("besöksnäringen"), "search"),
    ("search, typo", "/sok/?q=" + quote("cirkulr ekonomi"), "search"),
    ("API focus areas", "/api/v1/focus-areas/", "data"),
    ("API region", "/api/v1/regions/kalmar/", "data"),
    ("CSV, whole catalogue", "/insatsomraden/ladda-ner.csv", "data"),
    ("CSV, one region", "/insatsomraden/ladda-ner.csv?region=kalmar", "data"),
    ("sitemap index", "/sitemap.xml", "data"),
    ("sitemap page", "/sitemap-insatsomraden.xml", "data"),
    ("feed", "/insatsomraden/flode/", "data"),
    ("static CSS", "{css}", "static"),
]

# What a crowd reads right after an edit (the p95 of the next 10 s, MODE "after an edit").
AFTER_EDIT_MIX = [
    "/",
    "/regioner/",
    "/regioner/kalmar/",
    "/regioner/gotland/",
    "/regioner/skane/",
    "/insatsomraden/",
    "/teman/",
    "/teman/cirkular-ekonomi/",
    "/regioner/kalmar/digital-omstallning/",
    "/api/v1/focus-areas/",
]


def env_for(database_url, settings="bench.settings"):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": settings,
        "DEBUG": "0",
        "HTTPS_ONLY": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
    }


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, text=True, **kwargs)


def build(database_url, scale):
    """A fresh database at `scale` times the seeded catalogue."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = env_for(database_url)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "seed"], env, stdout=subprocess.DEVNULL)
    code = (
        "import django; django.setup(); from bench.synthetic import grow_catalogue; "
        f"grow_catalogue({scale}); from django.db import connection; connection.cursor().execute('ANALYZE')"
    )
    run([PYTHON, "-c", code], env)


def count_queries(database_url, paths):
    """SQL queries per request for each path: on a cold page cache and on a warm one."""
    code = """
import json, sys, django
django.setup()
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client, counts = Client(), {}
for path in json.loads(sys.argv[1]):
    cache.clear()
    caches["fragments"].clear()  # nothing kept: what a page costs right after an edit
    with CaptureQueriesContext(connection) as cold:
        status = client.get(path).status_code
    with CaptureQueriesContext(connection) as warm:
        client.get(path)
    counts[path] = {"status": status, "cold": len(cold), "warm": len(warm)}
print(json.dumps(counts))
"""
    out = run([PYTHON, "-c", code, json.dumps(paths)], env_for(database_url), capture_output=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def start_gunicorn(env, port, log_path):
    """gunicorn with the production config (gunicorn.conf.py) on 127.0.0.1:`port`; returns once /healthz
    answers. Its output goes to a file, not a pipe: a pipe nobody reads blocks the server once it fills."""
    log = open(log_path, "w")  # noqa: SIM115 - open for the server's whole life
    process = subprocess.Popen(
        [str(Path(PYTHON).with_name("gunicorn")), "-c", "gunicorn.conf.py", "portal.wsgi"],
        env=env | {"BIND": f"127.0.0.1:{port}"},
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not start; see {log_path}")


def serve(database_url, port, page_cache=True, cache_url=None):
    env = env_for(database_url)
    if not page_cache:
        env["PAGE_CACHE_SECONDS"] = "0"
    if cache_url:
        env["CACHE_URL"] = cache_url
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    return start_gunicorn(env, port, Path(tempfile.gettempdir()) / "portal-bench-gunicorn.log")


def bump_version(database_url):
    """What an edit does to every cached page: a new catalogue version (regions.models.CatalogueVersion)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE regions_catalogueversion SET value = value + 1, changed_at = now() WHERE id = 1")


def first_after_edit(database_url, address, times=5):
    """Milliseconds of the first request for `address` after each of `times` edits, serially."""
    took = []
    for _ in range(times):
        bump_version(database_url)
        start = time.perf_counter()
        with urllib.request.urlopen(address, timeout=30) as response:
            response.read()
        took.append((time.perf_counter() - start) * 1000)
    took.sort()
    return {"median": took[len(took) // 2], "max": took[-1]}


def css_path(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
        return re.search(r'href="(/static/css/portal\.[0-9a-f]+\.css)"', response.read().decode()).group(1)


def wrk(url, seconds, connections, script="wrk_report.lua", env=None):
    result = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / script),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK_JSON "))
    return json.loads(line.removeprefix("WRK_JSON "))


def load_after_edit(database_url, port, connections):
    """p95 of a visitor mix over the 10 s after an edit, beside the same 10 s with no edit."""
    base = f"http://127.0.0.1:{port}/"
    mix = {"WRK_PATHS": " ".join(AFTER_EDIT_MIX)}
    wrk(base, 3, connections, "wrk_mix.lua", mix)  # every page of the mix cached
    steady = wrk(base, 10, connections, "wrk_mix.lua", mix)
    bump_version(database_url)
    after = wrk(base, 10, connections, "wrk_mix.lua", mix)
    return {"steady": steady, "after_edit": after}


def load_after_edit_shared(database_url, port, connections):
    """load_after_edit on the same one machine with CACHE_URL: a redis-server of its own (Debian's, as
    bench/two_nodes.py starts it), so that the five workers render each page once between them instead of
    once each."""
    import two_nodes

    with tempfile.TemporaryDirectory() as tmp:
        redis, redis_port, _ = two_nodes.start_redis(Path(tmp))
        try:
            process = serve(database_url, port, cache_url=f"redis://127.0.0.1:{redis_port}/0")
            try:
                return load_after_edit(database_url, port, connections)
            finally:
                process.terminate()
                process.wait(timeout=30)
        finally:
            redis.stop()


def machine():
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory = next(
        (int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
         if line.startswith("MemTotal")),
        0,
    )  # fmt: skip
    import django
    import psycopg

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres") as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": server,
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True)
        .stdout.split("[")[0]
        .strip(),
    }


def measure(database_url, port, connections, seconds, page_cache):
    process = serve(database_url, port, page_cache=page_cache)
    try:
        css = css_path(port)
        urls = [(label, path.format(css=css), kind) for label, path, kind in URLS]
        rows = []
        for label, path, kind in urls:
            address = f"http://127.0.0.1:{port}{path}"
            wrk(address, 2, connections)  # warm-up: caches, connections, the planner
            result = wrk(address, seconds, connections)
            result |= {"label": label, "path": path, "kind": kind}
            rows.append(result)
            print(f"  {label:28} {result['rps']:8.0f} req/s  p95 {result['p95']:7.2f} ms", flush=True)
        bare = rows[0]["rps"]
        for row in rows:
            row["ratio"] = row["rps"] / bare
        extra = {}
        if page_cache:
            extra["first_after_edit"] = {
                path: first_after_edit(database_url, f"http://127.0.0.1:{port}{path}")
                for _, path, kind in urls
                if kind != "static"
            }
            extra["load_after_edit"] = load_after_edit(database_url, port, connections)
            extra["search_at_concurrency_1"] = {
                label: wrk(f"http://127.0.0.1:{port}{path}", seconds, 1)
                for label, path, kind in urls
                if kind == "search"
            }
        return rows, extra, [path for _, path, kind in urls if kind != "static"]
    finally:
        process.terminate()
        process.wait(timeout=30)


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get update && apt-get install wrk (Debian's package)")
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
    scales = [int(s) for s in os.environ.get("BENCH_SCALES", "1 10 100").split()]
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "8"))
    port = int(os.environ.get("BENCH_PORT", "8765"))
    sys.path.insert(0, str(ROOT))
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "method": {"seconds_per_url": seconds, "connections": connections, "wrk_threads": 1},
        "scales": {},
    }
    for scale in scales:
        print(f"\n== {scale}×: building the catalogue", flush=True)
        build(database_url, scale)
        print(f"== {scale}×: page cache on (warm)", flush=True)
        warm, extra, paths = measure(database_url, port, connections, seconds, page_cache=True)
        print(f"== {scale}×: after an edit, with a shared cache (CACHE_URL) on the same machine", flush=True)
        extra["load_after_edit_shared"] = load_after_edit_shared(database_url, port, connections)
        print(f"== {scale}×: page cache off (every request a cold render)", flush=True)
        cold, _, _ = measure(database_url, port, connections, seconds, page_cache=False)
        report["scales"][scale] = {
            "rows": warm,
            "cold_rows": cold,
            "queries": count_queries(database_url, paths),
            **extra,
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "bench.md").write_text(markdown(report))
    chart(report, RESULTS / "throughput.png")
    print("\n" + markdown(report))


def markdown(report):
    m = report["machine"]
    lines = [
        f"Run {report['when']} on {m['cores']} cores ({m['cpu']}), {m['memory_mb']} MB, {m['os']}; "
        f"Python {m['python']}, Django {m['django']}, PostgreSQL {m['postgresql']}, {m['wrk']}. "
        f"wrk: {report['method']['connections']} connections, "
        f"{report['method']['seconds_per_url']} s per URL "
        "after a 2 s warm-up; the app under gunicorn with gunicorn.conf.py on the same machine. "
        "Warm: the page cache on, as in production. Cold: PAGE_CACHE_SECONDS=0, every request rendered "
        "(the written-out whole-catalogue downloads stay files); what many responses share, kept per "
        "catalogue version (portal/fragments.py: the regions' and themes' counts, the list's facet counts, "
        "the API's insatsområden), is made by the first request and reused, as it is in production. First "
        "after an edit: the catalogue version bumped (so those shared parts are new too), then one "
        "request, serially, median and worst of 5: a render with nothing kept.",
        "",
    ]
    for scale, data in report["scales"].items():
        lines += [
            f"### {scale}× data",
            "",
            "| URL | warm: share of bare | p95 ms | cold: share of bare | p95 ms | p99 ms "
            "| first after an edit, median / max ms | queries cold / warm | bytes |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row, cold in zip(data["rows"], data["cold_rows"], strict=True):
            q = data["queries"].get(row["path"])
            first = data["first_after_edit"].get(row["path"])
            cells = [
                f"{row['label']} (`{row['path']}`)",
                f"{row['ratio']:.0%} ({row['rps']:.0f}/s)",
                f"{row['p95']:.1f}",
                f"{cold['ratio']:.0%} ({cold['rps']:.0f}/s)",
                f"{cold['p95']:.1f}",
                f"{cold['p99']:.1f}",
                f"{first['median']:.0f} / {first['max']:.0f}" if first else "–",
                f"{q['cold']} / {q['warm']}" if q else "–",
                f"{row['bytes_per_response']:.0f}",
            ]
            lines.append("| " + " | ".join(cells) + " |")
        errors = sum(row["errors"] for row in data["rows"] + data["cold_rows"])
        lines.append(f"\nErrors (connection, timeout, non-2xx) in all runs at {scale}×: {errors}.")
        load = data["load_after_edit"]
        lines.append(
            f"\nA mix of {len(AFTER_EDIT_MIX)} public pages under load: p95 {load['steady']['p95']:.1f} ms "
            f"(max {load['steady']['max']:.0f}) in 10 s with no edit; p95 {load['after_edit']['p95']:.1f} ms "
            f"(max {load['after_edit']['max']:.0f}) in the 10 s right after an edit."
        )
        shared = data.get("load_after_edit_shared")
        if shared:
            lines.append(
                f"\nThe same on the same machine with CACHE_URL (a redis-server of its own, one render per "
                f"page for all workers): p95 {shared['steady']['p95']:.1f} ms with no edit; "
                f"p95 {shared['after_edit']['p95']:.1f} ms (max {shared['after_edit']['max']:.0f}) "
                "after an edit."
            )
        for label, result in data["search_at_concurrency_1"].items():
            lines.append(
                f"\n{label} at concurrency 1: p50 {result['p50']:.2f} ms, p95 {result['p95']:.2f} ms."
            )
        lines.append("")
    return "\n".join(lines)


def chart(report, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no chart drawn")
        return
    scales = list(report["scales"])
    labels = [row["label"] for row in report["scales"][scales[0]]["rows"]][1:]
    fig, axes = plt.subplots(2, 1, figsize=(11, 9), sharex=True)
    width = 0.8 / len(scales)
    for ax, key, title, target in (
        (axes[0], "rows", "warm (page cache on)", 40),
        (axes[1], "cold_rows", "cold (page cache off: every request rendered)", 15),
    ):
        for n, scale in enumerate(scales):
            ratios = [row["ratio"] * 100 for row in report["scales"][scale][key][1:]]
            ax.bar([i + n * width for i in range(len(labels))], ratios, width, label=f"{scale}×")
        ax.axhline(target, color="black", linewidth=0.8, linestyle="--")
        ax.set_ylabel("req/s, % of the bare view")
        ax.set_title(f"{title}; dashed: the target, {target} %")
        ax.legend(title="data")
    axes[1].set_xticks(
        [i + width * (len(scales) - 1) / 2 for i in range(len(labels))], labels, rotation=35, ha="right"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
