"""What operators run: the Makefile's set-up, and the production settings as a load balancer meets them."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_dry_run(target, venv):
    """The commands `make TARGET` would run on a fresh clone (a virtualenv that does not exist yet)."""
    return subprocess.run(
        ["make", "--dry-run", f"VENV={venv}", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pip_installs(commands):
    return [line for line in commands.splitlines() if " -m pip install " in line]


def test_pip_and_setuptools_are_pinned_in_the_constraints():
    pins = dict(
        line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line
    )
    assert "pip" in pins and "setuptools" in pins


def test_make_installs_pinned_pip_and_builds_with_pinned_setuptools(tmp_path):
    installs = pip_installs(make_dry_run("install", tmp_path / "venv"))
    assert installs
    for line in installs:
        assert "--upgrade" not in line and "-c constraints.txt" in line, line
        if " -e " in line:
            assert "--build-constraint constraints.txt" in line, line


def test_make_run_and_serve_install_only_the_runtime_dependencies(tmp_path):
    for target in ("run", "serve"):
        installs = pip_installs(make_dry_run(target, tmp_path / "venv"))
        assert any(line.endswith(" -e .") for line in installs), installs
        assert not any("[dev" in line for line in installs), installs


def test_make_test_and_check_install_the_dev_tools(tmp_path):
    for target in ("test", "check", "install"):
        installs = pip_installs(make_dry_run(target, tmp_path / "venv"))
        assert any("-e '.[dev]'" in line for line in installs), installs


def test_every_apt_get_install_in_the_makefile_updates_the_package_lists_first():
    makefile = (ROOT / "Makefile").read_text()
    installs = [line for line in makefile.splitlines() if re.search(r"apt-get install -y", line)]
    assert installs
    for line in installs:
        assert re.search(r"apt-get update -qq && .*apt-get install -y", line), line


HEALTH_OVER_PLAIN_HTTP = """
import django
django.setup()
from django.test import Client
client = Client()
for path in ("/healthz", "/readyz", "/"):
    response = client.get(path, secure=False)
    print(path, response.status_code, response.get("Location", "-"))
"""


def test_health_checks_answer_plain_http_when_https_only(tmp_path):
    # A load balancer probes the app server itself, over plain HTTP: a 301 to https would read as down.
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}} | {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "HTTPS_ONLY": "1",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-test-0123456789abcdef",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", HEALTH_OVER_PLAIN_HTTP], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "/healthz 200 -",
        "/readyz 200 -",
        "/ 301 https://testserver/",
    ], result.stdout + result.stderr
