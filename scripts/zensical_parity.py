"""Compare the Zensical build with the MkDocs build and write the parity report.

    .venv/bin/python scripts/zensical_parity.py [--zensical build/zensical]
        [--mkdocs DIR] [--axe sample|all] [--out docs/contribute/moving-to-zensical.md]
        [--summary FILE]

Run by `make build-zensical` after scripts/build_zensical.py. Every result in the
report comes from this run:

- every page: is its HTML file in each output;
- every reader-facing feature: the same browser and file checks the test suite runs
  (tests/test_quick_exit.py, tests/test_privacy.py, tests/test_accessibility.py...,
  plus tests/engine_parity/check_features.py), run once against each output through
  EGUIDE_REUSE_BUILD; a feature is "same" when its checks pass on both;
- first-view weight with tests/test_budgets.py's own measure; build time of one clean
  online build of each engine, timed in the same run.

A report, not a gate: it exits 0 whatever the outcome (1 only when it cannot run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as `make build-zensical` does: scripts/ is the script's own folder; the Makefile puts
# the project and tests/ (the browser checks this report shares with the tests) on PYTHONPATH.

import build  # noqa: E402  (scripts/build.py)
import zensical_config  # noqa: E402
from sitemap import page_path  # noqa: E402  (tests/sitemap.py)
from test_budgets import FIRST_VIEW_BUDGET, NOT_READING_PAGES, first_view_bytes  # noqa: E402

from macros.project import load_project  # noqa: E402

REPORT = ROOT / "docs/contribute/moving-to-zensical.md"
WORK = ROOT / "build/parity"
CHECKS = "tests/engine_parity/check_features.py"
# A spread of page kinds for axe (--axe all runs every page, as `make test` does).
AXE_SAMPLE = ("index.md", "forming/index.md", "structure/mou.md", "structure/mou-template.md",
              "resources/contacts.md", "glossary.md", "states/ca.md", "es/index.md",
              "identifying/general-indicators.md", "resources/references.md")


@dataclass
class Feature:
    name: str
    checks: tuple[str, ...]  # pytest node ids, or a file/prefix matching several
    note: str = ""


FEATURES = (
    Feature("Quick exit and its history behaviour",
            ("tests/test_quick_exit.py",
             "tests/test_reader_experience.py::test_quick_exit_leaves_and_back_does_not_return",
             "tests/test_reader_experience.py::test_quick_exit_works_offline_from_file_url")),
    Feature("Help banner",
            ("tests/test_reader_experience.py::test_help_banner_reads_the_contact_data",
             "tests/test_reader_experience.py::test_help_banner_dismissal_is_remembered_without_cookies")),
    Feature("Footer", (f"{CHECKS}::test_footer_says_what_the_guide_is_and_links_to_browsing_safely",)),
    Feature("Call-outs", ("tests/test_theme_styles.py::test_each_callout_type_has_its_own_icon_and_colour",)),
    Feature("Contact cards",
            (f"{CHECKS}::test_contact_cards_show_dialable_numbers",
             "tests/test_phone_layout.py::test_who_to_call_cards_are_compact_and_keep_every_fact")),
    Feature("Resource tables",
            (f"{CHECKS}::test_resource_table_lists_linked_resources",
             "tests/test_theme_styles.py::test_resource_table_caption_is_styled")),
    Feature("Glossary tooltips", (f"{CHECKS}::test_glossary_terms_show_their_definition_on_hover",)),
    Feature("Search online",
            ("tests/test_search_quality.py",
             "tests/test_budgets.py::test_search_index_waits_until_the_reader_opens_search")),
    Feature("Search offline from file://",
            ("tests/test_browser_navigation.py::test_offline_bundle_from_file_url_with_network_off",)),
    Feature("Zero third-party requests",
            ("tests/test_privacy.py::test_online_build_loads_nothing_from_third_parties",
             "tests/test_privacy.py::test_offline_build_loads_nothing_from_third_parties",
             "tests/test_browser_navigation.py::test_online_site_on_localhost_makes_no_outside_requests")),
    Feature("Accessibility (axe, WCAG 2.2 AA)", ("tests/test_accessibility.py",)),
)

# Text each output's pages are searched for: how many pages show it in each build.
MARKERS = (
    ("Help banner", 'class="eguide-help"'),
    ("Quick exit button", "data-eguide-quick-exit"),
    ("Footer", "eguide-footer"),
    ("Call-outs", 'class="admonition'),
    ("Contact cards", 'class="contact-card"'),
    ("Resource tables", 'class="resource-table"'),
    ("Glossary abbreviations", "<abbr title="),
    ("Footnote citations", 'class="footnote"'),
    ("Last reviewed line", "eguide-page-meta"),
    ("Translation notice or link", "eguide-translation"),
    ("Last updated date (git)", 'class="git-revision-date-localized-plugin'),
    ("Edit this page button", "md-content__button"),
)


def _run(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, **kwargs)
    return time.perf_counter() - start


def node_ids(axe: str) -> list[str]:
    ids: list[str] = []
    for feature in FEATURES:
        for check in feature.checks:
            if check == "tests/test_accessibility.py" and axe == "sample":
                ids += [f"{check}::test_page_has_no_wcag_violations[{src}]" for src in AXE_SAMPLE]
            else:
                ids.append(check)
    return ids


def read_junit(junit: Path) -> dict[str, tuple[str, str]]:
    results: dict[str, tuple[str, str]] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        node = f"{module}.py::{case.get('name')}"
        outcome, reason = "passed", ""
        for kind in ("failure", "error", "skipped"):
            found = case.find(kind)
            if found is not None:
                outcome = "skipped" if kind == "skipped" else "failed"
                reason = _reason(found.get("message") or "", found.text or "")
                break
        results[node] = (outcome, reason)
    return results


def run_checks(build_dir: Path, junit: Path, ids: list[str]) -> dict[str, tuple[str, str]]:
    """Run the checks against one build; returns node id → (outcome, short reason)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # CI=true refuses to reuse
    env["EGUIDE_REUSE_BUILD"] = str(build_dir)
    subprocess.run([sys.executable, "-m", "pytest", "-q", "--tb=short",
                    f"--junitxml={junit}", *ids], cwd=ROOT, env=env, check=False)
    return read_junit(junit)


