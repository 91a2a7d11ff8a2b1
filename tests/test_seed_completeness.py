"""The seeded catalogue against the two source texts: nothing lost, nothing invented, all attributed.

These tests read fixtures/sources/*.txt themselves, independently of the curated fixtures, and compare
with what `seed` put in the database:
- every region, phone number, e-mail address and URL in the texts is in the database, exactly as written;
- every sentence of the texts is in the database (layout lines listed in sources.toml excepted);
- every text the database attributes to a source is found, word for word, in that source;
- the counts per region are what the texts say.
"""

import re
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

from contacts.models import Contact
from initiatives.models import Activity, FocusArea, Link, MandatoryArea, Status
from regions.models import Region, Source
from regions.seeding import SECTION_SEPARATOR

SOURCES_DIR = Path(settings.SEED_DIR) / "sources"
OVERVIEW = "tillvaxtverket-sa-arbetar-regionerna"
KALMAR_PAGE = "region-kalmar-lan-vi-soker-nya-vagar"

PHONE = re.compile(r"(?<![\d-])0\d{1,3}\s?-\s?[\d ]*\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"https?://\S+")
# A sentence ends at . ! ? or : (perhaps inside a closing quote) followed by a space and something that
# starts a new sentence.
SENTENCE_END = re.compile(r"(?:(?<=[.!?:])|(?<=[.!?:][\"”]))\s+(?=[\"”“A-ZÅÄÖ0-9])")
CONTACT_LINE = re.compile(r"^Kontakt(person|personer)?:")
# What is left of a contact line once names, organisations, numbers and addresses are taken out.
CONTACT_CONNECTIVES = re.compile(r"^(kontakt(person|personer)?|tfn|tel|och|[\s,.:()])*$", re.IGNORECASE)


def source_text(slug: str) -> str:
    return (SOURCES_DIR / f"{slug}.txt").read_text(encoding="utf-8")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def sentences(text: str) -> list[str]:
    """The sentences of a text, without list markers and trailing punctuation."""
    result = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(•|\d+\.)\s*", "", line).strip()
        for part in SENTENCE_END.split(line):
            part = normalise(part).rstrip(" .:")
            if part:
                result.append(part)
    return result


def found(sentence: str, text: str) -> bool:
    """Word for word, except that a heading may capitalise a phrase taken from inside a sentence."""
    return sentence in text or (sentence[:1].lower() + sentence[1:]) in text


def not_imported() -> dict[str, set[str]]:
    data = tomllib.loads((Path(settings.SEED_DIR) / "catalogue" / "sources.toml").read_text(encoding="utf-8"))
    lines = defaultdict(set)
    for item in data.get("not_imported", []):
        lines[item["source"]].add(item["text"])
    return lines


def attributed_texts():
    """(source slug, what, text) for every text field in the database that claims a source."""
    for source in Source.objects.all():
        yield (
            source.slug,
            f"source {source.slug}",
            "\n".join([source.title, source.publisher, source.introduction]),
        )
    for area in MandatoryArea.objects.select_related("source"):
        yield area.source.slug, f"mandatory area {area.number}", area.description
    for region in Region.objects.select_related("source"):
        yield region.source.slug, region.name, region.introduction
    for fa in FocusArea.objects.select_related("source", "region"):
        yield fa.source.slug, f"{fa.region.name} › {fa.title}", "\n".join([fa.title, fa.summary, fa.body])
    for activity in Activity.objects.select_related("source", "focus_area"):
        yield activity.source.slug, f"activity {activity}", "\n".join([activity.title, activity.body])
    for link in Link.objects.select_related("source"):
        yield link.source.slug, f"link {link.label}", "\n".join([link.label, link.url])
    for contact in Contact.objects.select_related("source"):
        fields = [contact.name, contact.phone, contact.email]
        yield contact.source.slug, f"contact {contact.name}", "\n".join(f for f in fields if f)
    for model in (Region, FocusArea, Activity, Link, Contact, MandatoryArea):
        for obj in model.objects.select_related("source"):
            yield obj.source.slug, f"section of {obj}", "\n".join(obj.source_section.split(SECTION_SEPARATOR))


def database_corpus(source_slug: str) -> str:
    """Everything the database attributes to one source, one field a line, whitespace normalised."""
    return "\n".join(
        normalise(text)
        for slug, _, text in attributed_texts()
        if slug == source_slug
        for text in text.splitlines()
    )


pytestmark = pytest.mark.usefixtures("seeded")


def test_all_21_regions_from_the_overview_are_seeded():
    headings = re.findall(
        r"^(Region [\wÅÄÖåäö ]+|Västra Götalandsregionen)$", source_text(OVERVIEW), re.MULTILINE
    )
    assert len(headings) == 21
    assert sorted(Region.objects.values_list("name", flat=True)) == sorted(headings)
    assert sorted(Region.objects.values_list("county_code", flat=True)) == sorted(
        ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
         "14", "17", "18", "19", "20", "21", "22", "23", "24", "25"]
    )  # fmt: skip


