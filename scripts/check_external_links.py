"""Check every outside link in the built site, and report the broken ones.

    python scripts/check_external_links.py site/ [--report broken-links.md] [--ignore PREFIX ...]

Only the scheduled workflow .github/workflows/link-check.yml runs this: it needs the
internet, which tests and pull request checks never have. Each address is tried with a
HEAD request, then with GET when a server refuses HEAD or fails; timeouts are bounded.
Exit status 1 when any link is broken (the report lists each one with the pages that
use it and where to fix it), 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

USER_AGENT = "task-force-eguide-link-check/1.0 (weekly check of the guide's outside links)"
# Statuses that say the page exists but the server does not want robots: not broken.
NOT_BROKEN = {401, 403, 429}
RETRY_WITH_GET = {400, 403, 404, 405, 406, 429, 500, 501, 502, 503}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def external_links(site: Path, ignore: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """{address: pages that link to it} for every http(s) link in the built HTML."""
    found: dict[str, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for href in parser.hrefs:
            url = urldefrag(href)[0]
            if urlsplit(url).scheme not in ("http", "https"):
                continue
            if any(url.startswith(prefix) for prefix in ignore if prefix):
                continue
            found.setdefault(url, set()).add(page.relative_to(site).as_posix())
    return found


@dataclass
class Result:
    url: str
    ok: bool
    detail: str
    pages: set[str] = field(default_factory=set)


def _request(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={
        "User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        if method == "GET":
            response.read(1024)
        return response.status


def check(url: str, timeout: float) -> Result:
    detail = ""
    for method in ("HEAD", "GET"):
        try:
            status = _request(url, method, timeout)
            return Result(url, True, f"{method} {status}")
        except urllib.error.HTTPError as error:
            detail = f"HTTP {error.code} {error.reason}"
            if error.code not in RETRY_WITH_GET or method == "GET":
                return Result(url, error.code in NOT_BROKEN, detail)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            detail = f"no response ({reason})"
    return Result(url, False, detail)


def report(broken: list[Result]) -> str:
    lines = [
        "The weekly link check found outside links that do not work.",
        "",
        "Fix each one where the address is stored: contacts in `data/contacts.yml`, "
        "resources in `data/sources.yml` (see docs/contribute/adding-data.md). Check the "
        "publisher's site for the new address, update `last_verified` and `source_note`, "
        "and remove the entry if the resource is gone.",
        "",
        "| Address | Problem | Pages |",
        "| --- | --- | --- |",
    ]
    for item in broken:
        pages = ", ".join(sorted(item.pages)[:5]) + (" …" if len(item.pages) > 5 else "")
        lines.append(f"| {item.url} | {item.detail} | {pages} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site folder (site/)")
    parser.add_argument("--report", type=Path, help="write a Markdown report of broken links here")
    parser.add_argument("--ignore", action="append", default=[],
                        help="skip addresses starting with this (repeatable)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per request")
    parser.add_argument("--workers", type=int, default=8, help="requests at the same time")
    args = parser.parse_args(argv)

    links = external_links(args.site, tuple(args.ignore))
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(lambda url: check(url, args.timeout), sorted(links)))
    for result in results:
        result.pages = links[result.url]
    broken = [r for r in results if not r.ok]
    for result in results:
        print(f"{'ok    ' if result.ok else 'BROKEN'} {result.url} ({result.detail})")
    print(f"\n{len(links)} outside links checked, {len(broken)} broken.")
    if args.report:
        args.report.write_text(report(broken) if broken else "No broken links.\n", encoding="utf-8")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
