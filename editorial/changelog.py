""" "Senaste ändringar": every change to the catalogue's content, newest first, in one list.

The rows are the edit history itself (django-simple-history's tables of regions, insatsområden,
activities, links and contacts) and the review decisions (editorial/models.py: ReviewEvent), read as one
UNION query, filtered by region, person, kind and date, and paged. Versions written by the seed are left
out unless asked for: they are the catalogue's import, not anybody's edit. Each row links to what changed
(`change_view`: the word diff against the version before, and the restore).
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import CharField, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, NullIf, Substr
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.models import Contact
from initiatives.models import Activity, FocusArea, Link
from portal.pagination import Paginator
from regions.models import Region
from regions.seeding import SEED_REASON

from .conflicts import admin_time
from .diff import record_changes
from .models import ReviewEvent
from .permissions import COORDINATOR_GROUP, EDITOR_GROUP, region_filter, region_ids

PAGE_SIZE = 50

# kind → (model, its name in the list)
KINDS = {
    "region": (Region, gettext_lazy("Region")),
    "focusarea": (FocusArea, gettext_lazy("Insatsområde")),
    "activity": (Activity, gettext_lazy("Aktivitet")),
    "link": (Link, gettext_lazy("Länk")),
    "contact": (Contact, gettext_lazy("Kontaktperson")),
    "review": (None, gettext_lazy("Granskning")),
}
COLUMNS = ["c_kind", "c_pk", "c_object", "c_at", "c_action", "c_reason", "c_region", "c_label", "c_user"]


def _region_expression(kind):
    if kind == "region":
        return F("id")
    if kind == "activity":
        return Subquery(FocusArea.objects.filter(pk=OuterRef("focus_area_id")).values("region_id")[:1])
    return F("region_id")


def _label_expression(kind):
    if kind == "region":
        return F("name")
    if kind in {"focusarea"}:
        return F("title")
    if kind == "activity":
        return Coalesce(NullIf(F("title"), Value("")), Substr("body", 1, 80))
    if kind == "link":
        return F("label")
    return F("name")


def _history_rows(kind, filters):
    model = KINDS[kind][0]
    rows = model.history.all()
    if not filters.get("seed"):
        rows = rows.exclude(history_change_reason=SEED_REASON)
    if filters.get("person"):
        rows = rows.filter(history_user_id=filters["person"])
    if filters.get("since"):
        rows = rows.filter(history_date__gte=filters["since"])
    if filters.get("until"):
        rows = rows.filter(history_date__lt=filters["until"])
    rows = rows.annotate(c_region=Cast(_region_expression(kind), IntegerField()))
    if filters.get("regions") is not None:
        rows = rows.filter(c_region__in=filters["regions"])
    return (
        rows.annotate(
            c_kind=Value(kind, output_field=CharField()),
            c_pk=F("history_id"),
            c_object=F("id"),
            c_at=F("history_date"),
            c_action=Cast("history_type", CharField()),
            c_reason=Coalesce("history_change_reason", Value(""), output_field=CharField()),
            c_label=Cast(_label_expression(kind), CharField()),
            c_user=F("history_user_id"),
        )
        .order_by()
        .values_list(*COLUMNS)
    )


def _review_rows(filters):
    rows = ReviewEvent.objects.all()
    if filters.get("person"):
        rows = rows.filter(user_id=filters["person"])
    if filters.get("since"):
        rows = rows.filter(at__gte=filters["since"])
    if filters.get("until"):
        rows = rows.filter(at__lt=filters["until"])
    if filters.get("regions") is not None:
        rows = rows.filter(revision__region_id__in=filters["regions"])
    return (
        rows.annotate(
            c_kind=Value("review", output_field=CharField()),
            c_pk=F("pk"),
            c_object=F("revision_id"),
            c_at=F("at"),
            c_action=Cast("action", CharField()),
            c_reason=Cast("comment", CharField()),
            c_region=Cast("revision__region_id", IntegerField()),
            c_label=Cast("revision__object_repr", CharField()),
            c_user=F("user_id"),
        )
        .order_by()
        .values_list(*COLUMNS)
    )


def change_rows(filters):
    """The change log's rows for `filters`, newest first, as one query."""
    kinds = [filters["kind"]] if filters.get("kind") else list(KINDS)
    parts = [_review_rows(filters) if kind == "review" else _history_rows(kind, filters) for kind in kinds]
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("-c_at", "-c_pk")