def _reason(message: str, text: str) -> str:
    """The first line of the failure, and the element Playwright waited for, if any."""
    lines = [line.strip() for line in (message or text).splitlines() if line.strip()]
    reason = lines[0] if lines else "failed"
    waited = [line.split("waiting for", 1)[1].strip() for line in text.splitlines()
              if "waiting for locator" in line]
    if waited:
        reason += f" (waiting for {waited[0]})"
    return reason[:300]


def _matches(node: str, feature: Feature) -> bool:
    return any(node == c or node.startswith(c + "::") or node.startswith(c + "[")
               for c in feature.checks)


def _grouped(nodes: list[str], reasons: dict[str, str]) -> str:
    """Failures grouped by reason: "2 checks (test_a, test_b): reason"."""
    groups: dict[str, list[str]] = {}
    for node in nodes:
        groups.setdefault(reasons[node], []).append(node.split("::", 1)[1])
    parts = []
    for reason, names in sorted(groups.items(), key=lambda item: -len(item[1]))[:3]:
        shown = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
        parts.append(f"{len(names)} × {shown}: {reason}")
    if len(groups) > 3:
        parts.append(f"{len(groups) - 3} other reasons")
    return "; ".join(_e(part) for part in parts)


def verdict(feature: Feature, mk: dict[str, tuple[str, str]], zs: dict[str, tuple[str, str]]) -> str:
    """Check by check: a check that passes on MkDocs and fails on Zensical is a difference;
    one that fails on both builds is reported, and is not a difference of the engines."""
    nodes = sorted(n for n in set(mk) | set(zs) if _matches(n, feature))
    ran = [n for n in nodes if mk.get(n, ("missing",))[0] != "skipped"
           and zs.get(n, ("missing",))[0] != "skipped"]
    if not ran:
        return "missing (none of its checks ran on both builds)"
    reasons = {n: zs.get(n, ("failed", "did not run"))[1] or "failed" for n in ran}
    both_pass = [n for n in ran if mk[n][0] == "passed" and zs.get(n, ("",))[0] == "passed"]
    zs_only = [n for n in ran if mk[n][0] == "passed" and zs.get(n, ("",))[0] != "passed"]
    both_fail = [n for n in ran if mk[n][0] != "passed" and zs.get(n, ("",))[0] != "passed"]
    mk_only = [n for n in ran if mk[n][0] != "passed" and zs.get(n, ("",))[0] == "passed"]
    notes = []
    if both_fail:
        notes.append(f"{len(both_fail)} fail on both builds: "
                     + _grouped(both_fail, {n: mk[n][1] for n in both_fail}))
    if mk_only:
        notes.append(f"{len(mk_only)} fail on MkDocs only: "
                     + _grouped(mk_only, {n: mk[n][1] for n in mk_only}))
    tail = f"; {'; '.join(notes)}" if notes else ""
    if not both_pass and not zs_only:
        return f"not comparable: every check fails on MkDocs too{tail}"
    if not zs_only:
        return f"same ({len(both_pass)} of {len(ran)} checks pass on both{tail})"
    return (f"differs: {len(zs_only)} of {len(ran)} checks pass on MkDocs and fail on Zensical "
            f"({_grouped(zs_only, reasons)}){tail}")


