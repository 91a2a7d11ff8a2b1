"""Compile locale/*/LC_MESSAGES/*.po (django.po, and djangojs.po for the admin's scripts) to .mo files, in
pure Python (polib).

Django's own compilemessages needs GNU gettext's msgfmt on the machine; this keeps `make run` free of
system packages. Only making translations (`make messages`) needs gettext.
"""

import sys
from pathlib import Path

import polib


def compile_po(po_path: Path) -> Path:
    po = polib.pofile(str(po_path))
    problems = [e.msgid for e in po if e.fuzzy or not e.translated()] if po else []
    if problems:
        sys.exit(f"{po_path}: {len(problems)} untranslated or fuzzy entries, e.g. {problems[0]!r}")
    mo_path = po_path.with_suffix(".mo")
    po.save_as_mofile(str(mo_path))
    return mo_path


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(Path("locale").glob("*/LC_MESSAGES/*.po"))
    for path in paths:
        print(f"compiled {compile_po(path)}")
