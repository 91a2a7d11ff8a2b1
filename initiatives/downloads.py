"""The open-data downloads: the list as CSV (with the list's filters) and the whole catalogue as JSON.

Both are public reads like the pages (portal/page_cache.py: ETag and Last-Modified by the catalogue
version, 304s). The whole catalogue, asked for without filters (in any order), is written out once per
version and sent as a file (portal/written_out.py); a selection's CSV is built from values
(initiatives/exports.py) and cached like a page.
"""

import json

from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse

from portal.api import with_cors
from portal.page_cache import public_page
from portal.written_out import written_out

from .exports import catalogue_data, focus_area_csv_lines
from .filters import SORT_CHOICES, FocusAreaFilter
from .models import FocusArea

CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"


def _attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return with_cors(response)


def _download(request, name, content_type, chunks, file_name=None):
    file = written_out(request, file_name or name, chunks)
    if file is not None:
        return _attachment(FileResponse(file, content_type=content_type), name)
    return _attachment(StreamingHttpResponse(chunks(), content_type=content_type), name)


@public_page
def focus_area_csv(request):
    """The list as CSV, with the same filters as /insatsomraden/ (the page links to it with its own query)."""

    def chunks():
        # Built only when the file is written or a selection rendered: a written-out file is sent without
        # the filter set (its form and querysets are most of a served file's cost).
        filterset = FocusAreaFilter(request.GET, queryset=FocusArea.objects.published())
        return focus_area_csv_lines(filterset.qs, request.build_absolute_uri)

    sort = request.GET.getlist("sortera")
    if set(request.GET) == {"sortera"} and len(sort) == 1 and sort[0] in dict(SORT_CHOICES):
        # The whole catalogue in another order: as big as the whole, so written out the same way, per order.
        file_name = f"insatsomraden_{sort[0]}.csv"
        return _download(request, "insatsomraden.csv", CSV_TYPE, chunks, file_name=file_name)
    if request.GET:
        # A selection: built whole, and kept in the page cache like a page (when not too big); never written
        # out, since its addresses are endless. A value that is malformed or names nothing is refused, as the
        # API does: the list leaves such a value out and says so beside its results, but a file cannot say
        # it, and a file of the wrong selection, or of none, looks like an answer.
        filterset = FocusAreaFilter(request.GET, queryset=FocusArea.objects.published())
        problems = [f"{name}: {' '.join(map(str, errors))}" for name, errors in filterset.form.errors.items()]
        if not problems:
            problems = [
                f"{name}: " + ", ".join(f"okänt värde ”{value}”" for value in values)
                for name, values in filterset.unknown_values().items()
            ]
        if problems:
            return HttpResponseBadRequest(
                f"Urvalet kan inte laddas ner: {'; '.join(problems)}. Filtren och deras värden finns på "
                f"{request.build_absolute_uri(reverse('focus_area_list'))}\n",
                content_type="text/plain; charset=utf-8",
            )
        return _attachment(
            HttpResponse(
                "".join(focus_area_csv_lines(filterset.qs, request.build_absolute_uri)), content_type=CSV_TYPE
            ),
            "insatsomraden.csv",
        )
    return _download(request, "insatsomraden.csv", CSV_TYPE, chunks)


@public_page
def catalogue_json(request):
    """The whole published catalogue as one JSON document."""

    def chunks():
        yield json.dumps(catalogue_data(request.build_absolute_uri), ensure_ascii=False, indent=1)

    return _download(request, "vagar-till-hallbar-utveckling.json", JSON_TYPE, chunks)
