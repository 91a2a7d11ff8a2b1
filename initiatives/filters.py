"""The filters of the insatsområden list (/insatsomraden/), and their facet counts.

Query parameters (shared/GLOSSARY.md): region, tema, dimension, agenda2030 (each may repeat: values of one
facet are OR-ed, facets are AND-ed), omrade, q, sortera, sida.

Values are checked for shape here (a slug, a goal number) but not against the database: an unknown slug
simply matches nothing, and `FocusAreaFilter.facets()` reports it so that the page can say so. That keeps
the filter to one query and lets "region=kalmar&region=nope" still show Kalmar.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from portal.fragments import built_once
from regions.models import Region, swedish_order

from .models import Dimension, FocusArea, MandatoryArea, SdgGoal, Theme
from .search import matching_focus_area_ids

MAX_VALUES = 25  # per facet; more than there are regions, so only a crafted URL hits it
MAX_QUERY_LENGTH = 200
SLUG = re.compile(r"^[-a-z0-9_]{1,100}$")


class SubqueryCount(Subquery):
    """How many rows `queryset` (correlated with OuterRef) has, as a column of the outer query.

    Counted per outer row through the indexes of the inner table, instead of joining every focus area to
    the outer table and grouping the whole join by the outer table's columns (what Count("focus_areas")
    does): at 100× data the join is thousands of rows sorted before they are grouped.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by(), **extra)  # Meta.ordering would sort each count's rows


def printable(value: str, limit: int = 50) -> str:
    """A visitor's input, safe to repeat back in a message: no control characters, not too long."""
    return "".join(c for c in value if unicodedata.category(c)[0] != "C")[:limit]


