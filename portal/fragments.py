"""Parts that many responses repeat, built once per catalogue version and kept: each insatsområde's API
payload (portal/api.py).

A response the page cache does not hold (the first after an edit, or one of the many addresses a crawler
walks) is still built from these parts when they are at hand: the API's list, its region detail and every
filter combination share one payload per insatsområde, rather than each loading and serialising it again.

The key is the catalogue version (read by portal.page_cache.public_page for the request), the release, the
language and the site's address (the parts hold absolute links), so an edit makes every part new at once,
exactly as it does the pages. Only anonymous reads use them (the request carries `catalogue_version`):
staff, who may see drafts and previews, always get parts built afresh. The cache ("fragments" in CACHES) is
in each process and bounded; FRAGMENT_CACHE_ENTRIES=0 turns it off.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.utils import translation


def _prefix(request, kind):
    site = hashlib.sha256(f"{request.scheme}://{request.get_host()}".encode()).hexdigest()[:12]
    return f"{kind}:{settings.RELEASE}:{request.catalogue_version}:{translation.get_language()}:{site}:"


def built_once(request, kind: str, ids, build) -> dict:
    """{id: part} for every id in `ids`: those kept for this version from the cache, the others from
    `build(missing_ids)` (which returns {id: part}; an id it leaves out is not kept), then kept."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    if getattr(request, "catalogue_version", None) is None or not settings.FRAGMENT_CACHE_ENTRIES:
        return build(ids)
    cache = caches["fragments"]
    prefix = _prefix(request, kind)
    found = cache.get_many([f"{prefix}{pk}" for pk in ids])
    parts = {pk: found[f"{prefix}{pk}"] for pk in ids if f"{prefix}{pk}" in found}
    missing = [pk for pk in ids if pk not in parts]
    if missing:
        made = build(missing)
        cache.set_many({f"{prefix}{pk}": part for pk, part in made.items()}, settings.FRAGMENT_CACHE_SECONDS)
        parts.update(made)
    return parts
