"""Hostile and broken input: random and adversarial query strings, paths and headers (Hypothesis) against
every public GET view and API endpoint. Whatever comes in, the answer is never a 5xx.

Two depths of the same tests. FUZZ_EXAMPLES sets the generated examples per view: 100 by default, the
fast pass of `make test`; `.ci/run` runs the deep pass, 300 per view, once, on PostgreSQL. On top of the
generated ones, every view always gets each hostile value of NASTY in every parameter and every header
(`hostile_examples`), so even the fast pass reaches every view with every kind of hostile value.
Examples are derandomized: the same run gives the same examples, and a failure reproduces.

The views run against a small catalogue with every kind of record and relation (two regions, drafts,
hidden contacts, links, both mandatory areas), not the seeded one: what is fuzzed here is the handling
of input, and rendering the whole catalogue 25,000 times would make this file take a quarter of an hour.
Hostile *content* is tests/test_hostile_content.py's subject.
"""

import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from initiatives.models import Dimension, MandatoryArea, SdgGoal, Status

from .factories import make_activity, make_contact, make_focus_area, make_link, make_region, make_theme


@pytest.fixture(scope="module")
def fuzz_catalogue(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        mandatory = [
            MandatoryArea.objects.create(
                number=1, slug="hallbarhet-i-foretagsstod-och-projektmedel", title="Ett"
            ),
            MandatoryArea.objects.create(number=2, slug="hallbarhet-i-regionala-strategier", title="Två"),
        ]
        circular, other = make_theme(slug="cirkular-ekonomi", name="Cirkulär ekonomi"), make_theme()
        kalmar = make_region(slug="kalmar", name="Region Kalmar län", short_name="Kalmar")
        gotland = make_region(slug="gotland", name="Region Gotland", short_name="Gotland")
        for region in (kalmar, gotland):
            areas = [
                make_focus_area(region=region, slug="digital-omstallning", themes=[circular]),
                make_focus_area(region=region, themes=[circular, other], mandatory_area=mandatory[0]),
                make_focus_area(region=region, themes=[other], mandatory_area=mandatory[1]),
                make_focus_area(region=region, status=Status.DRAFT),
            ]
            for area in areas:
                area.dimensions.set(Dimension.objects.all()[:2])
                area.sdg_goals.set(SdgGoal.objects.all()[:3])
                make_activity(area)
            make_contact(region, focus_areas=areas[:2])
            make_contact(region, is_public=False)
            make_link(region)
            make_link(region, focus_area=areas[0])
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _catalogue(fuzz_catalogue, db):
    pass


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible, CI is not flaky
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

VIEWS = [
    "/",
    "/regioner/",
    "/regioner/kalmar/",
    "/regioner/kalmar/digital-omstallning/",
    "/insatsomraden/",
    "/teman/",
    "/teman/cirkular-ekonomi/",
    "/obligatoriska-omraden/hallbarhet-i-foretagsstod-och-projektmedel/",
    "/jamfor/",
    "/sok/",
    "/om/",
    "/tillganglighet/",
    "/en/insatsomraden/",
    "/en/sok/",
    "/insatsomraden/flode/",
    "/insatsomraden/ladda-ner.csv",
    "/insatsomraden/ladda-ner.json",
    "/sitemap.xml",
    "/datasets/dcat",
    "/api/v1/",
    "/api/v1/regions/",
    "/api/v1/regions/kalmar/",
    "/api/v1/focus-areas/",
    "/api/v1/themes/",
    "/api/v1/mandatory-areas/",
]
PARAMETERS = ["q", "region", "tema", "dimension", "omrade", "agenda2030", "sortera", "sida", "page", "limit"]
NASTY = [
    "",
    " ",
    "\x00",
    "%00",
    "'; DROP TABLE regions_region; --",
    '"><script>alert(1)</script>',
    "javascript:alert(1)",
    "../../../../etc/passwd",
    "-1",
    "0",
    "9" * 40,
    "1e308",
    "NaN",
    "ÅÄÖ åäö é ß",
    "🏳️‍🌈" * 30,
    "kalmar" * 200,
    '"unclosed',
    "a & b | !c <-> d:*",
    "x" * 5000,
]
# Any text a browser can send (lone surrogates cannot be encoded at all; invalid UTF-8 is tested below).
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)
values = st.one_of(st.sampled_from(NASTY), TEXT, st.integers().map(str))
queries = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=20)), values), max_size=8
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "accept-language": st.one_of(st.sampled_from(["en", "sv-SE,sv;q=0.9", "*", "xx;q=abc"]), st.text()),
        "if-none-match": st.one_of(st.sampled_from(['"x"', "*", 'W/"1-sv"']), st.text(max_size=100)),
        "if-modified-since": st.one_of(st.sampled_from(["Thu, 01 Jan 1970 00:00:00 GMT", "igår"]), st.text()),
        "cookie": st.text(max_size=200),  # a broken or forged session cookie included
        "accept": st.sampled_from(["text/html", "application/json", "*/*", "garbage/;;"]),
    },
)


