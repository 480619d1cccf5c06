"""`make bench`: load-test the main pages against a bare Django view served the same way.

    .venv/bin/python benchmarks/harness.py [--sizes 1000,100000] [--duration 10] [--quick]

For each size (number of enterprises) it prepares a PostgreSQL database
``anbiao_bench_<size>`` (migrate, seed_demo, seed_scale; skipped when the database already
holds that size), serves the app with gunicorn the production way (2 sync workers, DEBUG off,
CONN_MAX_AGE=60, WhiteNoise over collected static files), and drives each page with wrk
(2 threads, 16 connections) from a second process on loopback, as a logged-in user of the
right role. ``/healthz`` — a JSON view with no query, through the full middleware — is the
bare view: the ceiling of this stack on this machine, measured in the same run.

It writes benchmarks/results/bench-<date>.json and the table between the markers in
docs/performance.md. It installs nothing: `make bench` checks for wrk and PostgreSQL first.
See docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
RESULTS_DIR = ROOT / "benchmarks" / "results"
DOC = ROOT / "docs" / "performance.md"
START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"

# Targets (ratios within one run, on the same machine).
TARGETS = {
    "api_rps_ratio": 0.40,  # API lists: at least 40 % of the bare view's requests per second
    "html_rps_ratio": 0.25,  # HTML pages: at least 25 %
    "p95_ratio": 3.0,  # p95 latency at most 3x the bare view's p95
    "growth_ratio": 1.3,  # p50 latency at the largest size at most 1.3x that at the smallest
}

WRK_THREADS = 2
WRK_CONNECTIONS = 16
WRK_TIMEOUT_S = 30

# wrk's done() hook: latency percentiles (microseconds) and the summary, on marked lines.
WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH_LATENCY %d %d %d %d %d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max))
  io.write(string.format("BENCH_SUMMARY %d %d %d %d %d %d %d %d\\n",
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


# --- pages ---------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    kind: str  # "bare", "html" or "api"
    role: str  # a key of bench_django.ROLE_USERS, or "anonymous"
    auth: str  # "none", "session" or "token"
    path: str


def build_pages(prepared: dict) -> list[Page]:
    """The bare view and the pages under test, with parameters picked from the seeded data."""
    q = urllib.parse.quote(prepared["q"])
    industry = urllib.parse.quote(prepared["industry"])
    cert_q = urllib.parse.quote(prepared["certificate_q"])
    token_role = prepared["token_role"]
    pages = [
        Page("bare view /healthz", "bare", "anonymous", "none", "/healthz"),
        Page(
            "enterprise list (search + industry)",
            "html",
            "city_officer",
            "session",
            f"/enterprises/?q={q}&industry={industry}",
        ),
    ]
    if prepared.get("application_id"):
        pages.append(
            Page(
                "application detail",
                "html",
                "city_officer",
                "session",
                f"/applications/{prepared['application_id']}/",
            )
        )
    pages += [
        # General hazards of the commonest industry: a full first page at 1k too (its pending ones are 3).
        Page("rectification ledger (filters)", "html", "city_officer", "session",
             f"/rectification/?level=general&industry={industry}"),
        Page("dashboard", "html", "leader", "session", "/dashboard/"),
        Page("public certificate lookup", "html", "anonymous", "none", f"/public/certificates/?q={cert_q}"),
        Page("API enterprises", "api", token_role, "token", "/api/v1/enterprises/"),
        Page("API applications", "api", token_role, "token", "/api/v1/applications/"),
        Page("API hazards", "api", token_role, "token", "/api/v1/rectification/hazards"),
        Page("API certificates", "api", token_role, "token", "/api/v1/results/certificates"),
    ]  # fmt: skip
    return pages


def page_headers(page: Page, prepared: dict) -> dict[str, str]:
    if page.auth == "session":
        return {"Cookie": f"sessionid={prepared['sessions'][page.role]}"}
    if page.auth == "token":
        return {"Authorization": f"Bearer {prepared['token']}"}
    return {}


# --- wrk output ----------------------------------------------------------------


class BenchError(RuntimeError):
    pass


def parse_wrk_output(text: str) -> dict:
    """Read the lines our Lua done() hook prints (and wrk's own summary as a cross-check).

    Latencies come back in milliseconds; ``rps`` is requests over the measured duration.
    """
    lat = re.search(r"^BENCH_LATENCY (\d+) (\d+) (\d+) (\d+) (\d+)$", text, re.M)
    summ = re.search(r"^BENCH_SUMMARY (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", text, re.M)
    if not lat or not summ:
        raise BenchError(f"wrk output without the BENCH_ lines (did the Lua script run?):\n{text}")
    p50, p95, p99, mean, lmax = (int(v) / 1000 for v in lat.groups())
    requests, duration_us, nbytes, e_connect, e_read, e_write, e_status, e_timeout = (
        int(v) for v in summ.groups()
    )
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "requests": requests,
        "duration_s": round(duration_us / 1e6, 3),
        "rps": round(requests / (duration_us / 1e6), 1) if duration_us else 0.0,
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "p99_ms": round(p99, 2),
        "mean_ms": round(mean, 2),
        "max_ms": round(lmax, 2),
        "bytes": nbytes,
        "errors": {
            "connect": e_connect,
            "read": e_read,
            "write": e_write,
            "status": max(e_status, int(non2xx.group(1)) if non2xx else 0),
            "timeout": e_timeout,
        },
    }


def run_wrk(url: str, headers: dict[str, str], duration: int, lua_path: Path, *, check: bool = True) -> dict:
    cmd = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{duration}s",
        # wrk's default timeout (2 s) drops slower responses from the latency figures: measure them.
        f"--timeout={WRK_TIMEOUT_S}s",
        "--latency",
        "-s",
        str(lua_path),
    ]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(url)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)  # noqa: S603
    if proc.returncode != 0:
        raise BenchError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    result = parse_wrk_output(proc.stdout)
    errors = result["errors"]
    # wrk counts the requests still open when the run ends as timeouts: recorded, not fatal.
    if check and (errors["status"] or errors["connect"] or errors["read"] or errors["write"]):
        raise BenchError(f"wrk saw failed requests on {url}: {errors}\n{proc.stdout}")
    if not result["requests"] or errors["timeout"] >= result["requests"]:
        # No response finished within the run (or none within wrk's latency limit): record a
        # lower bound rather than abort the run (a longer --duration measures it).
        bound = WRK_TIMEOUT_S * 1000.0 if result["requests"] else duration * 1000.0
        result.update(incomplete=True, p50_ms=bound, p95_ms=bound, p99_ms=bound)
    return result


# --- evaluation and the table --------------------------------------------------


def evaluate(size_results: dict[str, dict], pages: list[dict]) -> None:
    """Add ratios to the bare view and pass/fail flags to each page's result, in place."""
    bare_name = next(p["name"] for p in pages if p["kind"] == "bare")
    for results in size_results.values():
        bare = results[bare_name]
        for page in pages:
            r = results[page["name"]]
            r["rps_ratio"] = round(r["rps"] / bare["rps"], 3) if bare["rps"] else None
            r["p95_ratio"] = round(r["p95_ms"] / bare["p95_ms"], 2) if bare["p95_ms"] else None
            if page["kind"] == "bare":
                r["pass"] = {}
                continue
            floor = TARGETS["api_rps_ratio"] if page["kind"] == "api" else TARGETS["html_rps_ratio"]
            r["pass"] = {
                "rps": r["rps_ratio"] is not None and r["rps_ratio"] >= floor,
                "p95": r["p95_ratio"] is not None and r["p95_ratio"] <= TARGETS["p95_ratio"],
            }


def growth(size_results: dict[str, dict], pages: list[dict]) -> dict[str, dict]:
    """Per page: p50 and p95 at the largest size over the smallest, and whether queries stayed put."""
    sizes = sorted(size_results, key=int)
    if len(sizes) < 2:
        return {}
    small, large = size_results[sizes[0]], size_results[sizes[-1]]
    out = {}
    for page in pages:
        a, b = small[page["name"]], large[page["name"]]
        p50 = round(b["p50_ms"] / a["p50_ms"], 2) if a["p50_ms"] else None
        p95 = round(b["p95_ms"] / a["p95_ms"], 2) if a["p95_ms"] else None
        out[page["name"]] = {
            "from": sizes[0],
            "to": sizes[-1],
            "p50_ratio": p50,
            "p95_ratio": p95,
            "queries": [a.get("queries"), b.get("queries")],
            "pass": {
                "latency": p50 is not None and p50 <= TARGETS["growth_ratio"],
                "queries": a.get("queries") == b.get("queries"),
            },
        }
    return out


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("✅" if ok else "❌")


def _fmt_size(size: str | int) -> str:
    n = int(size)
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def busy_warning(report: dict) -> list[str]:
    """A line warning that other work shared the CPUs (load average over half the cores)."""
    nproc = report["machine"].get("nproc") or 1
    loads = {size: d.get("load_before") for size, d in report.get("data", {}).items()}
    busy = {size: load for size, load in loads.items() if load is not None and load > nproc / 2}
    if not busy:
        return []
    what = ", ".join(f"{load:.1f} before the {_fmt_size(size)} run" for size, load in sorted(busy.items()))
    return [
        "",
        f"**Warning:** the machine was busy (load average {what}): absolute numbers are low; ratios are noisier.",
    ]


def render_table(report: dict) -> str:
    """Markdown for docs/performance.md: machine, date, one table per run and the growth table."""
    m = report["machine"]
    lines = [
        f"Run of {report['date']} on {m['cpu_model']} ({m['nproc']} cores, {m['ram_gb']} GB RAM), "
        f"Python {m['python']}, {m['postgresql']}, commit `{m['git_commit'][:10]}`; "
        f"wrk -t{report['wrk']['threads']} -c{report['wrk']['connections']} -d{report['wrk']['duration_s']}s"
        + (" (quick mode)" if report.get("quick") else "")
        + f". Raw numbers: `{report['json_path']}`.",
        *busy_warning(report),
        "",
        "| page | role | enterprises | req/s | p50 ms | p95 ms | req/s ÷ bare | p95 ÷ bare p95 | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    pages = report["pages"]
    for size in sorted(report["results"], key=int):
        results = report["results"][size]
        for page in pages:
            r = results[page["name"]]
            ok = r.get("pass", {})
            rps_ratio = (
                "1.00 (baseline)"
                if page["kind"] == "bare"
                else f"{r['rps_ratio']:.2f} {_mark(ok.get('rps'))}"
            )
            p95_ratio = "1.00" if page["kind"] == "bare" else f"{r['p95_ratio']:.2f} {_mark(ok.get('p95'))}"
            queries = r.get("queries")
            over = "> " if r.get("incomplete") else ""
            timeouts = r.get("errors", {}).get("timeout", 0)
            late = f" ({timeouts} timed out)" if timeouts else ""
            lines.append(
                f"| {page['name']} | {page['role']} | {_fmt_size(size)} | {r['rps']:.0f} | {over}{r['p50_ms']:.1f} "
                f"| {over}{r['p95_ms']:.1f}{late} | {rps_ratio} | {p95_ratio} | {'–' if queries is None else queries} |"
            )
    lines.append("")
    grow = report.get("growth") or {}
    if grow:
        first = next(iter(grow.values()))
        lines += [
            f"Growth from {_fmt_size(first['from'])} to {_fmt_size(first['to'])} enterprises "
            f"(target: p50 ratio ≤ {TARGETS['growth_ratio']}, the same number of queries):",
            "",
            "| page | p50 ratio | p95 ratio | queries |",
            "|---|---:|---:|---|",
        ]
        for page in pages:
            g = grow[page["name"]]
            q_small, q_large = g["queries"]
            lines.append(
                f"| {page['name']} | {g['p50_ratio']:.2f} {_mark(g['pass']['latency'])} | {g['p95_ratio']:.2f} "
                f"| {q_small} → {q_large} {_mark(g['pass']['queries'])} |"
            )
    else:
        lines.append(
            "Growth with data: not measured in this run (it needs two sizes, e.g. `--sizes 1000,100000`)."
        )
    failures = report.get("failures") or []
    lines += ["", "Missed targets: " + ("; ".join(failures) if failures else "none") + "."]
    return "\n".join(lines)


def list_failures(report: dict) -> list[str]:
    out = []
    for size in sorted(report["results"], key=int):
        for page in report["pages"]:
            r = report["results"][size][page["name"]]
            for key, ok in r.get("pass", {}).items():
                if not ok:
                    what = "req/s ratio" if key == "rps" else "p95 ratio"
                    value = r["rps_ratio"] if key == "rps" else r["p95_ratio"]
                    out.append(f"{page['name']} at {_fmt_size(size)}: {what} {value}")
    for name, g in (report.get("growth") or {}).items():
        if not g["pass"]["latency"]:
            out.append(f"{name}: p50 growth {g['p50_ratio']}")
        if not g["pass"]["queries"]:
            out.append(f"{name}: queries {g['queries'][0]} → {g['queries'][1]}")
    return out


def replace_between_markers(text: str, body: str) -> str:
    """Replace what lies between the bench markers (appending them if the doc has none)."""
    block = f"{START_MARKER}\n{body.rstrip()}\n{END_MARKER}"
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start == -1 or end == -1 or end < start:
        return text.rstrip() + "\n\n" + block + "\n"
    return text[:start] + block + text[end + len(END_MARKER) :]


# --- machine -------------------------------------------------------------------


def git_commit(root: Path = ROOT) -> str:
    """The checked-out commit, read from .git without running git."""
    git = root / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        ref_file = git / ref
        if ref_file.exists():
            return ref_file.read_text().strip()
        packed = git / "packed-refs"
        for line in packed.read_text().splitlines() if packed.exists() else []:
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return "unknown"


def machine_info(pg_version: str) -> dict:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gb": ram_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": pg_version,
        "git_commit": git_commit(),
    }


# --- database ------------------------------------------------------------------


def scale_args(enterprises: int) -> dict[str, int]:
    """seed_scale's sizes, proportional to the number of enterprises."""
    applications = max(1, enterprises * 3 // 10)
    return {
        "enterprises": enterprises,
        "applications": applications,
        # About half the applications reach an on-site review; ten hazards per reviewed one.
        "hazards": applications // 2 * 10,
        "accidents": enterprises // 5,
        "audit-events": enterprises * 50,
        "users": max(20, enterprises // 50),  # seed_scale needs at least its 15 regulators
    }


def _pg(server_url: str):
    import psycopg

    return psycopg.connect(f"{server_url}/postgres", autocommit=True, connect_timeout=5)


def pg_version(server_url: str) -> str:
    with _pg(server_url) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0]


def seeded_size(server_url: str, db: str) -> tuple[int, str] | None:
    """The size and seeder a previous run recorded in the database's marker table, or None."""
    import psycopg

    try:
        with psycopg.connect(f"{server_url}/{db}", connect_timeout=5) as conn:
            row = conn.execute("SELECT enterprises, seeder FROM bench_marker LIMIT 1").fetchone()
            return (row[0], row[1]) if row else None
    except psycopg.Error:
        return None


def recreate_database(server_url: str, db: str) -> None:
    from psycopg import sql

    with _pg(server_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))


def write_marker(server_url: str, db: str, size: int, seeder: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/{db}") as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_marker (enterprises integer, seeder text, seeded_at timestamptz)"
        )
        conn.execute("DELETE FROM bench_marker")
        conn.execute("INSERT INTO bench_marker VALUES (%s, %s, now())", (size, seeder))


def app_env(database_url: str) -> dict[str, str]:
    """The production environment (DEBUG off, persistent connections) on plain HTTP loopback."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "60",
            # Plain HTTP on loopback: no redirect to HTTPS, cookies without the Secure flag.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("ANBIAO_TESTING", None)
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = False) -> None:
    cmd = [str(PY), "manage.py", *args]
    log(f"  $ {' '.join(cmd[1:])}")
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=quiet, text=True)  # noqa: S603
    if proc.returncode != 0:
        raise BenchError(
            f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout or ''}{proc.stderr or ''}"
        )


def django_side(env: dict[str, str], command: str, stdin: str | None = None) -> dict:
    proc = subprocess.run(  # noqa: S603
        [str(PY), "benchmarks/bench_django.py", command],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise BenchError(f"bench_django.py {command} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ensure_database(
    server_url: str, size: int, *, reseed: bool, seed: int, seeder: str = "auto"
) -> tuple[str, str]:
    """Create and seed anbiao_bench_<size> unless it already holds that size. Returns (url, seeder)."""
    db = f"anbiao_bench_{size}"
    url = f"{server_url}/{db}"
    env = app_env(url)
    have_scale = seeder == "scale" or (
        seeder == "auto" and (ROOT / "demo" / "management" / "commands" / "seed_scale.py").exists()
    )
    previous = seeded_size(server_url, db)
    if not reseed and previous and previous[0] == size and ("seed_scale" in previous[1]) == have_scale:
        log(f"Database {db} already seeded with {size} enterprises; reusing it (--reseed to rebuild).")
        manage(env, "migrate", "--noinput", "-v0")
        return url, previous[1]
    started = time.monotonic()
    log(f"Creating {db} and seeding {size} enterprises (this takes a while at large sizes)…")
    recreate_database(server_url, db)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--quiet")
    if have_scale:
        args = [f"--{k}={v}" for k, v in scale_args(size).items()]
        manage(env, "seed_scale", *args, f"--seed={seed}")
        seeder = "seed_demo + seed_scale " + " ".join(args)
    else:
        log(
            "  warning: demo/management/commands/seed_scale.py is missing; seeding with seed_demo --enterprises"
        )
        manage(env, "seed_demo", "--quiet", f"--enterprises={size}")
        seeder = f"seed_demo --enterprises={size}"
    write_marker(server_url, db, size, seeder)
    _analyze(url)
    log(f"  seeded in {time.monotonic() - started:.0f} s")
    return url, seeder


def _analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# --- server --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """One GET without following redirects (a redirect to the login page must not pass)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http URLs we build
    try:
        # Long enough for the requests wrk left queued to drain (16 slow ones before this one).
        with opener.open(request, timeout=300) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int = 2):
    cmd = [
        str(GUNICORN), "config.wsgi:application", "-w", str(workers), "-k", "sync",
        "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--access-logfile", "/dev/null",
    ]  # fmt: skip
    log_file = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603
        cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise BenchError(f"gunicorn exited ({proc.returncode}); log: {log_file.name}\n"
                                 + Path(log_file.name).read_text()[-3000:])  # fmt: skip
            with contextlib.suppress(OSError):
                if fetch(f"http://127.0.0.1:{port}/healthz", {})[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise BenchError(f"gunicorn did not answer /healthz within 60 s; log: {log_file.name}")
            time.sleep(0.3)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log_file.close()


# --- the run -------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


SHARED_PARAMETERS = ("q", "industry", "certificate_q")


def bench_size(
    server_url: str, size: int, args, lua_path: Path, shared: dict | None = None
) -> tuple[list[Page], dict, dict]:
    """Seed (once), prepare and load-test one size. ``shared``: the search and filter values
    chosen at the first size, so every size runs the same queries (growth compares like with like)."""
    url, seeder = ensure_database(server_url, size, reseed=args.reseed, seed=args.seed, seeder=args.seeder)
    env = app_env(url)
    prepared = django_side(env, "prepare")
    prepared.update(shared or {})
    pages = build_pages(prepared)
    page_dicts = [{"name": p.name, "path": p.path, "role": p.role, "auth": p.auth} for p in pages]
    queries = django_side(env, "queries", json.dumps({"pages": page_dicts, "prepared": prepared}))
    bad = {name: q["status"] for name, q in queries.items() if q["status"] != 200}
    if bad:
        raise BenchError(f"pages not answering 200 through the test client at {size}: {bad}")
    results: dict[str, dict] = {}
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) / 2:
        log(f"  warning: the machine is busy (load average {load:.1f}); the numbers will be low and noisy")
    port = args.port or free_port()
    with gunicorn(env, port):
        base = f"http://127.0.0.1:{port}"
        for page in pages:
            headers = page_headers(page, prepared)
            status, _body = fetch(base + page.path, headers)
            if status != 200:
                raise BenchError(f"{page.name} ({page.path}) answered {status} before the run, not 200")
            run_wrk(base + page.path, headers, args.warmup, lua_path, check=False)  # warm the workers' caches
            result = run_wrk(base + page.path, headers, args.duration, lua_path)
            status, _body = fetch(base + page.path, headers)
            if status != 200:
                raise BenchError(f"{page.name} ({page.path}) answered {status} after the run, not 200")
            result["queries"] = queries[page.name]["queries"]
            result["path"] = page.path
            results[page.name] = result
            log(f"  {page.name:40s} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
                f"p95 {result['p95_ms']:6.1f} ms  {result['queries']:3d} queries")  # fmt: skip
    data = {"load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2), "seeder": seeder, "counts": prepared["counts"], "parameters": {
        k: prepared[k] for k in ("q", "industry", "application_id", "certificate_q")}}  # fmt: skip
    return pages, results, data


