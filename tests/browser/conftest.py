"""Real-browser tests: Playwright driving Debian's Chromium against Django's live server.

`playwright install` cannot download browsers here, so the tests use the system's Chromium
(package `chromium`, or CHROMIUM_PATH). Without one they are skipped with a message; with
REQUIRE_BROWSER=1 (as .ci/run sets) a missing browser is a failure instead.
"""

import os
import shutil

import pytest

from regions.seeding import seed

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
# Playwright's sync API runs an event loop in the test's thread; Django then refuses database access from
# that thread unless told the access is deliberate. Only the test process is affected.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    browser_tests = [item for item in items if "tests/browser/" in str(item.fspath)]
    if os.environ.get("REQUIRE_BROWSER") == "1" and browser_tests:
        raise pytest.UsageError("REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium).")
    skip = pytest.mark.skip(
        reason="no Chromium on this machine (apt-get install chromium); browser tests skipped"
    )
    for item in browser_tests:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def site(live_server, migrated_rows):
    """The live server with the real seeded catalogue."""
    seed()
    return live_server.url


@pytest.fixture
def csp_violations(page):
    """Every Content-Security-Policy refusal the browser reports while the test runs."""
    messages = []

    def collect(message):
        if "Content Security Policy" in message.text:
            messages.append(message.text)

    page.on("console", collect)
    return messages