def printable_header(value):
    # HTTP header values are latin-1 on the wire; the test client refuses anything else outright.
    return value.encode("latin-1", "replace").decode("latin-1").replace("\r", " ").replace("\n", " ")


@pytest.mark.parametrize("path", VIEWS)
def test_every_fuzzed_view_exists(client, path):
    # Fuzzing a 404 would test nothing: each address answers with its real page first.
    assert client.get(path).status_code == 200, path


HEADER_NAMES = ["accept-language", "if-none-match", "if-modified-since", "cookie", "accept"]


def hostile_examples(test):
    """Each hostile value in every parameter at once, and in every header, as explicit examples.

    Hypothesis runs these first and on every run, whatever FUZZ_EXAMPLES is.
    """
    for value in NASTY:
        every_parameter = [(name, value) for name in PARAMETERS]
        test = example(query=every_parameter, extra=dict.fromkeys(HEADER_NAMES, value))(test)
    return test


@pytest.mark.parametrize("path", VIEWS)
@FUZZ
@given(query=queries, extra=headers)
@hostile_examples
def test_no_query_string_or_header_makes_a_server_error(client, path, query, extra):
    data = {}
    for name, value in query:
        data.setdefault(name, []).append(value)
    response = client.get(path, data, headers={k: printable_header(v) for k, v in extra.items()})
    assert response.status_code < 500, (path, query, extra)


PREFIXES = [
    "/regioner/",
    "/regioner/kalmar/",
    "/teman/",
    "/obligatoriska-omraden/",
    "/en/",
    "/api/v1/regions/",
]


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("segment", NASTY)
def test_no_hostile_path_segment_makes_a_server_error(client, prefix, segment):
    response = client.get(prefix + segment.replace("?", "%3F").replace("#", "%23") + "/")
    assert response.status_code < 500, (prefix, segment)


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), segment=st.one_of(st.sampled_from(NASTY), TEXT))
def test_no_path_makes_a_server_error(client, prefix, segment):
    response = client.get(prefix + segment.replace("?", "%3F").replace("#", "%23") + "/")
    assert response.status_code < 500, (prefix, segment)


RAW_QUERIES = [
    "q=%FF%FE",
    "q=%ED%A0%80",
    "region=%C3",
    "sida=%00",
    "q=%",
    "%%%",
    "tema[]=x&tema[0]=y",
    "q=" + "%41" * 3000,
]


@pytest.mark.parametrize("path", ["/insatsomraden/", "/sok/", "/jamfor/", "/api/v1/focus-areas/", "/en/sok/"])
@pytest.mark.parametrize("raw", RAW_QUERIES)
def test_invalid_percent_encoding_is_not_a_server_error(client, path, raw):
    assert client.get(f"{path}?{raw}").status_code < 500
