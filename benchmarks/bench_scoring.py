"""Micro-benchmarks of the pure engine: score a 164-item 仓储物流 sheet; consolidate five sheets.

Run: .venv/bin/python benchmarks/bench_scoring.py  (prints the median of repeated runs)
"""

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from standards.domain import Deduction, ItemEntry, SheetInput, consolidate, score_sheet  # noqa: E402
from standards.tests.helpers import KEY, warehousing  # noqa: E402


def build_sheet(standard, offset: int = 0) -> SheetInput:
    entries = []
    for n, item in enumerate(standard.items, start=offset):
        if n % 11 == 0:
            entries.append(ItemEntry(item.code, applicable=False, na_reason="不涉及"))
        elif n % 3 == 0:
            entries.append(ItemEntry(item.code, deductions=(Deduction(Decimal("1"), "扣分"),)))
        else:
            entries.append(ItemEntry(item.code))
    return SheetInput(KEY, tuple(entries))


def median_ms(func, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main(repeats: int = 200) -> None:
    standard = warehousing()
    sheet = build_sheet(standard)
    five = [(f"expert{n}", build_sheet(standard, offset=n)) for n in range(5)]

    def consolidate_and_score():
        proposal = consolidate(standard, five)
        score_sheet(standard, SheetInput(standard.key, proposal.entries))

    print(f"score_sheet, 164 items: median {median_ms(lambda: score_sheet(standard, sheet), repeats):.2f} ms")
    print(f"consolidate 5 sheets + score: median {median_ms(consolidate_and_score, repeats):.2f} ms")
    print(f"({repeats} runs each)")


if __name__ == "__main__":
    main()
