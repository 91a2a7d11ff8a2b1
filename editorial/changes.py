"""What a working copy, or a change form's data, would change on the published record: its fields and
each inline's rows (added, changed, removed), for the review page and its snapshot (editorial/diff.py)."""

from django.contrib import admin
from django.utils.translation import gettext as _

from .diff import form_changes


def content_admin(revision):
    """The admin of the record a revision is about."""
    return admin.site._registry.get(revision.content_type.model_class())


def revision_changes(request, revision, obj):
    """What publishing the working copy would change: fields, then each inline's rows. In a transaction."""
    model_admin = content_admin(revision)
    return data_changes(request, model_admin, obj, model_admin.merged_working_data(request, obj, revision))


def data_changes(request, model_admin, obj, data):
    """What saving the change form with `data` would change on `obj`."""
    form_class = model_admin.get_form(request, obj, change=True)
    fields = form_changes(model_admin.model, form_class, data, obj)
    inlines = []
    for inline in model_admin.get_inline_instances(request, obj):
        formset_class = inline.get_formset(request, obj)
        prefix = formset_class.get_default_prefix()
        if f"{prefix}-TOTAL_FORMS" not in data:
            continue
        formset = formset_class(data=data, instance=obj, prefix=prefix, queryset=inline.get_queryset(request))
        rows = []
        gone = iter(formset.vanished())  # (what it was, what the copy changes in it), in the forms' order
        for index, form in enumerate(formset.forms):
            deleted = bool(data.get(f"{form.prefix}-DELETE"))
            existing = index < formset.initial_form_count()
            if existing and form.instance.pk is None:
                what, typed = next(gone, (_("en rad"), []))
                rows.append({"what": str(what), "kind": "vanished", "typed": typed, "fields": []})
            elif existing and deleted:
                rows.append({"what": str(form.instance), "kind": "delete", "fields": []})
            elif existing:
                changes = form_changes(inline.model, type(form), data, form.instance, prefix=form.prefix)
                if changes:
                    rows.append({"what": str(form.instance), "kind": "change", "fields": changes})
            elif not deleted:
                changes = form_changes(inline.model, type(form), data, None, prefix=form.prefix)
                if changes:
                    rows.append({"what": _("Ny"), "kind": "new", "fields": changes})
        if rows:
            inlines.append({"name": inline.verbose_name_plural, "rows": rows})
    return {"fields": fields, "inlines": inlines}
