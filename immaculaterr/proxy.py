"""Behind a reverse proxy: which peers are trusted, the real client address, the sub-path.

TRUSTED_PROXIES lists the proxies' addresses. X-Forwarded-* headers from any other peer are
dropped before Django reads them, and X-Forwarded-For is only read when the immediate peer is
a trusted proxy, so a LAN client cannot pick its own address to dodge the sign-in lock.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

FORWARDED = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
             "HTTP_X_FORWARDED_FOR")


def is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net) for net in settings.TRUSTED_PROXIES)


def client_address(request) -> str:
    """The peer, or the last hop a trusted proxy saw (the rightmost untrusted entry)."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not is_trusted(peer):
        return peer[:64]
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):
        if not is_trusted(hop):
            return hop[:64]
    return (hops[0] if hops else peer)[:64]


class ReverseProxyMiddleware:
    """Drops forwarded headers from untrusted peers; serves APP_BASE_PATH whether or not the
    proxy strips the prefix (FORCE_SCRIPT_NAME makes every reversed URL carry it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.TRUSTED_PROXIES and not is_trusted(request.META.get("REMOTE_ADDR", "")):
            for name in FORWARDED:
                request.META.pop(name, None)
        prefix = (settings.FORCE_SCRIPT_NAME or "").rstrip("/")
        path = request.path_info
        if prefix and (path == prefix or path.startswith(prefix + "/")):
            request.path_info = path[len(prefix):] or "/"
            request.path = prefix + request.path_info
        return self.get_response(request)
