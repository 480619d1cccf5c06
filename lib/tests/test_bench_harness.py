"""The pure parts of `make bench` (benchmarks/harness.py): wrk output, ratios, the doc table.

No network, no database, no wrk: the harness module is loaded from its file.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

HARNESS_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "harness.py"


@pytest.fixture(scope="module")
def harness():
    spec = importlib.util.spec_from_file_location("bench_harness", HARNESS_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:40001/healthz
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     8.10ms    2.05ms  40.12ms   80.00%
    Req/Sec     1.00k    80.00     1.20k    70.00%
  Latency Distribution
     50%    7.90ms
     75%    9.00ms
     90%   10.50ms
     99%   15.00ms
  6000 requests in 3.00s, 1.50MB read
Requests/sec:   2000.00
Transfer/sec:    512.00KB
BENCH_LATENCY 7900 12250 15000 8100 40120
BENCH_SUMMARY 6000 3000000 1572864 0 0 0 0 0
"""


def test_parse_wrk_output_reads_the_lua_lines(harness):
    result = harness.parse_wrk_output(WRK_OUTPUT)
    assert result["requests"] == 6000
    assert result["rps"] == 2000.0
    assert result["p50_ms"] == 7.9
    assert result["p95_ms"] == 12.25
    assert result["p99_ms"] == 15.0
    assert result["max_ms"] == 40.12
    assert result["errors"] == {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}


def test_parse_wrk_output_counts_non_2xx_responses(harness):
    text = WRK_OUTPUT.replace("Requests/sec:", "  Non-2xx or 3xx responses: 12\nRequests/sec:")
    assert harness.parse_wrk_output(text)["errors"]["status"] == 12


def test_parse_wrk_output_without_the_lua_lines_fails_loudly(harness):
    with pytest.raises(harness.BenchError, match="BENCH_"):
        harness.parse_wrk_output("Running 3s test @ http://127.0.0.1:1/\n  0 requests in 3.00s\n")


def _result(rps, p50, p95, queries):
    return {"rps": rps, "p50_ms": p50, "p95_ms": p95, "queries": queries}


PAGES = [
    {"name": "bare", "kind": "bare", "role": "anonymous", "path": "/healthz"},
    {"name": "list", "kind": "html", "role": "city_officer", "path": "/enterprises/"},
    {"name": "api", "kind": "api", "role": "city_officer", "path": "/api/v1/enterprises/"},
]


def _report(harness):
    results = {
        "1000": {
            "bare": _result(2000, 8, 10, 0),
            "list": _result(600, 25, 28, 9),
            "api": _result(700, 20, 40, 4),
        },
        "100000": {
            "bare": _result(1900, 8, 11, 0),
            "list": _result(500, 40, 50, 9),
            "api": _result(700, 21, 41, 5),
        },
    }
    harness.evaluate(results, PAGES)
    report = {
        "date": "2026-11-30T00:00:00+08:00",
        "quick": True,
        "machine": {"cpu_model": "Test CPU", "nproc": 2, "ram_gb": 4.0, "python": "3.11.7",
                    "postgresql": "PostgreSQL 15.20", "git_commit": "0123456789abcdef"},
        "wrk": {"threads": 2, "connections": 16, "duration_s": 3},
        "pages": PAGES,
        "data": {"1000": {"load_before": 0.2}, "100000": {"load_before": 0.3}},
        "results": results,
        "growth": harness.growth(results, PAGES),
        "json_path": "benchmarks/results/bench-2026-11-30.json",
    }  # fmt: skip
    report["failures"] = harness.list_failures(report)
    return report


def test_evaluate_compares_each_page_with_the_bare_view_of_its_run(harness):
    report = _report(harness)
    small = report["results"]["1000"]
    assert small["list"]["rps_ratio"] == 0.3
    assert small["list"]["pass"] == {"rps": True, "p95": True}  # 0.30 >= 0.25; 28/10 <= 3
    assert small["api"]["rps_ratio"] == 0.35
    assert small["api"]["pass"] == {"rps": False, "p95": False}  # API needs 0.40; 40/10 > 3


def test_growth_flags_slower_pages_and_changed_query_counts(harness):
    grow = _report(harness)["growth"]
    assert grow["list"]["p50_ratio"] == 1.6
    assert grow["list"]["pass"] == {"latency": False, "queries": True}
    assert grow["api"]["pass"] == {"latency": True, "queries": False}


def test_render_table_lists_every_page_at_every_size_with_the_verdicts(harness):
    report = _report(harness)
    table = harness.render_table(report)
    assert "Test CPU (2 cores, 4.0 GB RAM)" in table
    assert "commit `0123456789`" in table
    assert "| list | city_officer | 1k | 600 | 25.0 | 28.0 | 0.30 ✅ | 2.80 ✅ | 9 |" in table
    assert "| api | city_officer | 100k | 700 |" in table
    assert "| list | 1.60 ❌ | 1.79 | 9 → 9 ✅ |" in table
    assert "| api | 1.05 ✅ | 1.02 | 4 → 5 ❌ |" in table
    assert "api at 1k: req/s ratio 0.35" in table
    assert "Warning" not in table


def test_render_table_warns_when_the_machine_was_busy(harness):
    report = _report(harness)
    report["data"]["1000"]["load_before"] = 4.8
    assert "load average 4.8 before the 1k run" in harness.render_table(report)


def test_replace_between_markers_keeps_the_rest_of_the_doc(harness):
    doc = "# Performance\n\nintro\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\n## Micro\n"
    new = harness.replace_between_markers(doc, "new table")
    assert (
        new == "# Performance\n\nintro\n\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\n\n## Micro\n"
    )
    assert harness.replace_between_markers(new, "newer").count("<!-- bench:start -->") == 1


def test_replace_between_markers_appends_when_missing(harness):
    new = harness.replace_between_markers("# Performance\n", "table")
    assert new.endswith("<!-- bench:start -->\ntable\n<!-- bench:end -->\n")


def test_scale_args_are_proportional_to_the_enterprises(harness):
    args = harness.scale_args(100_000)
    assert args == {"enterprises": 100_000, "applications": 30_000, "hazards": 150_000, "accidents": 20_000,
                    "audit-events": 5_000_000, "users": 2_000}  # fmt: skip
    assert harness.scale_args(1000)["users"] == 20


def test_git_commit_reads_refs_without_git(harness, tmp_path):
    (tmp_path / ".git" / "refs" / "heads").mkdir(parents=True)
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / ".git" / "packed-refs").write_text("# pack-refs\nabc123 refs/heads/main\n")
    assert harness.git_commit(tmp_path) == "abc123"
    (tmp_path / ".git" / "refs" / "heads" / "main").write_text("def456\n")
    assert harness.git_commit(tmp_path) == "def456"


def test_render_table_shows_a_page_too_slow_to_finish_as_a_lower_bound(harness):
    report = _report(harness)
    report["results"]["1000"]["list"].update(incomplete=True, p50_ms=5000.0, p95_ms=5000.0, rps=0.0)
    report["results"]["1000"]["list"]["errors"] = {"timeout": 16}
    table = harness.render_table(report)
    assert "| list | city_officer | 1k | 0 | > 5000.0 | > 5000.0 (16 timed out) |" in table