def parse_args(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", help="comma-separated enterprise counts (default 1000,100000; --quick: 1000)"
    )
    parser.add_argument("--duration", type=int, help="seconds of load per page (default 10; --quick: 5)")
    parser.add_argument(
        "--warmup", type=int, default=None, help="seconds of warm-up per page (default 2; --quick 1)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="5 s per page, 1k enterprises only unless --sizes"
    )
    parser.add_argument("--reseed", action="store_true", help="rebuild the databases even if already seeded")
    parser.add_argument(
        "--seeder", choices=["auto", "scale", "demo"], default="auto",
        help="seed_scale on top of seed_demo (scale), seed_demo --enterprises alone (demo), auto: scale if present",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=2026, help="random seed of seed_scale")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (default: a free one)")
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without a database (default $BENCH_PG_URL or postgres://postgres@127.0.0.1:5432)",
    )  # fmt: skip
    parser.add_argument(
        "--no-doc", action="store_true", help="do not rewrite the table in docs/performance.md"
    )
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in (args.sizes or ("1000" if args.quick else "1000,100000")).split(",") if s]
    args.duration = args.duration or (5 if args.quick else 10)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 2)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        version = pg_version(args.pg)
    except Exception as exc:  # noqa: BLE001 - any connection failure ends the run with its reason
        log(f"PostgreSQL is not reachable at {args.pg}: {exc}")
        return 2
    started = time.monotonic()
    env = app_env(f"{args.pg}/anbiao_bench_{args.sizes[0]}")
    log("Collecting static files (production storage)…")
    manage(env, "collectstatic", "--noinput", "-v0")
    pages: list[Page] = []
    results: dict[str, dict] = {}
    data: dict[str, dict] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(WRK_LUA)
    try:
        shared: dict | None = None
        for size in args.sizes:
            log(f"== {size} enterprises")
            pages, results[str(size)], data[str(size)] = bench_size(
                args.pg, size, args, Path(lua.name), shared
            )
            shared = shared or {k: data[str(size)]["parameters"][k] for k in SHARED_PARAMETERS}
    except BenchError as exc:
        log(f"bench failed: {exc}")
        return 1
    finally:
        os.unlink(lua.name)
    page_dicts = [{"name": p.name, "kind": p.kind, "role": p.role, "path": p.path} for p in pages]
    evaluate(results, page_dicts)
    now = dt.datetime.now().astimezone()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    json_path = RESULTS_DIR / f"bench-{now:%Y-%m-%d}.json"
    report = {
        "date": now.isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine_info(version),
        "wrk": {"threads": WRK_THREADS, "connections": WRK_CONNECTIONS, "duration_s": args.duration,
                "warmup_s": args.warmup},
        "server": "gunicorn config.wsgi -w 2 -k sync, DEBUG off, CONN_MAX_AGE=60",
        "targets": TARGETS,
        "pages": page_dicts,
        "data": data,
        "results": results,
        "growth": growth(results, page_dicts),
        "json_path": str(json_path.relative_to(ROOT)),
        "elapsed_s": round(time.monotonic() - started),
    }  # fmt: skip
    report["failures"] = list_failures(report)
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    log(f"Wrote {json_path.relative_to(ROOT)}")
    if not args.no_doc:
        DOC.write_text(replace_between_markers(DOC.read_text() if DOC.exists() else "", render_table(report)))
        log(f"Updated the table in {DOC.relative_to(ROOT)}")
    print(render_table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
