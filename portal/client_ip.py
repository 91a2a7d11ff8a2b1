"""The client's address, for login throttling (django-axes locks out a username from one address).

Behind the TLS proxy every request comes from the proxy's address, so all the world would share one
lockout: five wrong passwords from anyone would lock an editor out from everywhere. The proxy puts the
client's address in X-Forwarded-For (docs/deploy/nginx.conf). That header is believed only when the request
comes from a trusted proxy (FORWARDED_ALLOW_IPS) and BEHIND_TLS_PROXY is on; otherwise anyone could send a
new address with each guess and never be locked out.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if settings.BEHIND_TLS_PROXY and remote in settings.TRUSTED_PROXIES:
        # The last entry is the one our proxy added; any before it came from the client.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass  # missing or not an address: fall back to the proxy's
    return remote
