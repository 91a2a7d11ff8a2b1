"""The curated synonym list (fixtures/search/synonyms.toml), one test per entry, on both databases.

Each entry must lead somewhere: every term it means occurs in the catalogue (finds something), and each
word it lists finds at least the insatsområden its terms find, so that "turism" finds what
"besöksnäring" finds.
"""

import pytest

from initiatives.search import matching_focus_area_ids, search, synonyms

pytestmark = pytest.mark.usefixtures("seeded")

ENTRIES = synonyms.entries()


def test_the_list_is_loaded():
    assert len(ENTRIES) >= 40
    assert "besöksnäring" in synonyms.table()[synonyms.key("turism")]
    assert synonyms.table()[synonyms.key("turisterna")] == synonyms.table()[synonyms.key("turist")]  # stems


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.words[0])
def test_an_entry_leads_to_what_its_terms_find(entry):
    for meaning in entry.means:
        assert search(f'"{meaning}"').hits or search(meaning).hits, (
            f"{meaning!r} finds nothing in the catalogue"
        )
    wanted = set()
    for meaning in entry.means:
        wanted |= set(matching_focus_area_ids(f'"{meaning}"') or [])
    for typed in entry.words:
        found = set(matching_focus_area_ids(typed) or [])
        assert wanted <= found, (typed, sorted(wanted - found))
