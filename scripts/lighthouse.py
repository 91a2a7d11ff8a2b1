"""Lighthouse (accessibility, best practices, SEO) on every public page type, Swedish and English, desktop and
mobile, against the production-like server: `make lighthouse`, or `.venv/bin/python scripts/lighthouse.py`.

What it does, all on this machine and thrown away afterwards:
1. a fresh SQLite database in a temporary folder (`manage.py migrate`, then `manage.py seed`, as `make seed`;
   a stale compiled translation is rebuilt first, as `make install` does);
2. the static files collected and gunicorn started with gunicorn.conf.py, DEBUG=0 and HTTPS_ONLY=0 on a free
   port of 127.0.0.1, as `make serve` does (HTTPS_ONLY=0: no redirect to https:// and no HSTS on plain http);
3. Debian's Chromium (CHROME_PATH, default /usr/bin/chromium; --headless=new --no-sandbox) and Lighthouse's
   Node API (scripts/lighthouse/, pinned in its package-lock.json): one run per page and form factor, each in
   a fresh browser and profile, so that every page is measured as a first visit.

It prints a table of the three category scores per page and form factor, then every audit of those
categories that is not a pass (id, title, and the first few elements or URLs it names), and exits 1 when
any score is below 100 (`--report-only`: print, exit 0), 2 when a run could not be made. The site's strict
Content-Security-Policy is left on: Lighthouse reads the page through the DevTools protocol, which the CSP
does not govern, so what it reports is what a visitor's browser does with the real headers.

Lighthouse is installed with `npm ci --prefix scripts/lighthouse` (the script runs that itself when
scripts/lighthouse/node_modules is missing). The package.json pins `third-party-web` and
`legacy-javascript` through "overrides": a dependency of Lighthouse asks for them at the tag "latest", which
`npm ci` re-reads from the registry and then finds the lock out of date whenever a newer one has been
published; the overrides pin them at the versions Lighthouse itself was published with, so that `npm ci`
keeps working. Lighthouse 12 is the newest line that runs on Node 20 (13 needs Node 22).

Options: --report-only; --form-factor desktop|mobile (default both); --only PATH (repeatable, e.g.
--only /jamfor/ --only /en/jamfor/); --save DIR (each run's full report, .json and .html, to DIR);
--port N (the server's port; default a free one); --jobs N (runs at once, default 2). All 52 runs take
about 3 1/2 minutes on 2 cores (measured while other test suites shared the machine).
"""

import argparse
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "scripts" / "lighthouse"
PYTHON = sys.executable
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")

# The main page types; each also under /en/ (the English interface).
PAGES = [
    "/",
    "/regioner/",
    "/regioner/kalmar/",
    "/regioner/kalmar/digital-omstallning/",
    "/insatsomraden/",
    "/teman/",
    "/teman/cirkular-ekonomi/",
    "/obligatoriska-omraden/hallbarhet-i-foretagsstod-och-projektmedel/",
    "/jamfor/",
    "/jamfor/?region=kalmar&region=gotland",
    "/sok/?q=" + quote("besöksnäring"),
    "/om/",
    "/tillganglighet/",
]
LANGUAGES = ["", "/en"]
CATEGORIES = ["accessibility", "best-practices", "seo"]
SHORT = {"accessibility": "a11y", "best-practices": "bp", "seo": "seo"}
FORM_FACTORS = ["desktop", "mobile"]

