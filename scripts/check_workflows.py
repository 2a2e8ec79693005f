"""Check the GitHub workflows the way GitHub and a security review would, offline.

    python scripts/check_workflows.py [--root DIR]

`make lint` runs this, so a workflow edit that GitHub would reject, or that weakens the
workflows' security, fails like any other check. Three checks, each problem printed as

    .github/workflows/deploy.yml:27: zizmor unpinned-uses: ... (high).
        Fix: pin the action to the full commit SHA of its release ...

  actionlint  syntax, expressions, job graph, and actions whose runtime GitHub has
              removed (pinned in pyproject.toml's lint extra; shellcheck and pyflakes
              integration is switched off so every machine gets the same result)
  zizmor      security audit: unpinned actions, write permissions, credentials left
              in uploaded artifacts, script injection. Run with --offline: it never
              calls the GitHub API. Findings of low severity and above fail.
  project     rules of this repository that neither tool enforces: every job states its
              permissions, the workflow's default is read-only, and every SHA pin says
              which version it is, so Dependabot and reviewers can follow it.

docs/contribute/workflows.md explains the rules and how pins are kept current.
Exit status 1 when any problem is found.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

from scripts.lint import Problem  # the same message format as make check

HELP_PAGE = "docs/contribute/workflows.md"
PIN_FIX = (f"Pin the action to the full 40-character commit SHA of its current release, with the "
           f"version in a comment: uses: actions/checkout@<sha> # v7.0.1. {HELP_PAGE} shows how "
           "to find the SHA.")
PERMISSIONS_FIX = ("Set permissions: {} at the top of the workflow, and give each job, under the "
                   "job, only the permissions it uses (for example contents: read).")

ACTIONLINT_FIXES = {
    "syntax-check": "Correct the YAML or the key as the message says: GitHub would not run this "
                    "workflow.",
    "expression": "Correct the ${{ }} expression as the message says. To use outside text in a "
                  "script, pass it through env: and write \"$NAME\" in the script.",
    "action": "Move to the action's current major release, pinned by commit SHA with the version "
              f"in a comment; {HELP_PAGE} shows how.",
    "permissions": "Use a permission GitHub knows (contents, pages, issues, id-token ...) with "
                   "read, write or none.",
    "job-needs": "Name existing jobs in needs:, with no loop of jobs needing each other.",
    "runner-label": "Use a GitHub-hosted runner label such as ubuntu-24.04.",
    "events": "Use an event and filters GitHub knows, as the message says.",
}
ZIZMOR_FIXES = {
    "unpinned-uses": PIN_FIX,
    "excessive-permissions": PERMISSIONS_FIX,
    "artipacked": "Add persist-credentials: false under with: for actions/checkout, and never "
                  "upload the checkout folder itself (upload site/, dist/ or one report file).",
    "template-injection": "Pass the value through env: (NAME: ${{ ... }}) and write \"$NAME\" in the "
                          "script, instead of ${{ }} inside run:.",
    "dangerous-triggers": "Use pull_request, not pull_request_target or workflow_run, unless an "
                          "engineer has reviewed why it is safe.",
    "unpinned-images": "Name the container image with a version tag or digest, never latest.",
    "dependabot-cooldown": "Add cooldown: default-days: 7 to the Dependabot entry.",
}
# The tokens a CI job may hold; neither tool needs them, and zizmor must stay offline.
TOKEN_VARIABLES = ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN", "GH_HOST")


def _tool(name: str) -> str | None:
    beside_python = Path(sys.executable).parent / name
    return str(beside_python) if beside_python.exists() else shutil.which(name)


def _run(command: list[str], root: Path) -> subprocess.CompletedProcess | None:
    env = {k: v for k, v in os.environ.items() if k not in TOKEN_VARIABLES}
    env["NO_COLOR"] = "1"
    try:
        return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True,
                              timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None


def _missing(name: str, detail: str) -> Problem:
    return Problem(name, 1, "tools", f"{name} could not run ({detail.strip()[:300]}).",
                   "Run `make lint`, which installs the pinned tools into .venv first.")


def workflow_files(root: Path) -> list[str]:
    folder = root / ".github" / "workflows"
    files = [*folder.glob("*.yml"), *folder.glob("*.yaml")] if folder.is_dir() else []
    return sorted(path.relative_to(root).as_posix() for path in files)


# --- actionlint ------------------------------------------------------------------------

def run_actionlint(root: Path, files: list[str]) -> list[Problem]:
    binary = _tool("actionlint")
    if binary is None:
        return [_missing("actionlint", "not found")]
    result = _run([binary, "-format", "{{json .}}", "-shellcheck=", "-pyflakes=", *files], root)
    if result is None or result.returncode not in (0, 1):
        return [_missing("actionlint", (result.stderr or result.stdout) if result else "timed out")]
    problems = []
    for error in json.loads(result.stdout or "[]"):
        kind = error.get("kind", "")
        problems.append(Problem(
            error["filepath"].removeprefix("./"), int(error["line"]), f"actionlint {kind}",
            error["message"].rstrip(".") + ".",
            ACTIONLINT_FIXES.get(kind, "Correct the workflow as the message says; "
                                       f"{HELP_PAGE} explains the project's rules.")))
    return problems


# --- zizmor ----------------------------------------------------------------------------

LOAD_FAILURE = re.compile(r"failed to load (?:file://)?(?P<path>\S+) as (?P<kind>[\w-]+)")


def _zizmor_location(finding: dict) -> tuple[str, int, str]:
    locations = finding.get("locations") or [{}]
    primary = next((loc for loc in locations
                    if loc.get("symbolic", {}).get("kind") == "Primary"), locations[0])
    key = primary.get("symbolic", {}).get("key", {}).get("Local", {})
    path = (key.get("verbatim_path") or key.get("given_path") or ".github").removeprefix("./")
    row = primary.get("concrete", {}).get("location", {}).get("start_point", {}).get("row", 0)
    return path, int(row) + 1, primary.get("symbolic", {}).get("annotation", "")


def run_zizmor(root: Path, already_broken: bool) -> list[Problem]:
    binary = _tool("zizmor")
    if binary is None:
        return [_missing("zizmor", "not found")]
    result = _run([binary, "--offline", "--strict-collection", "--format", "json-v1",
                   "--min-severity", "low", "--no-progress", ".github"], root)
    # 0: no findings; 10-14: findings, by highest severity. Anything else: zizmor failed.
    if result is None or not (result.returncode == 0 or 10 <= result.returncode <= 14):
        detail = (result.stderr or result.stdout) if result else "timed out"
        failure = LOAD_FAILURE.search(detail)
        if failure or already_broken:
            path = failure.group("path").removeprefix("./") if failure else ".github"
            kind = failure.group("kind") if failure else "workflow"
            return [Problem(path, 1, "zizmor", f"zizmor could not read this file as a {kind}, "
                            "so it audited none of the workflows.",
                            "Fix the problems actionlint reports for this file first: zizmor "
                            "audits only files that are valid YAML and valid for GitHub.")]
        return [_missing("zizmor", detail)]
    problems = []
    for finding in json.loads(result.stdout or "[]"):
        if finding.get("ignored"):
            continue
        ident = finding["ident"]
        severity = finding.get("determinations", {}).get("severity", "").lower()
        path, line, annotation = _zizmor_location(finding)
        detail = f": {annotation}" if annotation else ""
        problems.append(Problem(
            path, line, f"zizmor {ident}", f"{finding['desc']}{detail} ({severity}).",
            ZIZMOR_FIXES.get(ident, f"Correct the workflow as zizmor's documentation for this "
                                    f"audit explains: {finding.get('url', 'docs.zizmor.sh')}.")))
    return problems


# --- the project's own rules -----------------------------------------------------------

SHA_PIN = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v?\d+(?:\.\d+)*\b")
READ_ONLY_DEFAULTS = ({}, {"contents": "read"}, "read-all")


def _mapping_items(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): (key, value) for key, value in node.value
            if isinstance(key, yaml.ScalarNode)}


def check_project_rules(root: Path, files: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    for name in files:
        text = (root / name).read_text(encoding="utf-8")
        lines = text.splitlines()
        try:
            document = yaml.compose(text)
        except yaml.YAMLError:
            continue  # actionlint reports the syntax error with its line
        top = _mapping_items(document) if document else {}
        if "permissions" not in top:
            problems.append(Problem(name, 1, "workflow-permissions",
                                    "the workflow does not set permissions:, so every job gets "
                                    "the repository's default token, which may write.",
                                    PERMISSIONS_FIX))
        else:
            key, value = top["permissions"]
            if yaml.safe_load(yaml.serialize(value)) not in READ_ONLY_DEFAULTS:
                problems.append(Problem(name, key.start_mark.line + 1, "workflow-permissions",
                                        "the workflow-level permissions give every job more "
                                        "than read access.", PERMISSIONS_FIX))
        for job, (key, value) in _mapping_items(top.get("jobs", (None, None))[1]).items():
            if "permissions" not in _mapping_items(value):
                problems.append(Problem(name, key.start_mark.line + 1, "job-permissions",
                                        f'the job "{job}" does not state its permissions.',
                                        "Add permissions: under the job with only what it uses "
                                        "(contents: read to read the repository), each with a "
                                        "comment saying why."))
        for number, line in enumerate(lines, 1):
            match = re.match(r"^\s*(?:-\s+)?uses:\s*([^\s#]+)(.*)$", line)
            if not match or match.group(1).startswith(("./", "docker://")):
                continue
            reference, rest = match.group(1).strip("'\""), match.group(2)
            if SHA_PIN.match(reference) and not VERSION_COMMENT.search(rest):
                problems.append(Problem(name, number, "pin-comment",
                                        f"{reference} is pinned by SHA but does not say which "
                                        "version that is.",
                                        "Add the release's version after the SHA as a comment, "
                                        "for example # v7.0.1, so reviewers and Dependabot can "
                                        "follow it."))
    return problems


# --- the whole run ---------------------------------------------------------------------

def check(root: Path) -> list[Problem]:
    files = workflow_files(root)
    if not files:
        return []
    problems = run_actionlint(root, files)
    broken = any(p.rule == "actionlint syntax-check" for p in problems)
    problems += run_zizmor(root, broken)
    # zizmor's excessive-permissions says the same as workflow-permissions, in its words.
    audited = {p.path for p in problems if p.rule == "zizmor excessive-permissions"}
    problems += [p for p in check_project_rules(root, files)
                 if not (p.rule == "workflow-permissions" and p.path in audited)]
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.rule))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/check_workflows.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="repository whose .github/ to check (default: this one)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    problems = check(root)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem)
        if annotate:
            print(problem.annotation())
    if problems:
        print(f"\n{len(problems)} workflow problem(s). Each line says the file, the line, the "
              f"check and how to fix it; {HELP_PAGE} explains the rules.", file=sys.stderr)
        return 1
    print(f"Workflow checks passed: {len(workflow_files(root))} workflow(s) checked with "
          "actionlint and zizmor (offline).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
