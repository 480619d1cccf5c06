"""Micro-benchmark: score a full 164-item 仓储物流 sheet with the pure engine.

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

from standards.domain import Deduction, ItemEntry, SheetInput, score_sheet  # noqa: E402
from standards.tests.helpers import KEY, warehousing  # noqa: E402


def build_sheet(standard) -> SheetInput:
    entries = []
    for n, item in enumerate(standard.items):
        if n % 11 == 0:
            entries.append(ItemEntry(item.code, applicable=False, na_reason="不涉及"))
        elif n % 3 == 0:
            entries.append(ItemEntry(item.code, deductions=(Deduction(Decimal("1"), "扣分"),)))
        else:
            entries.append(ItemEntry(item.code))
    return SheetInput(KEY, tuple(entries))


def main(repeats: int = 200) -> None:
    standard = warehousing()
    sheet = build_sheet(standard)
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        score_sheet(standard, sheet)
        timings.append(time.perf_counter() - start)
    print(f"score_sheet, 164 items: median {statistics.median(timings) * 1000:.2f} ms over {repeats} runs")


if __name__ == "__main__":
    main()
