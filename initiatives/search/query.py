"""What a visitor typed, as a query both databases can run: parsed, normalised and expanded in Python,
then written in SQLite FTS5's or PostgreSQL tsquery's syntax from the same tree.

- Every word must match (AND), unless words are joined by OR; `-word` excludes; "quotes" make a phrase.
- A word matches its stem anywhere: title, tags and body hold each word's stem and, beside it where it
  differs, its folded form (without diacritics), marked ("x0gavleborg"); other_terms holds every word's
  marked folded form again, in order (for phrases), and the compound parts. See Term.forms for which
  forms a typed word finds: å/ä/ö count where they are typed, and a short word typed without them is
  not read as one with them ("mat" is not "mät"). A stem of PREFIX_MIN letters or more also matches as
  a prefix ("besök" → "besöksnäring"); a shorter one only whole ("samer" does not reach "samverkan").
- A word that is a compound may also match its parts together ("landsbygdskontor" → landsbygd, kontor):
  `split_compounds`, which a search tries when nothing matched the words as typed.
- A word or phrase in the synonym list also matches what it means ("turism" → besöksnäring).

Only letters and digits reach either syntax, so nothing typed can break it.
"""

import re
from dataclasses import dataclass, field

from . import synonyms
from . import words as w

PREFIX_MIN = 5
FOLD_MIN = 5
# A phrase in quotes, or a word; either may be excluded by a "-" that starts it (not one inside a word:
# "EU-pengar" is two words).
TOKEN = re.compile(r'((?<![^\s(])-)?"([^"]*)"?|((?<![^\s(])-)?([^\W_]+)|(\S)')


@dataclass(frozen=True)
class Term:
    stem: str
    folded: str
    prefix: bool
    english: str = ""  # the English stem, where the word may be English and that differs
    long: bool = False  # typed with FOLD_MIN letters or more

    @classmethod
    def of(cls, word: str) -> "Term":
        stemmed = w.stem(word)
        english = w.english_stem(word) if word.isascii() and word.isalpha() else ""
        return cls(
            stemmed,
            w.fold(stemmed),
            len(stemmed) >= PREFIX_MIN and not word.isdigit(),
            english if english != stemmed else "",
            len(word) >= FOLD_MIN,
        )

    @property
    def typed_plain(self) -> bool:
        """Typed without diacritics (or with none to type)."""
        return self.stem == self.folded

    @property
    def forms(self) -> tuple[str, ...]:
        """The index tokens this term finds (as prefixes, if `prefix`):
        - typed with å/ä/ö: the stem, and its folded form (at the lowest weight: `low_forms`);
        - typed without, FOLD_MIN letters or more: the stem, and the folded forms of words written
          with å/ä/ö ("gavleborg" finds "Gävleborg", "Coster" finds "Cöster");
        - typed without, shorter: the stem only, so that "mat" does not find "mäta"."""
        forms = [self.stem] + ([self.english] if self.english else [])
        if self.typed_plain and self.long:
            forms.append(w.FOLDED + self.stem)
        return tuple(forms) + self.low_forms

    @property
    def phrase_form(self) -> str:
        """The token in other_terms' sequence of folded words: a phrase typed without diacritics finds
        only words written without them (one token a position; FTS5 has no OR inside a phrase)."""
        return self.stem if self.typed_plain else w.FOLDED + self.folded

    @property
    def low_forms(self) -> tuple[str, ...]:
        return (w.FOLDED + self.folded,) if not self.typed_plain else ()

    def matches(self, token: str) -> bool:
        """Whether an index token is what this term finds."""
        return any(token == form or (self.prefix and token.startswith(form)) for form in self.forms)


@dataclass(frozen=True)
class Alternative:
    """Terms that must all match; as a phrase, next to each other in this order."""

    terms: tuple[Term, ...]
    phrase: bool = False


@dataclass
class Unit:
    """One typed word or phrase, and every way it may match."""

    typed: str
    alternatives: list[Alternative]
    correctable: bool = True  # a single word, which a spelling correction may replace