def _e(text: str) -> str:
    """Safe inside a Markdown table cell and the macros' Jinja pass."""
    return (text.replace("|", "\\|").replace("{", "(").replace("}", ")")
            .replace("<", "&lt;").replace("\n", " "))


def pages_built(mk_site: Path, zs_site: Path, project) -> list[tuple[str, bool, bool]]:
    rows = []
    for md in sorted(project.docs_dir.rglob("*.md")):
        src = md.relative_to(project.docs_dir).as_posix()
        if any(part.startswith((".", "_")) for part in src.split("/")):
            continue
        out = page_path(src, directory_urls=True)
        rows.append((src, (mk_site / out).is_file(), (zs_site / out).is_file()))
    return rows


def first_view(site: Path) -> dict:
    """tests/test_budgets.py's measure, on every reading page of one build."""
    cache: dict = {}
    sizes = {p.relative_to(site).as_posix(): first_view_bytes(p, cache, site)
             for p in site.rglob("*.html") if p.relative_to(site).as_posix() not in NOT_READING_PAGES}
    heaviest = max(sizes, key=sizes.get)
    return {"home": sizes["index.html"], "max": sizes[heaviest], "heaviest": heaviest,
            "over": sum(1 for size in sizes.values() if size > FIRST_VIEW_BUDGET)}


def weight_verdict(mk: dict, zs: dict) -> str:
    numbers = (f"home page {_kb(mk['home'])} on MkDocs, {_kb(zs['home'])} on Zensical; heaviest "
               f"reading page {_kb(mk['max'])} (`{mk['heaviest']}`) and {_kb(zs['max'])} "
               f"(`{zs['heaviest']}`); pages over the {_kb(FIRST_VIEW_BUDGET)} budget: "
               f"{mk['over']} and {zs['over']} (gzip, tests/test_budgets.py's measure)")
    if abs(zs["home"] - mk["home"]) <= 0.02 * mk["home"] and zs["over"] <= mk["over"]:
        return f"same ({numbers})"
    return f"differs: {numbers}"


def marker_counts(site: Path) -> dict[str, int]:
    texts = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    return {name: sum(1 for t in texts if needle in t) for name, needle in MARKERS}


def _kb(n: int) -> str:
    return f"{n / 1000:.1f} KB"


