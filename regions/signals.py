"""Every saved, deleted or re-linked catalogue record bumps the catalogue version (portal/page_cache.py).

Signals cover every path through the ORM's save() and delete(): the admin, history restores, erasure.
Bulk writes (bulk_create, queryset.update) send no signals; code that uses them calls
CatalogueVersion.bump() itself, as the seed and the benchmark's data builder do.
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import CatalogueVersion

_bulk = threading.local()

CATALOGUE_MODELS = [
    "regions.Region",
    "regions.Source",
    "regions.SourceDiscrepancy",
    "initiatives.MandatoryArea",
    "initiatives.Theme",
    "initiatives.Dimension",
    "initiatives.SdgGoal",
    "initiatives.FocusArea",
    "initiatives.Activity",
    "initiatives.Link",
    "contacts.Contact",
]


def catalogue_changed(sender, **kwargs):
    if getattr(_bulk, "active", False):
        _bulk.changed = True
        return
    CatalogueVersion.bump()


@contextmanager
def one_version_bump():
    """Inside this block (one thread's), the catalogue's writes bump the version once, at the end.

    For writers of many records in one transaction, such as the seed: the pages' cache key changes once
    instead of once per row and many-to-many change.
    """
    _bulk.active, _bulk.changed = True, False
    try:
        yield
    finally:
        _bulk.active = False
    if _bulk.changed:
        CatalogueVersion.bump()


def connect(apps):
    for label in CATALOGUE_MODELS:
        model = apps.get_model(label)
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-save-{label}")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"catalogue-delete-{label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                catalogue_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"catalogue-m2m-{label}-{field.name}",
            )
