"""A throwaway PostgreSQL cluster of its own (initdb and pg_ctl from Debian's packages) on a free port, for
the tests that stop and start the database. The machine's shared server is never touched.

PostgreSQL refuses to run as root; when this runs as root (CI, these machines), the server runs as the
`postgres` system user that Debian's package creates.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_binaries() -> Path:
    """The newest installed PostgreSQL server's bin/ (PG_BINDIR overrides)."""
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise SystemExit(
            "No PostgreSQL server binaries (initdb, pg_ctl) found under /usr/lib/postgresql. "
            "Install Debian's package: apt-get update && apt-get install -y postgresql"
        )
    return Path(found[-1]).parent


class ThrowawayCluster:
    """`with ThrowawayCluster() as pg:` gives a running cluster; `pg.url(name)`, `pg.stop()`, `pg.start()`."""

    def __init__(self):
        self.bin = server_binaries()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.as_user = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args):
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self):
        self._run(
            str(self.bin / "initdb"),
            "--pgdata",
            str(self.data),
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        return self

    def __exit__(self, *exc):
        try:
            self.stop(mode="fast")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database="postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
        self._run(str(self.bin / "pg_ctl"), "--pgdata", str(self.data), "--log", str(self.log),
                  "--options", options, "--wait", "start")  # fmt: skip

    def stop(self, mode="immediate"):
        """`immediate` is a crash: no checkpoint, connections cut, recovery from the WAL on the next start."""
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "--pgdata", str(self.data), "--mode", mode, "--wait", "stop")

    def create_database(self, name):
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def accepting(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def wait_until_accepting(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.accepting():
                return
            time.sleep(0.05)
        raise SystemExit(f"The throwaway cluster did not come back; see {self.log}")
