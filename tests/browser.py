"""Helpers for browser tests: record every request a page makes."""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlsplit

LOCAL_SCHEMES = {"file", "data", "blob", "about"}


@contextmanager
def recording_context(browser, *, base: str, offline: bool, **options):
    """A fresh context that records every request and aborts any that leaves `base`.

    `base` is the origin allowed (for example http://127.0.0.1:8123/ or file:///tmp/x/).
    Yields (context, requests): the list fills as pages load.
    """
    context = browser.new_context(offline=offline, service_workers="block", **options)
    requests: list[str] = []
    allowed = urlsplit(base)

    def leaves_site(url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES and allowed.scheme == "file":
            return parts.scheme == "file" and not parts.path.startswith(allowed.path)
        if parts.scheme in ("data", "blob", "about"):
            return False
        return (parts.scheme, parts.hostname, parts.port) != (
            allowed.scheme, allowed.hostname, allowed.port
        )

    def route(route):
        url = route.request.url
        requests.append(url)
        if leaves_site(url):
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    context.on("request", lambda request: requests.append(request.url))
    try:
        yield context, requests, leaves_site
    finally:
        context.close()