# Runs inside Node, in scripts/lighthouse/ (so that `lighthouse` resolves to its node_modules). Reads the job
# from standard input, writes one JSON line per run to standard output.
RUNNER = r"""
import fs from 'node:fs';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const job = JSON.parse(fs.readFileSync(0, 'utf8'));
// Stopped by the Python side (it was itself stopped): take the browser of the current run down too.
let chrome;
process.on('SIGTERM', async () => {
  if (chrome) await chrome.kill();
  process.exit(143);
});

function text(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') {
    if (value.type === 'node') {
      return [value.selector, value.snippet, value.explanation].filter(Boolean).join(' ');
    }
    if (value.type === 'source-location') return `${value.url}:${value.line}`;
    if (value.type === 'url') return value.value;
    if ('formattedDefault' in value) return value.formattedDefault;
    if ('value' in value) return String(value.value);
    return JSON.stringify(value);
  }
  return String(value);
}

function describe(item) {
  // The few fields that say which element or URL an item is about, whatever the audit's table looks like.
  const parts = [];
  for (const key of ['node', 'source', 'sourceLocation', 'url', 'href', 'text', 'description', 'reason',
                     'explanation', 'issueType', 'subItems']) {
    if (!(key in item)) continue;
    if (key === 'subItems') {
      parts.push((item.subItems.items || []).map(sub => Object.values(sub).map(text).join(' ')).join('; '));
    } else {
      parts.push(`${key}: ${text(item[key])}`);
    }
  }
  if (!parts.length) parts.push(JSON.stringify(item));
  return parts.join(' | ').replace(/\s+/g, ' ').slice(0, 400);
}

for (const {url, formFactor, name} of job.runs) {
    const flags = {
      hostname: '127.0.0.1',
      output: job.saveDir ? ['json', 'html'] : 'json',
      onlyCategories: job.categories,
      logLevel: job.verbose ? 'info' : 'error',
      locale: 'en-US',
      // The pages have no script to wait for and come from this machine: Lighthouse's default waits for a
      // quiet network and CPU (1 s each, made for real sites) only add time. The full-page screenshot is
      // only for the HTML report (--save).
      pauseAfterFcpMs: 0,
      pauseAfterLoadMs: 250,
      networkQuietThresholdMs: 250,
      cpuQuietThresholdMs: 250,
      disableFullPageScreenshot: !job.saveDir,
    };
    const started = Date.now();
    let line;
    // A fresh browser and profile for every run, so that each page is measured as a first visit (Chromium
    // asks for /favicon.ico once per profile, for one) and no run depends on the ones before it.
    try {
      chrome = await chromeLauncher.launch({
        chromePath: job.chromePath, chromeFlags: job.chromeFlags, logLevel: 'silent', handleSIGINT: false,
      });
      flags.port = chrome.port;
      const result = await lighthouse(url, flags, formFactor === 'desktop' ? desktopConfig : undefined);
      const lhr = result.lhr;
      if (lhr.runtimeError) throw new Error(lhr.runtimeError.message);
      const scores = {};
      const failing = [];
      for (const id of job.categories) {
        const category = lhr.categories[id];
        scores[id] = category.score;
        for (const ref of category.auditRefs) {
          const audit = lhr.audits[ref.id];
          const notApplicable = ['notApplicable', 'manual', 'informative'].includes(audit.scoreDisplayMode);
          const failed = audit.scoreDisplayMode === 'error'
            || (!notApplicable && audit.score !== null && audit.score < 1);
          if (!failed) continue;
          const items = (audit.details && audit.details.items) || [];
          failing.push({
            id: ref.id,
            title: audit.title,
            category: id,
            weight: ref.weight,
            score: audit.score,
            error: audit.errorMessage || null,
            display: audit.displayValue || '',
            count: items.length,
            items: items.slice(0, job.items).map(describe),
          });
        }
      }
      if (job.saveDir) {
        fs.writeFileSync(path.join(job.saveDir, name + '.json'), result.report[0]);
        fs.writeFileSync(path.join(job.saveDir, name + '.html'), result.report[1]);
      }
      line = {
        url, formFactor, scores, failing,
        finalUrl: lhr.finalDisplayedUrl,
        warnings: lhr.runWarnings,
        seconds: (Date.now() - started) / 1000,
      };
    } catch (error) {
      const seconds = (Date.now() - started) / 1000;
      line = {url, formFactor, error: String((error && error.message) || error), seconds};
    } finally {
      if (chrome) await chrome.kill();
      chrome = undefined;
    }
    process.stdout.write(JSON.stringify(line) + '\n');
}
process.exit(0);  // the SIGTERM listener would keep Node waiting
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, what, log_path, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    sys.stderr.write(Path(log_path).read_text(errors="replace")[-4000:])
    raise SystemExit(f"{what} did not start (log above: {log_path})")


def stop(process):
    """Stop a process this script started, and the children it started in its own session (Chromium's)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def ensure_lighthouse():
    if (NODE_DIR / "node_modules" / "lighthouse" / "package.json").exists():
        return
    print("Installing Lighthouse: npm ci --prefix scripts/lighthouse", file=sys.stderr)
    subprocess.run(["npm", "ci", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund"], check=True)


def compile_translations():
    """Compile each .po whose .mo is missing or older, as `make install` does, so that the English pages
    show the current translations. A .po that does not compile (mid-edit) keeps its old .mo (a warning)."""
    for po in sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        done = subprocess.run(
            [PYTHON, "scripts/compile_messages.py", str(po.relative_to(ROOT))],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            print(f"Warning: {po.relative_to(ROOT)} did not compile: {done.stderr.strip()}", file=sys.stderr)


def start_site(tmp, port, stack):
    """A throwaway database, migrated and seeded, served by gunicorn as in production."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'portal.sqlite3'}",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "DEBUG": "0",
        "HTTPS_ONLY": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BIND": f"127.0.0.1:{port}",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def manage(*args):
        subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)

    compile_translations()
    manage("migrate", "--noinput", "-v", "0")
    manage("seed")
    manage("collectstatic", "--noinput", "-v", "0")
    log_path = tmp / "gunicorn.log"
    log = stack.enter_context(open(log_path, "w"))  # noqa: SIM115 - open for the server's whole life
    server = subprocess.Popen(
        [str(Path(PYTHON).with_name("gunicorn")), "-c", "gunicorn.conf.py", "portal.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    stack.callback(stop, server)
    wait_for(f"http://127.0.0.1:{port}/healthz", server, "gunicorn", log_path)


# chrome-launcher adds its own flags for automation (no first-run dialogs, no background networking, a fresh
# profile in a temporary folder); these are the ones this machine needs besides.
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-component-update",
    "--disable-sync",
]


def run_lighthouse(urls, form_factors, save_dir, items, jobs, verbose=False):
    """Every (page, form factor) run, shared out among `jobs` Node processes; the results in the runs' order.

    Each Node process runs its share one at a time, each run in a browser of its own. A run waits as much
    as it computes (Chromium starting, the page loading, the gatherers), hence two at once by default; on
    a machine already busy with other work, more at once gains nothing.
    """
    if not os.access(CHROME, os.X_OK):
        raise SystemExit(
            f"No Chromium at {CHROME} (apt-get update && apt-get install chromium, or set CHROME_PATH)"
        )
    runs = [
        {"url": url, "formFactor": ff, "name": f"{ff}-{index:02d}-{slug(url)}"}
        for ff in form_factors
        for index, url in enumerate(urls, 1)
    ]
    order = {(run["url"], run["formFactor"]): position for position, run in enumerate(runs)}
    results, lock = [], threading.Lock()

    def start(share):
        job = {
            "runs": share,
            "chromePath": CHROME,
            "chromeFlags": CHROME_FLAGS,
            "categories": CATEGORIES,
            "saveDir": str(save_dir) if save_dir else None,
            "items": items,
            "verbose": verbose,
        }
        runner = subprocess.Popen(
            ["node", "--input-type=module", "-e", RUNNER],
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        runner.stdin.write(json.dumps(job))
        runner.stdin.close()
        return runner

    def read(runner):
        for line in runner.stdout:
            if line.startswith("{"):
                result = json.loads(line)
                with lock:
                    results.append(result)
                    progress(result, len(results), len(runs))

    runners = [start(runs[i::jobs]) for i in range(min(jobs, len(runs)))]
    try:
        readers = [threading.Thread(target=read, args=(runner,), daemon=True) for runner in runners]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
        for runner in runners:
            if runner.wait() != 0:
                print(f"A Lighthouse runner exited with {runner.returncode}", file=sys.stderr)
    finally:
        for runner in runners:  # still running only when this script is being stopped
            if runner.poll() is None:
                runner.terminate()
                runner.wait(timeout=15)
    return sorted(results, key=lambda r: order[(r["url"], r["formFactor"])]), len(runs)


def progress(result, done, total):
    if result.get("scores"):
        scores = " ".join(f"{SHORT[c]} {score_text(result['scores'].get(c))}" for c in CATEGORIES)
    else:
        scores = "FAILED: " + (result.get("error") or "").splitlines()[0][:100]
    seconds = f"{result['seconds']:4.1f} s" if "seconds" in result else "   -  "
    print(
        f"[{done}/{total}] {seconds}  {result['formFactor']:7} {path_of(result['url'])}  {scores}",
        file=sys.stderr,
    )


def slug(url):
    return re.sub(r"[^a-z0-9]+", "-", path_of(url).lower()).strip("-") or "start"


def score_text(score):
    return " - " if score is None else f"{round(score * 100):3d}"


def path_of(url):
    parts = urlsplit(url)
    return unquote(parts.path + (f"?{parts.query}" if parts.query else ""))


def report(results, form_factors):
    by_key = {(r["url"], r["formFactor"]): r for r in results}
    urls = list(dict.fromkeys(r["url"] for r in results))
    width = max(len(path_of(u)) for u in urls)
    head = "  ".join(f"{ff:^14}" for ff in form_factors)
    sub = "  ".join(" ".join(f"{SHORT[c]:>4}" for c in CATEGORIES) for _ in form_factors)
    print(f"\nLighthouse {', '.join(CATEGORIES)} (0-100; ERR: the run failed)\n")
    print(f"{'page':{width}}  {head}")
    print(f"{'':{width}}  {sub}")
    for url in urls:
        cells = []
        for ff in form_factors:
            result = by_key.get((url, ff), {"error": "no result"})
            if "error" in result:
                cells.append(" ".join(f"{'ERR':>4}" for _ in CATEGORIES))
            else:
                cells.append(" ".join(f"{score_text(result['scores'].get(c)):>4}" for c in CATEGORIES))
        print(f"{path_of(url):{width}}  {'  '.join(cells)}")

    print("\nAudits that are not a pass (id: title [category, its weight in the score]; what it names)")
    for url in urls:
        for ff in form_factors:
            result = by_key.get((url, ff))
            if not result:
                continue
            if "error" in result:
                print(f"\n{path_of(url)} [{ff}]: RUN FAILED: {result['error']}")
                continue
            if not result["failing"] and not result.get("warnings"):
                continue
            print(f"\n{path_of(url)} [{ff}]")
            for warning in result.get("warnings") or []:
                print(f"  warning: {warning}")
            for audit in result["failing"]:
                extra = f" ({audit['display']})" if audit["display"] else ""
                error = f" ERROR: {audit['error']}" if audit["error"] else ""
                where = f"[{audit['category']}, {audit['weight']}]"
                print(f"  {audit['id']}: {audit['title']} {where}{extra}{error}")
                for item in audit["items"]:
                    print(f"      - {item}")
                if audit["count"] > len(audit["items"]):
                    print(f"      ... {audit['count'] - len(audit['items'])} more")

    summary = {}
    for result in results:
        for audit in result.get("failing", []):
            summary.setdefault((audit["id"], audit["title"]), []).append(result)
    if summary:
        print(f"\nSummary: each audit not passed, on how many of the {len(results)} runs")
        for (audit_id, title), runs in sorted(summary.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print(f"  {len(runs):3d}  {audit_id}: {title}")


def server_errors(log_path):
    """The errors the server logged during the runs (a page that answered 500, say), one line each."""
    errors = []
    for line in log_path.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("level") in {"ERROR", "CRITICAL"}:
            text = " ".join(str(entry.get(key, "")) for key in ("message", "path"))
            exception = str(entry.get("exception") or entry.get("exc_info") or "").strip().splitlines()
            errors.append(text + (f" -- {exception[-1]}" if exception else ""))
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--report-only", action="store_true", help="print the scores; exit 0 whatever they are"
    )
    parser.add_argument("--form-factor", choices=FORM_FACTORS, action="append", help="default: both")
    parser.add_argument("--only", action="append", metavar="PATH", help="only this page (repeatable)")
    parser.add_argument(
        "--save", type=Path, metavar="DIR", help="write each run's full report (.json, .html)"
    )
    parser.add_argument("--port", type=int, help="the server's port (default: a free one)")
    parser.add_argument("--jobs", type=int, default=2, help="runs at once (default 2)")
    parser.add_argument("--items", type=int, default=5, help="elements or URLs shown per audit (default 5)")
    parser.add_argument("--verbose", action="store_true", help="Lighthouse's own progress log, on stderr")
    args = parser.parse_args()

    # Stopped from outside (a CI timeout, kill): leave by the same way out as an error, so that the server
    # and the temporary folder are cleaned up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    ensure_lighthouse()
    paths = args.only or [language + page for language in LANGUAGES for page in PAGES]
    form_factors = args.form_factor or FORM_FACTORS
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    port = args.port or free_port()

    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="portal-lighthouse-")))
        print(f"Building a throwaway database and serving it on http://127.0.0.1:{port}", file=sys.stderr)
        start_site(tmp, port, stack)
        print(f"Site ready after {time.monotonic() - started:.0f} s", file=sys.stderr)
        urls = [f"http://127.0.0.1:{port}{quote(path, safe='/?&=%')}" for path in paths]
        save_dir = args.save.resolve() if args.save else None
        results, expected = run_lighthouse(
            urls, form_factors, save_dir, args.items, max(1, args.jobs), args.verbose
        )
        errors = server_errors(tmp / "gunicorn.log")

    report(results, form_factors)
    if errors:
        print("\nErrors the server logged during the runs:")
        for error in errors:
            print(f"  {error}")
    print(f"\n{len(results)} Lighthouse runs in {time.monotonic() - started:.0f} s, {args.jobs} at a time")

    failed = expected - sum("error" not in r for r in results)
    below = sum(score is None or score < 1 for r in results for score in r.get("scores", {}).values())
    if failed:
        print(f"{failed} Lighthouse runs failed (above).", file=sys.stderr)
    if below:
        print(f"{below} category scores below 100.", file=sys.stderr)
    if not failed and not below:
        print("Every score is 100.")
    if args.report_only:
        return 0
    return 2 if failed else 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