class MultipleValueField(forms.Field):
    """A repeated query parameter (?region=a&region=b) as a list of distinct, well-formed values."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, pattern=SLUG, **kwargs):
        self.pattern = pattern
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        values = list(dict.fromkeys(v.strip().lower() for v in value if v.strip()))
        if len(values) > MAX_VALUES:
            raise ValidationError(_("Högst %(max)s val per filter."), params={"max": MAX_VALUES})
        bad = [v for v in values if not self.pattern.match(v)]
        if bad:
            raise ValidationError(_("Ogiltigt värde: %(value)s."), params={"value": printable(bad[0])})
        return values


class MultipleValueFilter(django_filters.Filter):
    """Keep focus areas linked to any of the values. Many-to-many facets go through a subquery so that
    no row is repeated and no DISTINCT is needed."""

    field_class = MultipleValueField

    def __init__(self, *args, through_lookup=None, **kwargs):
        self.through_lookup = through_lookup
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if self.through_lookup:
            relation, lookup = self.through_lookup
            through = FocusArea._meta.get_field(relation).remote_field.through
            ids = through.objects.filter(**{f"{lookup}__in": value}).values("focusarea_id")
            return qs.filter(pk__in=ids)
        return qs.filter(**{f"{self.field_name}__in": value})


SORT_CHOICES = [
    ("region", _("Region A–Ö")),
    ("rubrik", _("Rubrik A–Ö")),
    # The URL word stays ("uppdaterad", shared links keep working); the order is by a person's last
    # change (regions/edits.py), never-changed ones last, in list order.
    ("uppdaterad", _("Senast ändrad")),
]


class FocusAreaFilter(django_filters.FilterSet):
    region = MultipleValueFilter(field_name="region__slug", label=_("Region"))
    tema = MultipleValueFilter(through_lookup=("themes", "theme__slug"), label=_("Tema"))
    dimension = MultipleValueFilter(through_lookup=("dimensions", "dimension__slug"), label=_("Dimension"))
    agenda2030 = MultipleValueFilter(
        through_lookup=("sdg_goals", "sdggoal__number"),
        label=_("Agenda 2030-mål"),
        pattern=re.compile(r"^(1[0-7]|[1-9])$"),
    )
    omrade = django_filters.CharFilter(field_name="mandatory_area__slug", label=_("Obligatoriskt område"))
    q = django_filters.CharFilter(method="filter_text", label=_("Fritext"), max_length=MAX_QUERY_LENGTH)
    sortera = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="sort", label=_("Sortera"), empty_label=None, null_label=None
    )

    FACETS = ["region", "tema", "dimension", "omrade", "agenda2030"]

    class Meta:
        model = FocusArea
        fields = []

    # The insatsområden that `q` matches: searched once per request (one query, or two when nothing
    # matches as written and the words are corrected) and handed to the copies that count the facets,
    # so the text search is not repeated in each of the page's queries.
    # None: text that filters nothing (too short, only stop words).
    NOT_SEARCHED = object()
    text_matches = NOT_SEARCHED

    def filter_text(self, queryset, name, value):
        if not value.strip():
            return queryset
        if self.text_matches is self.NOT_SEARCHED:
            self.text_matches = matching_focus_area_ids(value)
        return queryset if self.text_matches is None else queryset.filter(pk__in=self.text_matches)

    def sort(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset, so that it is also the default

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sortera") or "region"
        if sort == "rubrik":
            return queryset.order_by(swedish_order("title"), "pk")
        if sort == "uppdaterad":
            return queryset.order_by(
                F("edited_at").desc(nulls_last=True), "region__short_name", "order", "pk"
            )
        return queryset.order_by(swedish_order("region__short_name"), "order", "pk")

    def without(self, facet):
        """The same filters with one facet left out: what that facet's counts are computed over. Applied
        with this filterset's own filters and cleaned values (as django-filter's filter_queryset does),
        not through a copy of the filterset: each copy rebuilt and revalidated the whole form."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name != facet:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    # Where each facet's values are: what `unknown_values` looks them up in.
    KNOWN_VALUES = {
        "region": (Region, "slug"),
        "tema": (Theme, "slug"),
        "dimension": (Dimension, "slug"),
        "omrade": (MandatoryArea, "slug"),
        "agenda2030": (SdgGoal, "number"),
    }

    def unknown_values(self) -> dict[str, list[str]]:
        """The requested values, of a valid form, that name nothing (one query per facet asked for): what
        the API and the CSV refuse, where the list leaves them out and says so (facets())."""
        unknown = {}
        for name, (model, key) in self.KNOWN_VALUES.items():
            wanted = self.form.cleaned_data.get(name)
            wanted = [value for value in ([wanted] if isinstance(wanted, str) else (wanted or [])) if value]
            if wanted:
                found = {
                    str(v) for v in model.objects.filter(**{f"{key}__in": wanted}).values_list(key, flat=True)
                }
                if missing := [value for value in wanted if value not in found]:
                    unknown[name] = missing
        return unknown

    def facets(self, request=None) -> list["Facet"]:
        """Each facet's options with how many results each would give, the other filters as they are
        (one query per facet), and the requested values that match no option.

        With `request` (an anonymous visitor's, portal/fragments.py), a facet's options are kept per
        catalogue version and the other filters' values: the unfiltered list's counts are the same on
        every page and sort order of it, and a region's on every page that filters by it. Not with free
        text, whose values are endless."""
        self.is_valid()
        cleaned = self.form.cleaned_data
        self.qs  # noqa: B018 -- builds the queryset, which runs the text search before the copies are made

        # Regions and mandatory areas are a foreign key of the insatsområde: counted per option through its
        # index. The many-to-many facets join (a count per option through the link table is slower).
        # Each facet says its order: Django leaves Meta.ordering out of a query with GROUP BY (the counts).
        foreign_keys = {"region": "region", "omrade": "mandatory_area"}

        def count(facet):
            if facet in foreign_keys:
                return SubqueryCount(
                    self.without(facet).filter(**{foreign_keys[facet]: OuterRef("pk")}).values("pk")
                )
            return Count("focus_areas", filter=Q(focus_areas__in=self.without(facet)))

        facets = [
            Facet(
                "region",
                _("Region"),
                Region.objects.alphabetical().annotate(n=count("region")),
                "slug",
                _("Ingen region heter ”%(values)s”."),
            ),
            Facet(
                "tema",
                _("Tema"),
                Theme.objects.annotate(n=count("tema")).order_by(swedish_order("name")),
                "slug",
                _("Inget tema heter ”%(values)s”."),
            ),
            Facet(
                "dimension",
                _("Hållbarhetsdimension"),
                Dimension.objects.annotate(n=count("dimension")).order_by("order"),
                "slug",
                _("Ingen hållbarhetsdimension heter ”%(values)s”."),
            ),
            Facet(
                "omrade",
                _("Obligatoriskt område"),
                MandatoryArea.objects.annotate(n=count("omrade")).order_by("number"),
                "slug",
                _("Inget obligatoriskt område heter ”%(values)s”."),
            ),
            Facet(
                "agenda2030",
                _("Agenda 2030-mål"),
                SdgGoal.objects.annotate(n=count("agenda2030")).order_by("number"),
                "number",
                _("Agenda 2030 har inget mål ”%(values)s”."),
            ),
        ]
        keep = request is not None and not (cleaned.get("q") or "").strip()
        for facet in facets:
            wanted = cleaned.get(facet.name) or []
            if keep:
                others = sorted(
                    (name, repr(value))
                    for name, value in cleaned.items()
                    if name not in (facet.name, "sortera")
                )
                identity = f"{facet.name}:{hashlib.sha256(repr(others).encode()).hexdigest()[:24]}"
                rows = built_once(
                    request, "facet", [identity], lambda ids, facet=facet: {ids[0]: facet.rows()}
                )
                rows = rows[identity]
            else:
                rows = facet.rows()
            facet.resolve([wanted] if isinstance(wanted, str) else wanted, rows)
        return facets