def write_report(out: Path, summary: Path | None, *, pages, features, weights, markers,
                 times, axe_pages: int) -> None:
    mk_pages = sum(1 for _, m, _ in pages if m)
    zs_pages = sum(1 for _, _, z in pages if z)
    missing = [src for src, m, z in pages if m and not z]
    same = sum(1 for _, v in features if v.startswith("same"))
    same += weight_verdict(weights["mkdocs"], weights["zensical"]).startswith("same")
    today = date.today().isoformat()
    lines = [
        "## Where we stand",
        "",
        f"Measured on {today} with Zensical 0.0.73 against mkdocs 1.6.1 and "
        f"mkdocs-material 9.8.1 (Python {platform.python_version()}, {os.cpu_count()} CPU cores). "
        f"Zensical built **{zs_pages} of {len(pages)} pages** (MkDocs: {mk_pages}); "
        f"**{same} of {len(features) + 1}** reader-facing features are the same (build time "
        "is reported, not compared).",
        "",
        "| Feature | Zensical compared with MkDocs |",
        "| --- | --- |",
        *[f"| {name} | {v} |" for name, v in features],
        f"| First-view weight | {weight_verdict(weights['mkdocs'], weights['zensical'])} |",
        f"| Build time | differs: one clean online build took {times['mkdocs']:.1f} s with "
        f"MkDocs and {times['zensical']:.1f} s with Zensical, which does less (no print-site, "
        "git dates or hooks) |",
        "",
        f"Accessibility (axe) ran on {axe_pages} pages, in both palettes, at desktop and "
        "phone widths (`PARITY_ARGS=\"--axe all\"` runs every page).",
        "",
        "## What the Zensical build leaves out",
        "",
        "These are skipped on purpose by `scripts/zensical_config.py`, so the build does not "
        "fail on them; each is **missing** until Zensical offers it or the guide replaces it.",
        "",
        "| Left out | Why, and what readers lose |",
        "| --- | --- |",
        *[f"| `{name}` plugin | {_e(why)} |" for name, why in zensical_config.SKIPPED_PLUGINS.items()],
        *[f"| `{name}` hook | {_e(why)} |" for name, why in zensical_config.SKIPPED_HOOKS.items()],
        "",
        "## What the pages show, counted",
        "",
        "How many built pages contain each piece (a quick way to see what a template or "
        "plugin does not produce):",
        "",
        "| Piece | MkDocs pages | Zensical pages |",
        "| --- | --- | --- |",
        *[f"| {name} | {markers['mkdocs'][name]} | {markers['zensical'][name]} |"
          for name, _ in MARKERS],
        "",
        "## Every page",
        "",
        (f"Pages MkDocs built and Zensical did not: {', '.join(f'`{s}`' for s in missing)}."
         if missing else "Every page MkDocs built, Zensical built too."),
        "",
        f'??? info "All {len(pages)} pages"',
        "",
        "    | Page | MkDocs | Zensical |",
        "    | --- | --- | --- |",
        *[f"    | `{src}` | {'built' if m else 'not built'} | {'built' if z else 'not built'} |"
          for src, m, z in pages],
        "",
    ]
    body = "\n".join(lines).rstrip()
    page = f"""---
title: Moving to Zensical
description: How far the guide is from building with Zensical, measured on every change by make build-zensical.
audiences: [editors]
last_reviewed: {today}
# Staff page: kept out of the reader search index.
search:
  exclude: true
---

# Moving to Zensical

Material for MkDocs, the theme this guide is built with, reaches end of life on May 5,
2027. Its makers' successor is Zensical. This page is written by `make build-zensical`,
which builds the same `docs/`, `data/`, `macros/` and `overrides/` with Zensical into
`build/zensical/` and runs the same browser checks against both outputs. It is a report,
not a test: the pull request check posts it and never fails. Do not edit it by hand.

{{% raw %}}

{body}

{{% endraw %}}

## How the Zensical build works

- `requirements-zensical.txt` pins Zensical and what the macros need, in their own
  virtual environment (`.venv-zensical`), so the MkDocs stack never changes.
- `scripts/zensical_config.py` writes the Zensical configuration from `mkdocs.yml`
  (nothing to keep in step by hand) and lists what it leaves out.
- The macros run unchanged: `macros/site.py` reads the page and configuration through
  one adapter that knows both engines; `macros/zensical.py` does the two page steps
  Zensical's macros extension does not (the front matter check, and the template
  download line and glossary abbreviations after the macros).
- `scripts/zensical_parity.py` writes this page.

## Related

- [Performance report](performance.md): build time of both engines side by side.
- [Workflows](workflows.md): the pull request check and the weekly issue.
"""
    out.write_text(page, encoding="utf-8")
    if summary is not None:
        summary.write_text("# Zensical parity report\n\n" + github_markdown(body) + "\n",
                           encoding="utf-8")