class ChangeLogFilter(forms.Form):
    region = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)
    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Slag"), required=False)
    since = forms.DateField(label=_("Från och med"), required=False, widget=forms.DateInput({"type": "date"}))
    until = forms.DateField(label=_("Till och med"), required=False, widget=forms.DateInput({"type": "date"}))
    seed = forms.BooleanField(label=_("Visa även inläsningar från fixtures"), required=False)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("Till och med måste vara samma dag som eller efter från och med."))
            cleaned.pop("until", None)
        return cleaned

    def __init__(self, data, *, user):
        super().__init__(data)
        regions = Region.objects.filter(region_filter(user, "pk")).order_by("short_name")
        self.fields["region"].choices = [("", _("Alla regioner"))] + [(r.pk, r.short_name) for r in regions]
        people = get_user_model().objects.filter(groups__name=EDITOR_GROUP)
        ids = region_ids(user)
        # A coordinator chooses among the editors and their own regions' coordinators, not among everyone.
        coordinators = get_user_model().objects.filter(groups__name=COORDINATOR_GROUP)
        if ids is not None:
            coordinators = coordinators.filter(coordinated_regions__in=ids)
        people = (
            get_user_model()
            .objects.filter(pk__in=people.values("pk").union(coordinators.values("pk")))
            .order_by("first_name", "last_name", "username")
        )
        self.fields["person"].choices = [("", _("Alla"))] + [
            (p.pk, str(p.get_full_name() or p)) for p in people
        ]
        self.fields["kind"].choices = [("", _("Allt"))] + [(k, label) for k, (_m, label) in KINDS.items()]


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def changelog_view(request, admin_site):
    allowed = region_ids(request.user)
    form = ChangeLogFilter(request.GET or None, user=request.user)
    filters = {"regions": allowed}
    if form.is_bound:
        form.is_valid()  # a filter with a bad value is named on the page; the others still apply
        data = {name: None for name in form.fields} | {"kind": "", "seed": False} | form.cleaned_data
        if data["region"] is not None:
            filters["regions"] = {data["region"]} if allowed is None or data["region"] in allowed else set()
        filters.update(
            person=data["person"],
            kind=data["kind"],
            seed=data["seed"],
            since=_day_start(data["since"]) if data["since"] else None,
            until=_day_start(data["until"] + datetime.timedelta(days=1)) if data["until"] else None,
        )
    page = Paginator(change_rows(filters), PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = [dict(zip(COLUMNS, values, strict=True)) for values in page.object_list]
    users = get_user_model().objects.in_bulk({row["c_user"] for row in rows if row["c_user"]})
    regions = Region.objects.in_bulk({row["c_region"] for row in rows if row["c_region"]})
    for row in rows:
        row["kind_label"] = KINDS[row["c_kind"]][1]
        row["user"] = users.get(row["c_user"])
        row["region"] = regions.get(row["c_region"])
        row["when"] = admin_time(row["c_at"])
        row["action_label"] = _action_label(row)
        row["url"] = (
            reverse("admin:editorial_revision_change", args=[row["c_object"]])
            if row["c_kind"] == "review"
            else reverse("admin:editorial_change", args=[row["c_kind"], row["c_pk"]])
        )
    query = request.GET.copy()
    query.pop("sida", None)
    context = {
        **admin_site.each_context(request),
        "title": _("Senaste ändringar"),
        "form": form,
        "rows": rows,
        "page_obj": page,
        "query": query.urlencode(),
    }
    request.current_app = admin_site.name
    return TemplateResponse(request, "admin/editorial/changelog.html", context)


def _action_label(row):
    if row["c_kind"] == "review":
        return dict(ReviewEvent.Action.choices).get(row["c_action"], row["c_action"])
    return {"+": _("skapade"), "-": _("tog bort"), "~": _("ändrade")}.get(row["c_action"], row["c_action"])


def change_view(request, admin_site, kind, history_id):
    """One version: what it changed against the version before, word by word, and the way back."""
    if kind not in KINDS or kind == "review":
        raise Http404
    model = KINDS[kind][0]
    record = model.history.filter(history_id=history_id).select_related("history_user").first()
    if record is None:
        raise Http404
    region_id = (
        record.id
        if kind == "region"
        else FocusArea.objects.filter(pk=record.focus_area_id).values_list("region_id", flat=True).first()
        if kind == "activity"
        else record.region_id
    )
    allowed = region_ids(request.user)
    if allowed is not None and region_id not in allowed:
        raise Http404
    previous = (
        model.history.filter(id=record.id, history_id__lt=record.history_id).order_by("-history_id").first()
    )
    live = model._default_manager.filter(pk=record.id).first()
    restore_url = history_url = ""
    model_admin = admin_site._registry.get(model)
    target_model, target_id = (model, record.id) if kind != "activity" else (FocusArea, record.focus_area_id)
    target_admin = admin_site._registry.get(target_model)
    if target_admin is not None and target_model._default_manager.filter(pk=target_id).exists():
        opts = target_model._meta
        history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[target_id])
        if model_admin is not None and live is not None and previous is not None:
            restore_url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                args=[record.id, previous.history_id],
            )
    context = {
        **admin_site.each_context(request),
        "title": _("%(kind)s: %(what)s") % {"kind": KINDS[kind][1], "what": record.instance},
        "record": record,
        "when": admin_time(record.history_date),
        "previous_when": admin_time(previous.history_date) if previous else "",
        "rows": record_changes(record, previous),
        "kind_label": KINDS[kind][1],
        "exists": live is not None,
        "history_url": history_url,
        "restore_url": restore_url,
        "changelog_url": reverse("admin:editorial_changelog"),
    }
    request.current_app = admin_site.name
    return TemplateResponse(request, "admin/editorial/change.html", context)