# A facet with more options than this shows the ones with most results (and every chosen one) and hides
# the rest behind "Visa alla (N)"; up to SHOW_ALL_UP_TO options are shown whole, as hiding one or two
# behind a button helps no one.
FIRST_OPTIONS = 6
SHOW_ALL_UP_TO = 8


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    lang: str = "sv"  # the label's language: a region's name is Swedish; a vocabulary term may be translated


@dataclass
class Facet:
    name: str
    label: str
    queryset: object
    key: str
    unknown_message: str
    options: list[FacetOption] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    notice: bool = False  # the page has a notice about this facet (set by the view): shown open

    @property
    def single(self) -> bool:
        """One value at a time (radio buttons, with "Alla"): the mandatory area."""
        return self.name == "omrade"

    def rows(self) -> list[tuple[str, str, int, str]]:
        """(value, label, count, the label's language) of each option, from the counting query."""
        return [
            (
                str(getattr(obj, self.key)),
                # A region by its short name under the heading "Region" ("Region: Region Örebro" read badly).
                str(getattr(obj, "label", None) or getattr(obj, "short_name", None) or obj),
                obj.n,
                getattr(obj, "label_lang", None) or "sv",
            )
            for obj in self.queryset
        ]

    def resolve(self, wanted: list[str], rows) -> None:
        self.options = [
            FacetOption(value, label, count, value in wanted, lang) for value, label, count, lang in rows
        ]
        known = {option.value for option in self.options}
        self.unknown = [value for value in wanted if value not in known]

    def unknown_notice(self) -> str:
        return self.unknown_message % {"values": "”, ”".join(printable(value) for value in self.unknown)}

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]

    @property
    def expanded(self) -> bool:
        """Shown open: something is chosen in it, or a notice is about it. Else only its name shows."""
        return bool(self.selected) or self.notice

    @cached_property
    def offered(self) -> list[FacetOption]:
        """The options to choose from, in the order shown: `first` then `rest`, each in the facet's own
        order (A–Ö, by number). A checkbox that would give no results is not offered unless chosen."""
        options = self.options if self.single else [o for o in self.options if o.count or o.selected]
        if len(options) <= SHOW_ALL_UP_TO:
            return options
        position = {id(option): i for i, option in enumerate(options)}
        by_weight = sorted(options, key=lambda o: (not o.selected, -o.count, position[id(o)]))
        first = {id(o) for o in by_weight[: max(FIRST_OPTIONS, len(self.selected))]}
        return [o for o in options if id(o) in first] + [o for o in options if id(o) not in first]

    @property
    def first_count(self) -> int:
        """How many of `offered` show before "Visa alla"; all of them when the list is short."""
        offered = len(self.offered)
        return offered if offered <= SHOW_ALL_UP_TO else max(FIRST_OPTIONS, len(self.selected))

    @property
    def hidden_count(self) -> int:
        return len(self.offered) - self.first_count