def github_markdown(body: str) -> str:
    """The report for a job summary or an issue: GitHub has no `??? info` blocks, so the
    page list becomes a <details> element."""
    out, inside = [], False
    for line in body.splitlines():
        if line.startswith('??? info "'):
            out.append(f"<details><summary>{line.split(chr(34))[1]}</summary>")
            inside = True
        elif inside and line and not line.startswith("    "):
            out += ["", "</details>", "", line]
            inside = False
        else:
            out.append(line[4:] if inside else line)
    if inside:
        out += ["", "</details>"]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--zensical", type=Path, default=ROOT / "build/zensical")
    parser.add_argument("--mkdocs", type=Path, help="an existing `scripts/build.py --out` folder")
    parser.add_argument("--axe", choices=("sample", "all"), default="sample")
    parser.add_argument("--out", type=Path, default=REPORT)
    parser.add_argument("--summary", type=Path, help="also write the report body here")
    parser.add_argument("--rewrite", action="store_true",
                        help="write the report again from the last run's results in "
                             "build/parity/ (after a change to this script's wording)")
    args = parser.parse_args(argv)
    zensical = args.zensical.resolve()
    WORK.mkdir(parents=True, exist_ok=True)
    mk_dir = args.mkdocs.resolve() if args.mkdocs else WORK / "mkdocs"
    if args.rewrite:
        times = json.loads((WORK / "times.json").read_text(encoding="utf-8"))
        results = {engine: read_junit(WORK / f"{engine}.xml") for engine in ("mkdocs", "zensical")}
    else:
        timings = json.loads((zensical / "timings.json").read_text(encoding="utf-8"))
        if args.mkdocs is None:
            _run([sys.executable, "scripts/build.py", "--out", str(mk_dir)])
        # One clean online build, timed the way scripts/build_zensical.py times Zensical's.
        mk_time = _run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict",
                        "--clean", "-d", str(WORK / "mkdocs-timing")],
                       env=dict(os.environ, OFFLINE="false"))
        times = {"mkdocs_online_seconds": round(mk_time, 2), **timings,
                 "mkdocs_dir": str(mk_dir), "zensical_dir": str(zensical)}
        ids = node_ids(args.axe)
        results = {engine: run_checks(folder, WORK / f"{engine}.xml", ids)
                   for engine, folder in (("mkdocs", mk_dir), ("zensical", zensical))}
        (WORK / "times.json").write_text(json.dumps(times, indent=2) + "\n", encoding="utf-8")
    mk_dir, zensical = Path(times["mkdocs_dir"]), Path(times["zensical_dir"])
    features = [(f.name, verdict(f, results["mkdocs"], results["zensical"])) for f in FEATURES]
    axe_pages = sum(1 for node in results["zensical"] if "test_page_has_no_wcag_violations" in node)
    project = load_project()
    mk_site, zs_site = build.outputs_under(mk_dir).site, build.outputs_under(zensical).site
    write_report(args.out, args.summary,
                 pages=pages_built(mk_site, zs_site, project), features=features,
                 weights={"mkdocs": first_view(mk_site), "zensical": first_view(zs_site)},
                 markers={"mkdocs": marker_counts(mk_site), "zensical": marker_counts(zs_site)},
                 times={"mkdocs": times["mkdocs_online_seconds"],
                        "zensical": times["online_seconds"]}, axe_pages=axe_pages)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
