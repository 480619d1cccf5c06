"""Hand-computed datasets for the dashboard (the expected numbers are worked out in the tests).

Today is Monday 15 June 2026 (Beijing). Enterprises: A1 (机械) and A2 (商贸) in 站前区 — the
county personas' division — and B1 (冶金) in 鲅鱼圈区, the other county persona's.

``applications``: six applications with their timelines, three finalised reviews with panel
sheets (and one unfinished review that must not count), and eight hazards.
``certified``: five certified enterprises C1–C5 and an uncertified one U1, with certificates in
every state and thirteen accidents from 2022 to 2025 placed on the edges of the windows.
"""

from types import SimpleNamespace

import pytest
import time_machine

from accounts.tests.factories import region
from dashboard.tests import builders as b
from enterprises.tests.factories import EnterpriseFactory

TODAY = b.d("2026-06-15")


@pytest.fixture
def today(db):
    with time_machine.travel(b.beijing(TODAY, 12), tick=False):
        yield TODAY


@pytest.fixture
def applications(today):
    zhanqian, bayuquan = region("站前区"), region("鲅鱼圈区")
    a1 = EnterpriseFactory(name="营口甲机械有限公司", region=zhanqian, industry="machinery")
    a2 = EnterpriseFactory(
        name="营口乙商贸有限公司", region=zhanqian, industry="commerce_trade", gb4754_code="5951"
    )
    b1 = EnterpriseFactory(
        name="鲅鱼圈丙钢铁有限公司", region=bayuquan, industry="metallurgy", gb4754_code="3120"
    )
    app1 = b.application(
        a1,
        "announced",
        "2025-03-01",
        b.path(
            ("internal_publicity", "2025-03-03"),
            ("county_review", "2025-03-17"),  # 10 working days
            ("city_review", "2025-03-24"),  # 5
            ("accepted", "2025-03-31"),  # 5
            ("panel_forming", "2025-04-14"),  # 9 (清明: 4 April 2025)
            ("review_scheduled", "2025-04-20"),
            ("on_site_review", "2025-05-06"),
            ("result_confirmation", "2025-05-08"),
            ("publicity", "2025-05-20"),
            ("announced", "2025-06-05"),
        ),
    )
    app2 = b.application(
        a2,
        "not_passed",
        "2025-03-01",
        b.path(
            ("internal_publicity", "2025-03-03"),
            ("county_review", "2025-03-17"),  # 10
            ("county_returned", "2025-03-19"),  # 2
            ("county_review", "2025-03-24"),
            ("city_review", "2025-03-26"),  # 2
            ("accepted", "2025-04-09"),  # 9 (清明)
            ("panel_forming", "2025-04-16"),  # 5
            ("review_scheduled", "2025-04-20"),
            ("on_site_review", "2025-05-06"),
            ("not_passed", "2025-05-08"),
        ),
    )
    app3 = b.application(
        a2,
        "county_review",
        "2026-02-02",
        b.path(("internal_publicity", "2026-03-02"), ("county_review", "2026-03-16")),  # 10; still there
    )
    app4 = b.application(
        b1,
        "announced",
        "2024-05-06",
        b.path(
            ("internal_publicity", "2024-05-06"),
            ("county_review", "2024-05-20"),  # 11 (Saturday 11 May 2024 was a make-up working day)
            ("city_review", "2024-06-11"),  # 15, over the limit of 10 (端午: 10 June 2024)
            ("accepted", "2024-06-17"),  # 4
            ("panel_forming", "2024-06-24"),  # 5
            ("review_scheduled", "2024-06-26"),
            ("on_site_review", "2024-07-30"),
            ("result_confirmation", "2024-08-01"),
            ("publicity", "2024-08-12"),
            ("announced", "2024-09-02"),
        ),
    )
    app5 = b.application(b1, "withdrawn", "2026-03-02", [("draft", "withdrawn", "2026-03-05")])
    app6 = b.application(a1, "draft", "2026-04-01")

    # Reviews: where points were lost (items 1.1.1 and 1.1.2: 2 points each, element 1;
    # 2.1.1: 4 points and 2.1.2: 3 points, element 2).
    b.review(
        app1,
        percentage="86.5",
        finalised="2025-05-08",
        entries=[
            {"code": "1.1.1", "deductions": [0.5, 1]},  # loses 1.5
            {"code": "2.1.1", "deductions": [3, 2]},  # 5 > 4 points: loses 4
        ],
    )
    b.review(
        app2,
        percentage="55.0",
        finalised="2025-05-08",
        entries=[
            {"code": "1.1.1", "deductions": [2]},  # loses 2
            {"code": "1.1.2", "deductions": [1], "applicable": False},  # N/A: loses nothing
            {"code": "2.1.2", "extra": 2},  # an extra deduction of 2 in element 2
        ],
    )
    b.review(app4, percentage="92.0", finalised="2024-08-01", entries=[{"code": "1.1.2"}])
    b.review(app6, percentage=None, finalised=None, entries=[{"code": "2.1.1", "deductions": [4]}])

    hazards = SimpleNamespace(
        h1=b.hazard(a1, status="closed", found="2025-05-10", deadline="2025-06-10", submitted="2025-06-01"),
        h2=b.hazard(a1, status="closed", found="2025-05-10", deadline="2025-06-10", submitted="2025-06-20"),
        h3=b.hazard(a1, level="major", found="2026-01-10", deadline="2026-03-01"),
        h4=b.hazard(a2, status="in_progress", found="2026-05-01", deadline="2026-07-01"),
        h5=b.hazard(
            a2,
            status="awaiting_verification",
            found="2026-04-01",
            deadline="2026-05-01",
            submitted="2026-04-28",
        ),
        h6=b.hazard(
            a2,
            status="awaiting_verification",
            found="2026-04-01",
            deadline="2026-05-01",
            submitted="2026-05-10",
        ),
        h7=b.hazard(
            b1,
            level="major",
            status="closed",
            found="2024-07-01",
            deadline="2024-08-01",
            submitted="2024-07-25",
        ),
        h8=b.hazard(b1, found="2026-06-01", deadline="2026-06-14"),
    )
    return SimpleNamespace(a1=a1, a2=a2, b1=b1, apps=[app1, app2, app3, app4, app5, app6], hazards=hazards)


