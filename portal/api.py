"""The read-only JSON API under /api/v1/ (django-ninja), with its OpenAPI description at /api/v1/openapi.json.

Published content only, hidden contacts never: the same querysets as the pages and downloads
(initiatives/exports.py). /focus-areas/ takes the same filters, with the same names, as /insatsomraden/
(initiatives/filters.py), so a parameter set gives the same results in both. Bad parameters are a JSON
400 with a message, unknown objects a JSON 404. Every response carries ETag and Last-Modified and answers
a conditional request with 304, and allows any origin (CORS), since the data is open.
"""

from functools import wraps

from django.core.paginator import InvalidPage, Paginator
from django.core.validators import slug_re
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import translation
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from contacts.models import Contact
from initiatives.exports import focus_area_data, published_focus_areas
from initiatives.filters import FocusAreaFilter
from initiatives.models import Dimension, Link, MandatoryArea, SdgGoal, Theme
from portal.page_cache import own_parameters, public_page
from regions.models import Region, swedish_order

PAGE_SIZE = 20


class ReadableJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # å, ä and ö as themselves


def answering_head(view):
    """HEAD answered as GET (link checkers and monitors send it; every other public address answers it).
    django-ninja routes each method to its own operation, and a HEAD operation beside each GET would give
    the OpenAPI description two operations with one id; the server leaves out the body (WSGI, RFC 9110)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"  # as the request log and the middleware after the view see it

    return wrapped


class OpenDataAPI(NinjaAPI):
    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            pattern.callback = answering_head(pattern.callback)
        return patterns, app_name, namespace


api = OpenDataAPI(
    renderer=ReadableJSONRenderer(),
    title="Vägar till hållbar utveckling – öppet API",
    version="1",
    description=(
        "Sveriges 21 regioners arbete inom Tillväxtverkets program Vägar till hållbar utveckling: regioner, "
        "insatsområden, aktiviteter, kontaktpersoner, teman. Öppna data under CC0 1.0. "
        "How Sweden's 21 regions work in Tillväxtverket's programme; open data, CC0 1.0."
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive docs page would load scripts from a CDN
)


# --- Schemas (the OpenAPI description is generated from these) ---------------------------------------


class Error(Schema):
    detail: str


class SourceOut(Schema):
    publisher: str
    title: str
    section: str
    published_on: str | None = None  # the source text's date, where it is known
    date_note: str | None = None  # what is known of its date where it has none


class LinkOut(Schema):
    label: str
    url: str | None


class ContactOut(Schema):
    name: str
    organisation: str
    role: str
    phone: str
    phone_e164: str
    email: str


class ActivityOut(Schema):
    title: str
    body: str
    source: SourceOut | None


class FocusAreaOut(Schema):
    slug: str
    title: str
    region: str
    region_name: str
    summary: str
    body: str
    html_url: str
    mandatory_area: str | None
    themes: list[str]
    dimensions: list[str]
    agenda2030: list[int]
    activities: list[ActivityOut]
    contacts: list[ContactOut]
    links: list[LinkOut]
    source: SourceOut | None
    # When a person last changed it and published the change; null while nobody has since it was taken
    # from its source text (a seed or an import is not an update: regions/edits.py). Replaced `updated`,
    # which was the import time for every record.
    edited: str | None


class FocusAreaPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[FocusAreaOut]


class RegionSummary(Schema):
    slug: str
    name: str
    county_code: str
    url: str
    html_url: str
    focus_area_count: int


class RegionOut(RegionSummary):
    introduction: str
    source: SourceOut | None
    links: list[LinkOut]
    contacts: list[ContactOut]
    # The first 20 in the region's order (as on its page); every one of them, 20 a page, at focus_areas_url.
    focus_areas: list[FocusAreaOut]
    focus_areas_url: str


class ThemeOut(Schema):
    slug: str
    name: str
    description: str
    html_url: str
    focus_area_count: int


class MandatoryAreaOut(Schema):
    slug: str
    number: int
    title: str
    description: str
    html_url: str
    focus_area_count: int


# --- Conditional GET and CORS ------------------------------------------------------------------------


def open_data(view):
    """Cached and revalidated by the catalogue version like every public page (portal/page_cache.py:
    ETag, Last-Modified, 304s), plus CORS for any origin."""
    cached = public_page(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = cached(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


# --- Endpoints -------------------------------------------------------------------------------------


class Index(Schema):
    regions: str
    focus_areas: str
    themes: str
    mandatory_areas: str
    openapi: str
    license: str


@api.get("/", response=Index, url_name="index", summary="API:ets ingång: dess resurser")
@decorate_view(open_data)
def index(request):
    def absolute(name):
        return request.build_absolute_uri(reverse(f"api:{name}"))

    return {
        "regions": absolute("regions"),
        "focus_areas": absolute("focus_areas"),
        "themes": absolute("themes"),
        "mandatory_areas": absolute("mandatory_areas"),
        "openapi": absolute("openapi-json"),
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
    }


def _absolute(request):
    return request.build_absolute_uri


def _region_summary(request, region):
    return {
        "slug": region.slug,
        "name": region.name,
        "county_code": region.county_code,
        "url": request.build_absolute_uri(reverse("api:region", args=[region.slug])),
        "html_url": request.build_absolute_uri(region.get_absolute_url()),
        "focus_area_count": region.focus_area_count,
    }


def _published_count(relation="focus_areas"):
    return Count(relation, filter=Q(**{f"{relation}__status": "published"}))


@api.get("/regions/", response=list[RegionSummary], summary="Alla 21 regioner")
@decorate_view(open_data)
def regions(request):
    return [
        _region_summary(request, region)
        for region in Region.objects.alphabetical().annotate(focus_area_count=_published_count())
    ]


@api.get("/regions/{slug}/", response={200: RegionOut, 404: Error}, url_name="region", summary="En region")
@decorate_view(open_data)
def region(request, slug: str):
    # Not every string can be a slug, and PostgreSQL refuses some outright (NUL): no query for those.
    candidates = Region.objects.filter(slug=slug) if slug_re.fullmatch(slug) else Region.objects.none()
    region = (
        candidates.select_related("source")
        .annotate(focus_area_count=_published_count())
        .prefetch_related(
            Prefetch(
                "focus_areas", queryset=published_focus_areas()[:PAGE_SIZE], to_attr="first_focus_areas"
            ),
            Prefetch("contacts", queryset=Contact.objects.public()),
            Prefetch("links", queryset=Link.objects.filter(focus_area=None)),
        )
        .first()
    )
    if region is None:
        raise HttpError(404, f"No region is called “{slug[:50]}”.")
    absolute = _absolute(request)
    for focus_area in region.first_focus_areas:
        focus_area.region = region  # already loaded; spares a query per insatsområde
    return {
        **_region_summary(request, region),
        "introduction": region.introduction,
        "source": {
            "publisher": region.source.publisher,
            "title": region.source.title,
            "section": region.source_section,
        }
        if region.source
        else None,
        "links": [{"label": link.label, "url": link.url or None} for link in region.links.all()],
        "contacts": [
            {
                "name": c.name,
                "organisation": c.organisation,
                "role": c.role,
                "phone": c.phone,
                "phone_e164": c.phone_normalised,
                "email": c.email,
            }
            for c in region.contacts.all()
        ],
        "focus_areas": [focus_area_data(fa, absolute) for fa in region.first_focus_areas],
        "focus_areas_url": absolute(f"{reverse('api:focus_areas')}?region={region.slug}"),
    }


KNOWN_VALUES = {
    "region": (Region, "slug"),
    "tema": (Theme, "slug"),
    "dimension": (Dimension, "slug"),
    "omrade": (MandatoryArea, "slug"),
    "agenda2030": (SdgGoal, "number"),
}


@api.get(
    "/focus-areas/",
    response={200: FocusAreaPage, 400: Error},
    summary="Insatsområden, filtrerade som på /insatsomraden/",
)
@decorate_view(open_data)
def focus_areas(
    request,
    region: list[str] = Query(None, description="Regionens slug; kan upprepas (eller)."),
    tema: list[str] = Query(None, description="Temats slug; kan upprepas (eller)."),
    dimension: list[str] = Query(None, description="ekonomisk, social eller miljomassig; kan upprepas."),
    omrade: str = Query(None, description="Det obligatoriska områdets slug."),
    agenda2030: list[str] = Query(None, description="Agenda 2030-mål 1–17; kan upprepas."),
    q: str = Query(None, description="Fritext, samma sökning som /sok/."),
    sortera: str = Query(None, description="region (standard), rubrik eller uppdaterad."),
    sida: str = Query(None, description="Sidnummer, 20 per sida."),
):
    filterset = FocusAreaFilter(request.GET, queryset=published_focus_areas().select_related("region"))
    if not filterset.is_valid():
        with translation.override("en"):  # the API's messages are English, as its paths and fields are
            problems = "; ".join(
                f"{name}: {' '.join(map(str, errors))}" for name, errors in filterset.form.errors.items()
            )
        raise HttpError(400, f"Invalid parameters: {problems}")
    for name, (model, key) in KNOWN_VALUES.items():
        wanted = filterset.form.cleaned_data.get(name)
        wanted = [value for value in ([wanted] if isinstance(wanted, str) else (wanted or [])) if value]
        if wanted:
            found = {
                str(v) for v in model.objects.filter(**{f"{key}__in": wanted}).values_list(key, flat=True)
            }
            unknown = [value for value in wanted if value not in found]
            if unknown:
                raise HttpError(400, f"Unknown value for {name}: {', '.join(unknown)}.")
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    try:
        number = int(sida or 1)
        page = paginator.page(number)
    except (ValueError, InvalidPage):
        raise HttpError(
            400, f"There is no page “{(sida or '')[:20]}”; the pages are 1–{paginator.num_pages}."
        ) from None

    def page_url(n):
        query = own_parameters(request)
        query["sida"] = n
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    absolute = _absolute(request)
    return {
        "count": paginator.count,
        "next": page_url(page.next_page_number()) if page.has_next() else None,
        "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
        "results": [focus_area_data(fa, absolute) for fa in page.object_list],
    }


@api.get("/themes/", response=list[ThemeOut], summary="Teman")
@decorate_view(open_data)
def themes(request):
    # An explicit order: Django leaves Meta.ordering out of a query with GROUP BY (the count).
    themes = Theme.objects.annotate(focus_area_count=_published_count()).order_by(swedish_order("name"))
    return [
        {
            "slug": theme.slug,
            "name": theme.name,
            "description": theme.description,
            "html_url": request.build_absolute_uri(theme.get_absolute_url()),
            "focus_area_count": theme.focus_area_count,
        }
        for theme in themes
    ]


@api.get("/mandatory-areas/", response=list[MandatoryAreaOut], summary="De två obligatoriska områdena")
@decorate_view(open_data)
def mandatory_areas(request):
    return [
        {
            "slug": area.slug,
            "number": area.number,
            "title": area.title,
            "description": area.description,
            "html_url": request.build_absolute_uri(area.get_absolute_url()),
            "focus_area_count": area.focus_area_count,
        }
        for area in MandatoryArea.objects.annotate(focus_area_count=_published_count()).order_by("number")
    ]
