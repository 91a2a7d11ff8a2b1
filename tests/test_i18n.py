"""The English interface: every page type in both languages, the language switch, and the translations.

The page sweep runs on the real seeded catalogue, because what it checks is that every kind of Swedish
content the sources contain (titles, activities, sources, contacts, links without an address) is marked
lang="sv" on the English pages.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import polib
import pytest
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"

PAGE_TYPES = [
    "/",
    "/regioner/",
    "/regioner/kalmar/",
    "/regioner/kalmar/digital-omstallning/",
    "/insatsomraden/",
    "/insatsomraden/?tema=cirkular-ekonomi&dimension=miljomassig&region=nope&q=energi&sida=x",
    "/teman/",
    "/teman/cirkular-ekonomi/",
    "/obligatoriska-omraden/hallbarhet-i-foretagsstod-och-projektmedel/",
    "/jamfor/",
    "/jamfor/?region=kalmar&region=skane&region=nope",
    "/sok/?q=besöksnäringen",
    "/sok/?q=zzqx",
    "/sok/?q=a",
    "/om/",
    "/tillganglighet/",
    "/finns-inte/",
]
# One interface string per language that the page chrome always shows.
CHROME = {"sv": "Hoppa till innehållet", "en": "Skip to content"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SWEDISH_LETTERS = re.compile("[åäöÅÄÖ]")


class LanguageOfText(HTMLParser):
    """Collects the body's text nodes with the language they are in (the nearest lang attribute)."""

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, lang)
        self.texts = []  # (lang, text)
        self.in_body = False
        self.skip = 0

    def lang(self):
        return next((lang for _, lang in reversed(self.stack) if lang), None)

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in VOID:
            return
        self.stack.append((tag, dict(attrs).get("lang")))
        if tag in {"script", "style", "title"}:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag in {"script", "style", "title"}:
                self.skip -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.in_body and not self.skip and data.strip():
            self.texts.append((self.lang(), data.strip()))


def texts_by_language(html):
    parser = LanguageOfText()
    parser.feed(html)
    return parser.texts


def english(path):
    return "/en" + path


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_in_swedish_and_english(client, seeded, path):
    swedish = client.get(path)
    english_page = client.get(english(path))
    assert swedish.status_code == english_page.status_code
    assert swedish.status_code in (200, 404)
    sv_html, en_html = swedish.content.decode(), english_page.content.decode()
    assert '<html lang="sv">' in sv_html and CHROME["sv"] in sv_html
    assert '<html lang="en">' in en_html and CHROME["en"] in en_html
    assert english_page["Content-Language"] == "en"
    # Anything Swedish on an English page is content, marked as such; the interface around it is English.
    # (What the visitor typed is echoed in their own words, in no particular language.)
    typed = parse_qs(urlsplit(path).query).get("q", [""])[0]
    unmarked = [
        text
        for lang, text in texts_by_language(en_html)
        if lang != "sv" and SWEDISH_LETTERS.search(text.replace(typed, "") if typed else text)
    ]
    assert unmarked == []


@pytest.mark.parametrize("path", ["/regioner/kalmar/", "/insatsomraden/?tema=cirkular-ekonomi&sida=1"])
def test_language_switch_keeps_the_page_and_its_query(client, seeded, path):
    html = client.get(path).content.decode()
    target = english(path).replace("&", "&amp;")
    assert f'<a href="{target}" hreflang="en" lang="en">English</a>' in html
    back = client.get(english(path)).content.decode()
    assert f'<a href="{path.replace("&", "&amp;")}" hreflang="sv" lang="sv">Svenska</a>' in back
    # Alternates are absolute: search engines ignore relative ones (Lighthouse's hreflang audit).
    for code, url in (("sv", path), ("en", english(path)), ("x-default", path)):
        absolute = "http://testserver" + url.replace("&", "&amp;")
        assert f'<link rel="alternate" hreflang="{code}" href="{absolute}">' in back