@pytest.fixture
def certified(today):
    zhanqian, bayuquan = region("站前区"), region("鲅鱼圈区")
    c1 = EnterpriseFactory(name="证一机械有限公司", region=zhanqian)
    c2 = EnterpriseFactory(name="证二机械有限公司", region=zhanqian)
    c3 = EnterpriseFactory(
        name="证三钢铁有限公司", region=bayuquan, industry="metallurgy", gb4754_code="3120"
    )
    c4 = EnterpriseFactory(name="证四机械有限公司", region=bayuquan)
    c5 = EnterpriseFactory(name="证五机械有限公司", region=zhanqian)
    u1 = EnterpriseFactory(name="未证机械有限公司", region=zhanqian)
    certificates = SimpleNamespace(
        a=b.certificate(c1, issued="2023-03-01", expires="2026-02-28", status="superseded"),
        b=b.certificate(c1, issued="2026-02-20", expires="2029-02-19"),
        c=b.certificate(c2, issued="2023-08-01", expires="2026-07-31"),  # in the renewal window
        d=b.certificate(c3, issued="2022-01-10", expires="2025-01-09"),  # expired
        e=b.certificate(
            c4, issued="2024-03-01", expires="2027-02-28", status="revoked", revoked="2025-10-01"
        ),
        f=b.certificate(c5, issued="2025-12-01", expires="2028-11-30"),  # after-window not over
    )
    at = b.beijing
    accidents = SimpleNamespace(
        x1=b.accident(c1, at(b.d("2022-06-10")), deaths=1),
        x2=b.accident(c1, at(b.d("2023-02-28"), 23, 30)),  # last day before C1's certificate
        x3=b.accident(c1, at(b.d("2023-04-01"), 7)),  # 31 March in UTC: Q2 in Beijing
        x4=b.accident(c1, at(b.d("2023-03-01"), 9), deaths=2),  # the issue day counts as after
        x5=b.accident(c2, at(b.d("2023-07-31"))),  # the day before C2's certificate
        x6=b.accident(c2, at(b.d("2024-08-01")), deaths=1),  # the day the after-window ends
        x7=b.accident(c3, at(b.d("2025-01-10"))),  # the day after C3's certificate expired
        x8=b.accident(c3, at(b.d("2022-05-05")), deaths=1),
        x9=b.accident(c4, at(b.d("2025-10-01"))),  # revoked that day: still certified
        x10=b.accident(c4, at(b.d("2025-10-02")), deaths=1),  # revoked the day before
        x11=b.accident(u1, at(b.d("2024-05-05")), deaths=3),
        x12=b.accident(c5, at(b.d("2025-06-01"))),
        x13=b.accident(c4, at(b.d("2023-06-01"))),
    )
    return SimpleNamespace(
        c1=c1, c2=c2, c3=c3, c4=c4, c5=c5, u1=u1, certificates=certificates, accidents=accidents
    )