@pytest.mark.parametrize("slug", [OVERVIEW, KALMAR_PAGE])
def test_every_phone_number_email_and_url_is_kept_exactly_as_written(slug):
    text = source_text(slug)
    phones = {m.strip() for m in PHONE.findall(text)}
    emails = {m.rstrip(".") for m in EMAIL.findall(text)}
    urls = set(URL.findall(text))
    if slug == OVERVIEW:
        assert len(phones) == 16 and len(emails) == 6 and len(urls) == 7
    assert phones <= set(Contact.objects.values_list("phone", flat=True))
    assert emails <= set(Contact.objects.values_list("email", flat=True))
    assert urls <= set(Link.objects.values_list("url", flat=True))


@pytest.mark.parametrize("slug", [OVERVIEW, KALMAR_PAGE])
def test_every_sentence_of_the_source_is_in_the_database(slug):
    corpus = database_corpus(slug)
    contacts = Contact.objects.filter(source__slug=slug)
    contact_words = sorted(
        {w for c in contacts for w in (c.name, c.phone, c.email, c.organisation) if w}, key=len, reverse=True
    )
    skipped = not_imported()[slug]
    missing = []
    for line in source_text(slug).splitlines():
        line = line.strip()
        if not line or line in skipped:
            continue
        if CONTACT_LINE.match(line):
            rest = line
            for word in contact_words:
                rest = re.sub(re.escape(word), " ", rest, flags=re.IGNORECASE)
            if not CONTACT_CONNECTIVES.match(rest):
                missing.append(f"contact line {line!r} leaves {rest!r}")
            continue
        # A listed sentence inside a line ("Läs om dem nedan!") is skipped as a whole line is.
        missing += [s for s in sentences(line) if s not in corpus and s not in skipped]
    assert missing == []


def test_every_attributed_text_is_found_word_for_word_in_its_source():
    sources = {slug: normalise(source_text(slug)) for slug in (OVERVIEW, KALMAR_PAGE)}
    invented = [
        (what, sentence)
        for slug, what, text in attributed_texts()
        for sentence in sentences(text)
        if not found(sentence, sources[slug])
    ]
    # The one completed address: the source names the site as "utvecklanorrbotten.se".
    assert invented == [("link utvecklanorrbotten.se", "https://utvecklanorrbotten.se")]


# What the texts say each region has: insatsområden, contacts, links (with or without an address).
EXPECTED_COUNTS = {
    "blekinge": (2, 1, 0),
    "dalarna": (2, 1, 0),
    "gotland": (2, 1, 1),
    "gavleborg": (2, 1, 0),
    "halland": (4, 1, 0),
    "jamtland-harjedalen": (2, 0, 0),
    "jonkoping": (2, 1, 0),
    "kalmar": (5, 7, 3),  # 2 in both texts + 3 only on the region's page; 1 contact + 6 from its page
    "kronoberg": (4, 1, 1),
    "norrbotten": (2, 1, 2),
    "skane": (2, 1, 2),
    "stockholm": (1, 1, 0),
    "sormland": (4, 1, 1),  # 2 under the mandatory areas + 2 self-chosen
    "uppsala": (2, 1, 0),
    "varmland": (5, 1, 0),
    "vasterbotten": (2, 1, 0),
    "vasternorrland": (2, 2, 0),
    "vastmanland": (4, 1, 1),
    "vastra-gotaland": (3, 3, 0),
    "orebro": (2, 1, 0),
    "ostergotland": (2, 1, 3),
}


