"""Micro-benchmark of the generated PDFs: the self-assessment report of a fully scored 仓储物流 sheet.

Run: .venv/bin/python benchmarks/bench_pdf.py  (prints the median of repeated renders)

It builds its case in a throwaway in-memory SQLite database (migrated first, which takes a
few seconds), through the same services and factories as the tests; no real database is
touched. The sheet has deductions on every third item and every eleventh item not
applicable, so every table of the report is filled.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from conftest import Personas  # noqa: E402
from grading import services  # noqa: E402
from grading.documents import document_context, render_document  # noqa: E402
from grading.models import GeneratedDocument  # noqa: E402
from grading.tests.factories import make_application  # noqa: E402
from standards.services import DeductionIn, EntryIn, sheet_entries_save  # noqa: E402

KIND = GeneratedDocument.Kind.SELF_ASSESSMENT_REPORT


def scored_application():
    personas = Personas()
    application = make_application(personas)
    user = personas.enterprise_user
    entries = []
    codes = application.standard.items.order_by("sort_order").values_list("code", flat=True)
    for n, code in enumerate(codes):
        if n % 11 == 0:
            entries.append(EntryIn(code, applicable=False, na_reason="本企业不涉及该项"))
        elif n % 3 == 0:
            entries.append(EntryIn(code, deductions=(DeductionIn("1", "记录不完整，未按规定归档"),)))
        else:
            entries.append(EntryIn(code))
    sheet_entries_save(actor=user, sheet=application.self_sheet, entries=entries)
    services.team_save(
        actor=user,
        application=application,
        members=[
            services.MemberIn(name="张三", role="leader", position="总经理"),
            services.MemberIn(name="李四", position="安全管理员"),
            services.MemberIn(name="王五", role="employee_rep", position="仓管员"),
        ],
    )
    services.application_update(
        actor=user,
        application=application,
        data={"self_found_problems": [{"problem": "消防通道堆放货物", "fix": "已清理并划线"}] * 5},
    )
    application.refresh_from_db()
    return application


def median_ms(func, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def main(repeats: int = 5) -> None:
    call_command("migrate", verbosity=0)
    application = scored_application()
    content = render_document(application, KIND)  # warm up: fonts, templates, the standard's spec
    print(f"self-assessment report: {len(content) // 1024} KiB")
    print(f"context only: median {median_ms(lambda: document_context(application, KIND), repeats):.0f} ms")
    print(f"render to PDF: median {median_ms(lambda: render_document(application, KIND), repeats):.0f} ms")
    print(f"({repeats} runs each)")


if __name__ == "__main__":
    main()