@dataclass
class Query:
    clauses: list[list[Unit]] = field(default_factory=list)  # all clauses; any unit of a clause
    excluded: list[Unit] = field(default_factory=list)

    @property
    def units(self) -> list[Unit]:
        return [unit for clause in self.clauses for unit in clause]

    @property
    def terms(self) -> list[Term]:
        return [t for unit in self.units for alt in unit.alternatives for t in alt.terms]

    def __bool__(self):
        return bool(self.clauses)

    @property
    def only_excludes(self) -> bool:
        return not self.clauses and bool(self.excluded)


def _alternatives_for(phrase: str) -> list[Alternative]:
    """A catalogue phrase of the synonym list as one alternative: its words together."""
    terms = tuple(Term.of(word) for word in w.words(phrase))
    return [Alternative(terms)] if terms else []


def word_unit(word: str, split: bool = False) -> Unit:
    """A typed word and its synonyms; with `split`, also its compound parts as words of their own
    ("landsbygdskontor" → "kontor på landsbygden"), which a search tries only when the whole word
    found nothing (the index holds the parts of its own compounds already)."""
    alternatives = [Alternative((Term.of(word),))]
    parts = w.compound_parts(word) if split else ()
    if parts:
        alternatives.append(Alternative(tuple(Term.of(part) for part in parts)))
    for meaning in synonyms.table().get((w.stem(word),), ()):
        alternatives += _alternatives_for(meaning)
    return Unit(word, alternatives)


GOAL_WORDS = {"mål", "mal", "goal", "sdg"}


def _goal_unit(word: str, number: str) -> Unit | None:
    """ "mål 12", "goal 12", "SDG 12": Agenda 2030 goal 12 (as the index tags it), not any "mål" next to
    any 12."""
    if word not in GOAL_WORDS or not number.isdigit() or not 1 <= int(number) <= 17:
        return None
    alternatives = [Alternative((Term.of(name), Term.of(number)), phrase=True) for name in ("mål", "goal")]
    return Unit(f"{word} {number}", alternatives, correctable=False)


def _units_of(plain_words: list[str]) -> list[Unit]:
    """Words as units; a goal by number ("mål 12") and a phrase of the synonym list ("circular economy")
    as one unit each."""
    table, units, i = synonyms.table(), [], 0
    stems = [w.stem(word) for word in plain_words]
    while i < len(plain_words):
        goal = _goal_unit(plain_words[i], plain_words[i + 1]) if i + 1 < len(plain_words) else None
        if goal:
            units.append(goal)
            i += 2
            continue
        for length in range(min(synonyms.longest_phrase(), len(plain_words) - i), 1, -1):
            meanings = table.get(tuple(stems[i : i + length]))
            if meanings:
                typed = plain_words[i : i + length]
                alternatives = [Alternative(tuple(Term.of(x) for x in typed))]
                for meaning in meanings:
                    alternatives += _alternatives_for(meaning)
                units.append(Unit(" ".join(typed), alternatives, correctable=False))
                i += length
                break
        else:
            units.append(word_unit(plain_words[i]))
            i += 1
    return units


def parse(text: str, max_words: int = 10) -> Query:
    """The query in `text` (cleaned already: see clean_query)."""
    query = Query()
    clause_words: list[str] = []  # plain words waiting to become units of the current clause
    joined = False  # the last token was OR
    count = 0

    def flush_words():
        for unit in _units_of(clause_words):
            _add(unit)
        clause_words.clear()

    def _add(unit):
        nonlocal joined
        if joined and query.clauses:
            query.clauses[-1].append(unit)
        else:
            query.clauses.append([unit])
        joined = False

    for match in TOKEN.finditer(text):
        negated_phrase, phrase, negated_word, word, _other = match.groups()
        if count >= max_words:
            break
        if phrase is not None:
            flush_words()
            phrase_words = w.words(phrase)
            count += len(phrase_words)
            if not phrase_words:
                continue
            terms = tuple(Term.of(x) for x in phrase_words)
            unit = Unit(phrase.strip(), [Alternative(terms, phrase=len(terms) > 1)], correctable=False)
            if negated_phrase:
                query.excluded.append(unit)
            else:
                _add(unit)
        elif word is not None:
            count += 1
            if word == "OR" and (clause_words or query.clauses):
                flush_words()
                joined = True
                continue
            folded = word.casefold()
            if w.is_stopword(folded) or (len(folded) < 2 and not folded.isdigit()):
                continue
            if negated_word:
                flush_words()
                query.excluded.append(word_unit(folded))
            else:
                if joined:
                    flush_words()
                    _add(word_unit(folded))
                else:
                    clause_words.append(folded)
    flush_words()
    return query