def test_counts_per_region_are_what_the_texts_say():
    actual = {
        region.slug: (region.focus_areas.count(), region.contacts.count(), region.links.count())
        for region in Region.objects.all()
    }
    assert actual == EXPECTED_COUNTS


def test_seeded_insatsomraden_are_published_and_classified():
    assert FocusArea.objects.exclude(status=Status.PUBLISHED).count() == 0
    assert FocusArea.objects.filter(themes=None).count() == 0
    assert FocusArea.objects.filter(dimensions=None).count() == 0


def test_kalmar_merges_both_texts_and_keeps_their_disagreement_attributed():
    kalmar = Region.objects.get(slug="kalmar")
    assert kalmar.source.slug == KALMAR_PAGE  # the introduction comes from the region's own page
    digital = kalmar.focus_areas.get(slug="digital-omstallning")
    assert digital.source.slug == OVERVIEW and "Sju kommuner har anmält intresse" in digital.body
    office = digital.activities.get(title="Landsbygdskontor")
    assert office.source.slug == KALMAR_PAGE and "Sex kommuner har anmält intresse" in office.body
    assert office.source_section.endswith("Digital omställning för hållbar regional utveckling")
    only_on_kalmar_page = kalmar.focus_areas.filter(source__slug=KALMAR_PAGE).values_list("slug", flat=True)
    assert sorted(only_on_kalmar_page) == [
        "finansiering",
        "overgripande-hallbarhetskunskap",
        "samsyn-i-det-regionala-ledarskapet",
    ]
    assert list(Contact.objects.get(name="Martina Almqvist").focus_areas.values_list("slug", flat=True)) == [
        "samsyn-i-det-regionala-ledarskapet"
    ]


def test_contacts_named_per_insatsomrade_are_linked_to_it():
    per_area = {
        c.name: sorted(c.focus_areas.values_list("slug", flat=True))
        for c in Contact.objects.filter(region__slug="vastra-gotaland")
    }
    assert per_area == {
        "Erika Moberg": ["samverkan-for-ett-hallbart-och-diversifierat-naringsliv"],
        "Josef Gustafsson": ["finansiering"],
        "Maria Jakobsson": ["overgripande-omstallning"],
    }


def test_odd_details_are_kept_as_written():
    halland = Contact.objects.get(region__slug="halland")
    assert (halland.name, halland.email) == ("Lindha Feldin", "linda.fehldin@regionhalland.se")
    assert Contact.objects.get(name="Henrik Nilsson").phone == "023 - 777097"
    assert Contact.objects.get(name="Henrik Nilsson").phone_normalised == "+4623777097"
    assert FocusArea.objects.get(region__slug="vastmanland", slug="hallbarhetssakrad-finansering").title == (
        "Hållbarhetssäkrad finansering"
    )


def test_mandatory_area_work_is_linked_where_a_region_describes_it():
    linked = {
        (fa.region.slug, fa.slug, fa.mandatory_area.number)
        for fa in FocusArea.objects.exclude(mandatory_area=None).select_related("region", "mandatory_area")
    }
    assert linked == {
        ("kalmar", "finansiering", 1),
        ("kronoberg", "hallbarhetssakring-av-foretagsstod", 1),
        ("sormland", "hallbar-finansiering", 1),
        ("sormland", "nya-arbetssatt-och-metoder", 2),
        ("vastmanland", "hallbarhetssakrad-finansering", 1),
        ("vastmanland", "overgripande-omstallningsarbete", 2),
        ("vastra-gotaland", "finansiering", 1),
        ("vastra-gotaland", "overgripande-omstallning", 2),
    }
