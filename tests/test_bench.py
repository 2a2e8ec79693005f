"""The parts of `make bench` that read files: a pytest report for the CI row and the
goals table it rewrites in part. (Nothing here times anything.)"""

from __future__ import annotations

import bench  # scripts/bench.py (tests/conftest.py puts scripts/ on the path)

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="3" time="412.5">
<testcase classname="tests.test_build" name="test_strict" time="100.25"/>
<testcase classname="tests.test_build" name="test_zip" time="20.0"/>
<testcase classname="tests.test_search_quality" name="test_query[peonage]" time="1.5"/>
</testsuite></testsuites>"""

DURATIONS = """============================= slowest durations ==============================
95.10s setup    tests/test_accessibility.py::test_axe[home]
3.20s call     tests/test_accessibility.py::test_axe[home]
0.01s teardown tests/test_accessibility.py::test_axe[home]
2.00s call     tests/test_states.py::test_each_state
=========== 612 passed, 3 xfailed, 1 warning in 598.21s (0:09:58) ============
"""


def test_junit_report_gives_wall_time_and_each_test(tmp_path):
    report = tmp_path / "junit.xml"
    report.write_text(JUNIT, encoding="utf-8")
    wall, tests = bench.read_durations(report)
    assert wall == 412.5
    assert tests == {"tests/test_build.py::test_strict": 100.25, "tests/test_build.py::test_zip": 20.0,
                     "tests/test_search_quality.py::test_query[peonage]": 1.5}
    [figure], table = bench.ci_figures(report)
    assert figure.met is False  # 412.5 s is over six minutes
    assert table.splitlines()[2].startswith("| tests/test_build.py | 120 |")


def test_durations_text_sums_setup_call_and_teardown(tmp_path):
    report = tmp_path / "durations.txt"
    report.write_text(DURATIONS, encoding="utf-8")
    wall, tests = bench.read_durations(report)
    assert wall == 598.21
    assert round(tests["tests/test_accessibility.py::test_axe[home]"], 2) == 98.31
    assert tests["tests/test_states.py::test_each_state"] == 2.0


def test_a_partial_run_keeps_the_rows_it_did_not_measure():
    old = bench.merge_goals(None, [
        bench.Figure("Search: whole question to first results, online (served)", "≤ 100 ms", "80 ms", True),
        bench.Figure("CI: every test (`make test`) on 2 cores", "≤ 6 minutes", "500 s", False),
    ])
    new = bench.merge_goals(old, [
        bench.Figure("Search: whole question to first results, online (served)", "≤ 100 ms", "120 ms", False),
    ])
    rows = new.splitlines()[2:]
    assert len(rows) == 2
    assert "120 ms | **no**" in rows[0] and "80 ms" not in new
    assert "500 s | **no**" in rows[1]


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert bench.percentile(values, 95) == 19.0
    assert bench.percentile(values, 50) == 10.0
    assert bench.percentile([7.0], 95) == 7.0


def test_a_figure_not_measured_keeps_the_one_measured_before():
    what = "A figure outside the list of goals"
    old = bench.merge_goals(None, [bench.Figure(what, "≤ 6 minutes", "500 s wall", False)])
    new = bench.merge_goals(old, [bench.Figure(what, "≤ 6 minutes", "not measured by this run", None)])
    assert "500 s wall" in new and "not measured" not in new
    assert len(new.splitlines()) == 3


def test_rewriting_the_report_keeps_each_section_once(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "REPORT", tmp_path / "performance.md")
    bench.write_report({"profile": "Profile table.", "goals": bench.GOALS_HEADER})
    bench.write_report({"goals": bench.GOALS_HEADER})  # a run that did not profile
    text = bench.REPORT.read_text(encoding="utf-8")
    assert text.count("## Where the online build's seconds go") == 1
    assert text.count("Profile table.") == 1


def test_scripts_are_named_without_the_local_address():
    base = "http://127.0.0.1:41234/"
    assert bench.script_name(base + "assets/javascripts/bundle.min.js", base) == "bundle.min.js"
    assert bench.script_name(base + "understanding/federal-law/", base) == "the page itself"
    assert bench.script_name("Unattributable", base) == "Unattributable"