def split_compounds(query: Query) -> Query:
    """The query with each typed compound also matching its parts as words; empty if it has none."""
    changed = False
    for clause in query.clauses:
        for i, unit in enumerate(clause):
            if unit.correctable and w.compound_parts(unit.typed):
                clause[i] = word_unit(unit.typed, split=True)
                changed = True
    return query if changed else Query()


def any_of(query: Query) -> Query:
    """The same words, any one of them enough: the fallback when no document has them all."""
    return Query([query.units], query.excluded) if len(query.units) > 1 else Query()


# --- SQLite FTS5 ---------------------------------------------------------------------------------

MAIN = "{title_terms tag_terms body_terms}"
OTHER = "other_terms"


def _fts_token(term: str, prefix: bool) -> str:
    return f'"{term}"' + ("*" if prefix else "")


def _fts_term(term: Term) -> str:
    main = " OR ".join(_fts_token(form, term.prefix) for form in term.forms if form not in term.low_forms)
    if not term.low_forms:
        return f"({main})"
    low = " OR ".join(_fts_token(form, term.prefix) for form in term.low_forms)
    return f"(({main}) OR {OTHER} : ({low}))"


def _fts_alternative(alternative: Alternative) -> str:
    if alternative.phrase:  # as folded words, which stand next to each other only in other_terms
        phrase = " + ".join(_fts_token(t.phrase_form, t.prefix) for t in alternative.terms)
        return f"({OTHER} : ({phrase}))"
    return "(" + " AND ".join(_fts_term(t) for t in alternative.terms) + ")"


def _fts_unit(unit: Unit) -> str:
    return "(" + " OR ".join(_fts_alternative(a) for a in unit.alternatives) + ")"


def fts5(query: Query) -> str:
    clauses = ["(" + " OR ".join(_fts_unit(u) for u in clause) + ")" for clause in query.clauses]
    expression = " AND ".join(clauses)
    for unit in query.excluded:
        expression += " NOT " + _fts_unit(unit)
    return expression


# --- PostgreSQL tsquery (weights: A title, B tags, C body, D other_terms) --------------------------


def _ts_token(term: str, prefix: bool, weights: str) -> str:
    suffix = ("*" if prefix else "") + weights
    return f"'{term}':{suffix}" if suffix else f"'{term}'"


def _ts_term(term: Term) -> str:
    options = [_ts_token(form, term.prefix, "") for form in term.forms if form not in term.low_forms]
    options += [_ts_token(form, term.prefix, "D") for form in term.low_forms]
    return "(" + " | ".join(options) + ")"


def _ts_alternative(alternative: Alternative) -> str:
    if alternative.phrase:  # as folded words, which stand next to each other only in other_terms
        tokens = [_ts_token(t.phrase_form, t.prefix, "D") for t in alternative.terms]
        return "(" + " <-> ".join(tokens) + ")"
    return "(" + " & ".join(_ts_term(t) for t in alternative.terms) + ")"


def _ts_unit(unit: Unit) -> str:
    return "(" + " | ".join(_ts_alternative(a) for a in unit.alternatives) + ")"


def tsquery(query: Query) -> str:
    clauses = ["(" + " | ".join(_ts_unit(u) for u in clause) + ")" for clause in query.clauses]
    expression = " & ".join(clauses)
    for unit in query.excluded:
        expression += " & !" + _ts_unit(unit)
    return expression
