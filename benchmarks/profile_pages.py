"""Time, count and profile the benchmarked pages in one process, against a bench database.

    .venv/bin/python benchmarks/profile_pages.py [--size 100000] [--page "API hazards"] [-n 20]
                                                 [--sql] [--profile]

It uses the database `make bench` seeded (``anbiao_bench_<size>``), the production settings
(DEBUG off) and Django's test client, so there is no HTTP server and no load tool: each page
is fetched once to warm up, then ``-n`` times, and the mean time per request is printed with
the number of queries and the size of the response. ``--sql`` lists each query with its
time; ``--profile`` prints the functions that took the most time (cProfile). This is how
the fixes in docs/performance.md were found; the figures it prints are single requests on
an otherwise idle process, not throughput.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def parse_args(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", type=int, default=1000, help="enterprises: the database anbiao_bench_<size>"
    )
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--page", default="", help="only the pages whose name contains this")
    parser.add_argument("-n", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--sql", action="store_true", help="list the queries of one request")
    parser.add_argument("--profile", action="store_true", help="cProfile the n requests")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from harness import app_env, build_pages

    os.environ.update(app_env(f"{args.pg}/anbiao_bench_{args.size}"))
    import django

    django.setup()
    import bench_django
    from django.db import connection
    from django.test import Client

    prepared = json.loads(json.dumps(bench_django.prepare(), default=str))
    for page in build_pages(prepared):
        if args.page and args.page not in page.name:
            continue
        client, headers = Client(), {}
        if page.auth == "session":
            client.cookies["sessionid"] = prepared["sessions"][page.role]
        elif page.auth == "token":
            headers["Authorization"] = f"Bearer {prepared['token']}"
        response = client.get(page.path, headers=headers)
        if response.status_code != 200:
            print(f"{page.name}: HTTP {response.status_code}", file=sys.stderr)
            return 1
        queries: list[tuple[float, str]] = []

        def record(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(((time.perf_counter() - started) * 1000, sql))

        with connection.execute_wrapper(record):
            client.get(page.path, headers=headers)
        started = time.perf_counter()
        for _ in range(args.n):
            client.get(page.path, headers=headers)
        ms = (time.perf_counter() - started) * 1000 / args.n
        print(f"{page.name:40s} {ms:8.2f} ms  {len(queries):3d} queries  {len(response.content):>9,} bytes")
        if args.sql:
            for took, sql in queries:
                print(f"    {took:7.2f} ms  {sql[:160]}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.n):
                client.get(page.path, headers=headers)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
