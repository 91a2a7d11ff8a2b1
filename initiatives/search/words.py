"""From text to the terms the search index holds and a query looks for. The same in Python for both
databases, so that SQLite (the embedded default) and PostgreSQL find the same things.

A word becomes up to three kinds of term:
- its **stem** (Snowball's Swedish stemmer on the case-folded word: "Besöksnäringen" → "besöksnäring");
- its **folded** stem, without diacritics ("besoksnaring"), so that ASCII-typed Swedish finds it (the
  index holds it beside the stem; a query typed with å/ä/ö matches it only at the lowest weight, so
  that å/ä/ö still count where they are typed: query.py);
- the stems of its **parts** where it is a compound ("landsbygdskontor" → "landsbygd", "kontor"), split
  with a real Swedish word list (wordfreq's frequencies), so that a later part finds the compound.

Stop words (Snowball's Swedish list, and a few English ones for English queries) are left out of both the
index and the query (fixtures/search/stopwords.toml, which also lists the prefixes that are never a
part). The word list is loaded once per process, on the first compound met (0.2 s).
"""

import functools
import math
import re
import tomllib
import unicodedata
from pathlib import Path

import snowballstemmer

STOPWORDS_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "search" / "stopwords.toml"
WORD = re.compile(r"[^\W_]+")

# Compounds: a word is split only if it is long and not itself a common word ("transport",
# "infrastruktur", "samverkan" stay whole), and only into parts that are common words.
COMPOUND_MIN_LENGTH = 8
COMMON_WORD_ZIPF = 3.3  # wordfreq's Zipf scale: 3 is once per million words
PART_MIN_LENGTH = 3
PART_MIN_ZIPF = 3.0
SHORT_PART_MIN_ZIPF = 3.6  # parts of 3–4 letters must be commoner still ("mat", "hav", "skog")
LINKING = ("s", "e", "a", "u", "o")
UNKNOWN_TAIL_MIN_LENGTH = 6  # fogemorfem: besök-s-näring, skol-a (skolarbete), gat-u-kök


@functools.cache
def _lists() -> dict[str, list[str]]:
    with STOPWORDS_FILE.open("rb") as file:
        return tomllib.load(file)


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(_lists()["sv"] + _lists()["en"])


@functools.cache
def _not_parts() -> frozenset[str]:
    return _stopwords() | frozenset(_lists()["not_parts"])


def is_stopword(word: str) -> bool:
    return word.casefold() in _stopwords()


_swedish = snowballstemmer.stemmer("swedish")
_english = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Swedish Snowball stem of a case-folded word."""
    return _swedish.stemWord(word)


@functools.lru_cache(maxsize=20_000)
def english_stem(word: str) -> str:
    return _english.stemWord(word)


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Without diacritics: å ä → a, ö → o, é → e (what PostgreSQL's unaccent does for Swedish)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str | None) -> list[str]:
    """The case-folded words of a text, stop words left out."""
    stop = _stopwords()
    return [w for w in WORD.findall((text or "").casefold()) if w not in stop]


@functools.cache
def _zipf() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return {
        word: round(math.log10(frequency * 1e9), 2)
        for word, frequency in get_frequency_dict("sv", wordlist="large").items()
        if frequency >= 10**PART_MIN_ZIPF / 1e9 and word.isalpha()
    }


def warm() -> None:
    """Load the word list now (portal/wsgi.py), not on the first search."""
    _zipf()
    _stopwords()


def _is_part(word: str) -> bool:
    if len(word) < PART_MIN_LENGTH or word in _not_parts():
        return False
    zipf = _zipf().get(word, 0)
    return zipf >= (SHORT_PART_MIN_ZIPF if len(word) <= 4 else PART_MIN_ZIPF)


def _head_forms(head: str) -> list[str]:
    """What a compound's first part may stand for: itself, or without its linking letter ("besöks" →
    "besök"), or with the -e or -a the link replaced ("arbets" → "arbete", "folkhälso" → "folkhälsa")."""
    forms = [head]
    if head[-1] in LINKING:
        forms.append(head[:-1])
    if head[-1] == "s":
        forms.append(head[:-1] + "e")
    if head[-1] in "ou":  # folkhälso- for folkhälsa, gatu- for gata
        forms.append(head[:-1] + "a")
    return forms


@functools.lru_cache(maxsize=100_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The parts of a case-folded Swedish compound, or () if it is not one: "besöksnäringen" →
    ("besök", "näringen"), "arbetsmarknaden" → ("arbete", "marknaden")."""
    if len(word) < COMPOUND_MIN_LENGTH or not word.isalpha() or _zipf().get(word, 0) >= COMMON_WORD_ZIPF:
        return ()
    return _split(word, whole=False)


@functools.lru_cache(maxsize=100_000)
def _split(word: str, whole: bool = True) -> tuple[str, ...]:
    """The best split of a word into common words (the word itself if `whole` and it is one): the fewest
    parts, then the longest last part (the head of a Swedish compound, what it is). The last part may be
    inflected ("näringen")."""
    if whole and (_is_part(word) or _is_part(stem(word))):
        return (word,)
    best = ()
    for i in range(len(word) - PART_MIN_LENGTH, PART_MIN_LENGTH - 1, -1):
        head = next((form for form in _head_forms(word[:i]) if _is_part(form)), None)
        if head is None:
            continue
        rest = _split(word[i:])
        if not rest and head != word[:i] and word[i - 1] == "s" and len(word) - i >= UNKNOWN_TAIL_MIN_LENGTH:
            # A linking s after a common word ("kunskaps-") marks a compound whatever follows it: a tail
            # the word list lacks ("webinarier") is still a part.
            rest = (word[i:],)
        if rest and (not best or len(rest) + 1 < len(best)):
            best = (head, *rest)
    return best


FOLDED = "x0"  # marks a folded form in the index: "x0gavleborg" is "Gävleborg" typed without diacritics


@functools.lru_cache(maxsize=200_000)
def index_tokens(word: str) -> tuple[str, ...]:
    """What a case-folded word of a text becomes in the index (as index.py writes it): its stem, its
    folded form (marked where it differs from the stem), and its parts' stems (their folded forms
    marked where they differ)."""
    stemmed, folded, parts = word_terms(word)
    tokens = [stemmed, folded if folded == stemmed else FOLDED + folded]
    for part in parts:
        tokens.append(part)
        if fold(part) != part:
            tokens.append(FOLDED + fold(part))
    return tuple(tokens)


@functools.lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, str, tuple[str, ...]]:
    """A case-folded word's stem, folded stem and its parts' stems."""
    stemmed = stem(word)
    return stemmed, fold(stemmed), tuple(stem(part) for part in compound_parts(word))