def test_a_page_without_a_counterpart_switches_to_the_other_start_page(client, db):
    html = client.get("/en/finns-inte/").content.decode()
    assert '<a href="/" hreflang="sv" lang="sv">Svenska</a>' in html


def test_links_on_english_pages_stay_in_english(client, seeded):
    html = client.get("/en/regioner/").content.decode()
    assert 'href="/en/regioner/kalmar/"' in html and 'href="/regioner/kalmar/"' not in html


def test_the_plain_address_is_swedish_whatever_the_browser_prefers(client, db):
    response = client.get("/regioner/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert '<html lang="sv">' in response.content.decode()
    client.cookies["django_language"] = "en"
    assert '<html lang="sv">' in client.get("/regioner/").content.decode()


def test_messages_from_code_are_translated(client, seeded):
    html = client.get("/en/insatsomraden/?tema=finns-inte&sida=99").content.decode()
    assert "There is no theme called “finns-inte”." in html
    assert "There is no page “99”; this is page 3." in html  # the last page
    assert "Sustainability dimension" in html


ONE_ADDRESS = ["/insatsomraden/flode/", "/api/v1/regions/", "/admin/login/", "/robots.txt"]


@pytest.mark.parametrize("path", ONE_ADDRESS)
def test_data_feeds_and_the_admin_have_one_address(client, db, path):
    assert client.get(path).status_code == 200
    assert client.get("/en" + path).status_code == 404


def test_sitemap_lists_both_languages_with_alternates(client, seeded):
    xml = client.get("/sitemap-regioner.xml").content.decode()
    assert "<loc>http://testserver/regioner/kalmar/</loc>" in xml
    assert "<loc>http://testserver/en/regioner/kalmar/</loc>" in xml
    assert 'hreflang="en" href="http://testserver/en/regioner/kalmar/"' in xml


def test_the_translation_file_is_complete_and_consistent():
    po = polib.pofile(str(PO))
    assert po.percent_translated() == 100
    assert [e.msgid for e in po if e.fuzzy] == []
    placeholder = re.compile(r"%\((\w+)\)s")
    for entry in po:
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for msgstr in translations:
            assert set(placeholder.findall(msgstr)) == set(placeholder.findall(entry.msgid)), entry.msgid
            # Markup must survive translation: the same links, and every <span> closed.
            assert msgstr.count("<a ") == entry.msgid.count("<a "), entry.msgid
            assert msgstr.count("<span") == msgstr.count("</span>"), entry.msgid


def test_the_compiled_translations_are_current():
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run `make install` to compile the translations"
    assert mo.stat().st_mtime >= PO.stat().st_mtime, "django.po changed: run `make install` to compile it"
    with translation.override("en"):
        assert reverse("region_list") == "/en/regioner/"
        assert translation.gettext("Hoppa till innehållet") == "Skip to content"


def test_made_up_parameters_are_left_out_of_the_pages_own_addresses(client, seeded):
    """`?utm_source=…` on a shared link: the page is the same, and its canonical link, alternates and
    language switch name the page without it, so search engines see one page, not one per campaign."""
    html = client.get("/insatsomraden/?tema=cirkular-ekonomi&utm_source=nyhetsbrev").content.decode()
    assert "utm_source" not in html
    assert '<link rel="canonical" href="http://testserver/insatsomraden/?tema=cirkular-ekonomi">' in html
    assert '<a href="/en/insatsomraden/?tema=cirkular-ekonomi" hreflang="en" lang="en">English</a>' in html
    plain = client.get("/en/regioner/kalmar/?x=1").content.decode()
    assert '<link rel="canonical" href="http://testserver/en/regioner/kalmar/">' in plain
    assert '<link rel="alternate" hreflang="sv" href="http://testserver/regioner/kalmar/">' in plain
    assert 'rel="canonical"' not in client.get("/regioner/saknas/").content.decode()  # a 404 is no page
