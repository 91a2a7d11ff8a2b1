"""The curated synonym list (fixtures/search/synonyms.toml): what visitors type → the catalogue's terms.

Used at query time on both databases: a typed word or phrase listed under `words` also matches each
term or phrase under `means`. Entries are matched on stems, so "turisten" uses the entry for "turist".
"""

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import words as w

SYNONYMS_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "search" / "synonyms.toml"


@dataclass(frozen=True)
class Entry:
    words: tuple[str, ...]
    means: tuple[str, ...]
    lang: str
    note: str = ""


def key(text: str) -> tuple[str, ...]:
    """How a typed phrase is looked up: the stems of its words, stop words left out."""
    return tuple(w.stem(word) for word in w.words(text))


@functools.cache
def entries() -> tuple[Entry, ...]:
    with SYNONYMS_FILE.open("rb") as file:
        data = tomllib.load(file)
    return tuple(
        Entry(tuple(item["words"]), tuple(item["means"]), item.get("lang", "sv"), item.get("note", ""))
        for item in data.get("synonym", [])
    )


@functools.cache
def table() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Stems of a typed word or phrase → the catalogue phrases it also means."""
    result: dict[tuple[str, ...], list[str]] = {}
    for entry in entries():
        for typed in entry.words:
            targets = result.setdefault(key(typed), [])
            targets += [m for m in entry.means if m not in targets]
    return {k: tuple(v) for k, v in result.items() if k}


@functools.cache
def longest_phrase() -> int:
    return max((len(k) for k in table()), default=1)
