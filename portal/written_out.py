"""Whole-catalogue downloads written out once per catalogue version and served as files.

The CSV and JSON of the whole catalogue grow with it (1.3 MB of CSV at 100 times today's data), too big to
keep in the page cache and too slow to build on every request. The first request after an edit writes the
file under DOWNLOADS_DIR, named by release, version and the site's address (the files hold absolute
links); every later one is sent from disk (by sendfile under gunicorn). One process writes while the others
wait for it (an exclusive lock on the file's lock file), a half-written file is never served (it is written
beside and renamed into place), and older versions' files are removed a minute after they were written,
whatever site address or release they were for.

If the directory cannot be written, the download is built and streamed on each request instead: slower, never
an error.
"""

import fcntl
import hashlib
import logging
import os
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("portal.downloads")


# Older versions' files are removed once they are this old: a request that read the version just before an
# edit may still be opening one, and a rush of hosts or ports must not pile files up.
KEEP_SECONDS = 60


def written_out(request, name: str, chunks):
    """`name` for this request's catalogue version, open for reading: written from `chunks()` if it is not
    there yet. None if it cannot be written or read (then stream `chunks()` instead)."""
    version = getattr(request, "catalogue_version", None)
    if version is None:  # not through portal.page_cache.public_page (staff): nothing to key the file by
        return None
    site = hashlib.sha256(f"{request.scheme}://{request.get_host()}".encode()).hexdigest()[:12]
    stem, suffix = os.path.splitext(name)
    directory = Path(settings.DOWNLOADS_DIR)
    path = (
        directory
        / f"{stem}-{hashlib.sha256(settings.RELEASE.encode()).hexdigest()[:12]}-{site}-{version}{suffix}"
    )
    try:
        return open(path, "rb")  # noqa: SIM115 - the response closes it
    except FileNotFoundError:
        pass
    except OSError as error:
        logger.warning("cannot read %s (%s): streaming it instead", path, error)
        return None
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / f".{stem}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be writing this very file
            if not path.exists():
                try:
                    with open(partial, "w", encoding="utf-8") as out:
                        for chunk in chunks():
                            out.write(chunk)
                    os.replace(partial, path)
                finally:
                    partial.unlink(missing_ok=True)
                _remove_older(directory, stem, suffix, path)
        return open(path, "rb")  # noqa: SIM115 - the response closes it
    except OSError as error:
        logger.warning("cannot write %s under %s (%s): streaming it instead", name, directory, error)
        return None


def _remove_older(directory, stem, suffix, current):
    now = time.time()
    for older in directory.glob(f"{stem}-*{suffix}"):
        try:
            if older != current and now - older.stat().st_mtime > KEEP_SECONDS:
                older.unlink(missing_ok=True)
        except OSError:
            pass
