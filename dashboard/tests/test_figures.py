"""Every figure against the hand-computed datasets of conftest.py, for the city and each county."""

from decimal import Decimal

import pytest

from dashboard import selectors as s
from dashboard.selectors import DashboardFilters
from dashboard.tests import builders as b
from enterprises.tests.factories import EnterpriseFactory

ALL = DashboardFilters()
ZHANQIAN, BAYUQUAN = "210802", "210804"


def stage_counts(rows):
    return {r.status: (r.current, r.reached) for r in rows}


# --- Applications -------------------------------------------------------------------------


def test_applications_by_stage_counts_current_and_reached(personas, applications):
    rows = s.applications_by_stage(personas.city_officer, ALL)
    assert [r.status for r in rows][:4] == ["draft", "internal_publicity", "county_review", "county_returned"]
    assert [r.status for r in rows][-4:] == [
        "not_passed",
        "not_accepted",
        "withdrawn",
        "terminated_false_commitment",
    ]
    counts = stage_counts(rows)
    assert counts["draft"] == (1, 6)  # every application starts as a draft
    assert counts["internal_publicity"] == (0, 4)
    assert counts["county_review"] == (1, 4)
    assert counts["county_returned"] == (0, 1)
    assert counts["city_review"] == (0, 3)
    assert counts["accepted"] == (0, 3)
    assert counts["on_site_review"] == (0, 3)
    assert counts["rectifying"] == (0, 0)
    assert counts["result_confirmation"] == (0, 2)
    assert counts["announced"] == (2, 2)
    assert counts["not_passed"] == (1, 1)
    assert counts["withdrawn"] == (1, 1)
    assert sum(r.current for r in rows) == 6
    assert {r.status: r.kind for r in rows}["county_returned"] == "side"
    assert {r.status: r.kind for r in rows}["withdrawn"] == "end"


def test_applications_by_stage_scoped_and_filtered(personas, applications):
    county = stage_counts(s.applications_by_stage(personas.county_officer, ALL))
    assert county["draft"] == (1, 4)
    assert county["announced"] == (1, 1)
    assert county["withdrawn"] == (0, 0)
    other = stage_counts(s.applications_by_stage(personas.other_county_officer, ALL))
    assert other["draft"] == (0, 2)
    assert other["announced"] == (1, 1)
    assert other["withdrawn"] == (1, 1)
    in_2026 = stage_counts(s.applications_by_stage(personas.city_officer, DashboardFilters(year=2026)))
    assert in_2026["draft"] == (1, 3)  # app3, app5, app6 were created in 2026
    assert in_2026["county_review"] == (1, 1)
    machinery = stage_counts(
        s.applications_by_stage(personas.city_officer, DashboardFilters(industry="machinery"))
    )
    assert machinery["draft"] == (1, 2)


def as_table(rows):
    return {r.name: (r.total, r.in_progress, r.announced, r.not_passed, r.other_ends) for r in rows}


def test_applications_by_division(personas, applications):
    rows = s.applications_by_division(personas.city_officer, ALL)
    assert [r.name for r in rows] == ["站前区", "西市区", "鲅鱼圈区", "老边区", "盖州市", "大石桥市"]
    table = as_table(rows)
    assert table["站前区"] == (4, 2, 1, 1, 0)
    assert table["鲅鱼圈区"] == (2, 0, 1, 0, 1)
    assert table["西市区"] == (0, 0, 0, 0, 0)
    assert as_table(s.applications_by_division(personas.county_officer, ALL)) == {"站前区": (4, 2, 1, 1, 0)}
    assert as_table(s.applications_by_division(personas.other_county_officer, ALL)) == {
        "鲅鱼圈区": (2, 0, 1, 0, 1)
    }
    narrowed = s.applications_by_division(personas.city_officer, DashboardFilters(region=BAYUQUAN))
    assert as_table(narrowed) == {"鲅鱼圈区": (2, 0, 1, 0, 1)}


def test_a_county_cannot_widen_its_scope_with_the_division_filter(personas, applications):
    rows = s.applications_by_division(personas.county_officer, DashboardFilters(region=BAYUQUAN))
    assert rows == []
    assert stage_counts(s.applications_by_stage(personas.county_officer, DashboardFilters(region=BAYUQUAN)))[
        "draft"
    ] == (0, 0)


def test_applications_by_industry(personas, applications):
    table = as_table(s.applications_by_industry(personas.city_officer, ALL))
    assert len(table) == 8
    assert table["机械"] == (2, 1, 1, 0, 0)
    assert table["商贸"] == (2, 1, 0, 1, 0)
    assert table["冶金"] == (2, 0, 1, 0, 1)
    assert table["纺织"] == (0, 0, 0, 0, 0)
    only = s.applications_by_industry(personas.city_officer, DashboardFilters(industry="commerce_trade"))
    assert as_table(only) == {"商贸": (2, 1, 0, 1, 0)}


@pytest.mark.parametrize(
    ("persona", "filters", "expected"),
    [
        ("city_officer", ALL, (2, 1, 3, Decimal("66.7"))),
        ("city_officer", DashboardFilters(year=2025), (1, 1, 2, Decimal("50.0"))),
        ("city_officer", DashboardFilters(year=2023), (0, 0, 0, None)),
        ("county_officer", ALL, (1, 1, 2, Decimal("50.0"))),
        ("other_county_officer", ALL, (1, 0, 1, Decimal("100.0"))),
    ],
)
def test_pass_rate(personas, applications, persona, filters, expected):
    rate = s.pass_rate(personas[persona], filters)
    assert (rate.announced, rate.not_passed, rate.decided, rate.rate) == expected


def test_score_distribution(personas, applications):
    bins = {r.code: r.count for r in s.score_distribution(personas.city_officer, ALL)}
    assert list(bins) == ["<60", "60-65", "65-70", "70-75", "75-80", "80-85", "85-90", "90-95", "95-100"]
    assert bins == {
        **dict.fromkeys(bins, 0),
        "<60": 1,
        "85-90": 1,
        "90-95": 1,
    }  # the unfinished review is left out
    in_2024 = {
        r.code: r.count for r in s.score_distribution(personas.city_officer, DashboardFilters(year=2024))
    }
    assert sum(in_2024.values()) == 1 and in_2024["90-95"] == 1
    county = {r.code: r.count for r in s.score_distribution(personas.county_officer, ALL)}
    assert county["<60"] == 1 and county["85-90"] == 1 and county["90-95"] == 0


def test_score_bins_edges(personas, today):
    enterprise = EnterpriseFactory()
    for value in ("59.9", "60.0", "64.9", "65.0", "95.0", "100.0"):
        b.review(
            b.application(enterprise, "not_passed", "2026-01-05"), percentage=value, finalised="2026-01-20"
        )
    bins = {r.code: r.count for r in s.score_distribution(personas.city_officer, ALL)}
    assert bins == {**dict.fromkeys(bins, 0), "<60": 1, "60-65": 2, "65-70": 1, "95-100": 2}


def test_element_losses(personas, applications):
    rows = s.element_losses(personas.city_officer, ALL)
    assert [(r.element_no, r.points_lost, r.extra_deductions, r.enterprises, r.reviews) for r in rows] == [
        (2, Decimal("4.0"), Decimal("2.0"), 2, 2),  # 4 capped at the item's points, plus an extra 2
        (1, Decimal("3.5"), Decimal("0.0"), 2, 2),  # 1.5 + 2; the N/A item's deduction does not count
    ]
    assert rows[0].element == "组织机构和职责"
    assert s.element_losses(personas.county_officer, ALL) == rows
    assert s.element_losses(personas.other_county_officer, ALL) == []  # B1's review lost nothing
    assert s.element_losses(personas.city_officer, DashboardFilters(year=2024)) == []


# --- Hazards ------------------------------------------------------------------------------


def hazard_table(rows):
    return {r.code: (r.found, r.closed, r.closed_on_time, r.open, r.overdue, r.open_major) for r in rows}


def test_hazards_by_level(personas, applications, today):
    assert hazard_table(s.hazards_by_level(personas.city_officer, ALL, today)) == {
        "general": (6, 2, 1, 4, 2, 0),  # overdue: h6 (submitted late), h8 (deadline yesterday)
        "major": (2, 1, 1, 1, 1, 1),
    }
    assert hazard_table(s.hazards_by_level(personas.city_officer, DashboardFilters(year=2026), today)) == {
        "general": (4, 0, 0, 4, 2, 0),
        "major": (1, 0, 0, 1, 1, 1),
    }


def test_hazards_by_division(personas, applications, today):
    table = hazard_table(s.hazards_by_division(personas.city_officer, ALL, today))
    assert table["210802"] == (6, 2, 1, 4, 2, 1)
    assert table["210804"] == (2, 1, 1, 1, 1, 0)
    assert table["210803"] == (0, 0, 0, 0, 0, 0)
    assert hazard_table(s.hazards_by_division(personas.county_officer, ALL, today)) == {
        "210802": (6, 2, 1, 4, 2, 1)
    }
    assert hazard_table(s.hazards_by_level(personas.other_county_officer, ALL, today)) == {
        "general": (1, 0, 0, 1, 1, 0),
        "major": (1, 1, 1, 0, 0, 0),
    }


# --- Working days per step -----------------------------------------------------------------


def steps(rows):
    return {r.status: (r.n, r.mean, r.longest, r.outside, r.limit) for r in rows}


def test_working_days_per_step(personas, applications, today):
    assert steps(s.step_durations(personas.city_officer, ALL, today)) == {
        "internal_publicity": (4, Decimal("10.3"), 11, 0, 10),  # 10, 10, 10, 11 (a make-up Saturday)
        "county_review": (4, Decimal("6.0"), 15, 1, 10),  # 5, 2 + 2 (two stays), 15; app3's is still open
        "city_review": (3, Decimal("6.0"), 9, 0, 10),  # 5, 9, 4
        "accepted": (3, Decimal("6.3"), 9, 0, 20),  # 9, 5, 5
    }


def test_working_days_per_step_by_year_and_scope(personas, applications, today):
    assert steps(s.step_durations(personas.city_officer, DashboardFilters(year=2025), today)) == {
        "internal_publicity": (2, Decimal("10.0"), 10, 0, 10),
        "county_review": (3, Decimal("3.0"), 5, 0, 10),
        "city_review": (2, Decimal("7.0"), 9, 0, 10),
        "accepted": (2, Decimal("7.0"), 9, 0, 20),
    }
    assert steps(s.step_durations(personas.other_county_officer, ALL, today)) == {
        "internal_publicity": (1, Decimal("11.0"), 11, 0, 10),
        "county_review": (1, Decimal("15.0"), 15, 1, 10),
        "city_review": (1, Decimal("4.0"), 4, 0, 10),
        "accepted": (1, Decimal("5.0"), 5, 0, 20),
    }


def test_working_days_skip_years_the_calendar_lacks(personas, applications, today, monkeypatch):
    from lib.dates import build_calendar

    # A calendar that knows only 2025: the 2024 and 2026 stays cannot be measured.
    monkeypatch.setattr(
        s, "work_calendar", lambda: build_calendar(holidays=[], makeup_workdays=[], years=[2025])
    )
    rows = {r.status: r for r in s.step_durations(personas.city_officer, ALL, today)}
    assert rows["internal_publicity"].n == 2
    assert rows["internal_publicity"].unmeasured == 2


# --- Certificates and accidents -----------------------------------------------------------


def test_certificates_by_state(personas, certified, today):
    def table(user, filters=ALL):
        return {r.state: r.count for r in s.certificates_by_state(user, filters, today)}

    assert table(personas.city_officer) == {
        "active": 2,
        "expiring": 1,
        "expired": 1,
        "revoked": 1,
        "superseded": 1,
    }
    assert table(personas.county_officer) == {
        "active": 2,
        "expiring": 1,
        "expired": 0,
        "revoked": 0,
        "superseded": 1,
    }
    assert table(personas.other_county_officer) == {
        "active": 0,
        "expiring": 0,
        "expired": 1,
        "revoked": 1,
        "superseded": 0,
    }
    assert table(personas.city_officer, DashboardFilters(year=2023)) == {
        "active": 0,
        "expiring": 1,
        "expired": 0,
        "revoked": 0,
        "superseded": 1,
    }


def periods(rows):
    return {
        (r.year, r.quarter): (
            r.certified_accidents,
            r.certified_deaths,
            r.uncertified_accidents,
            r.uncertified_deaths,
        )
        for r in rows
    }


def test_accidents_by_quarter_split_by_certification(personas, certified):
    assert periods(s.accidents_by_quarter(personas.city_officer, ALL)) == {
        (2022, 2): (1, 1, 1, 1),  # x8 certified; x1 before C1's certificate
        (2023, 1): (1, 2, 1, 0),  # x4 on the issue day; x2 the day before
        (2023, 2): (1, 0, 1, 0),  # x3 (31 March in UTC, Q2 in Beijing); x13 before C4's certificate
        (2023, 3): (0, 0, 1, 0),  # x5 the day before C2's certificate
        (2024, 2): (0, 0, 1, 3),  # x11, never certified
        (2024, 3): (1, 1, 0, 0),  # x6
        (2025, 1): (0, 0, 1, 0),  # x7 the day after C3's certificate expired
        (2025, 2): (0, 0, 1, 0),  # x12 before C5's certificate
        (2025, 4): (1, 0, 1, 1),  # x9 on the revocation day; x10 the day after
    }


def test_accidents_by_year(personas, certified):
    assert periods(s.accidents_by_year(personas.city_officer, ALL)) == {
        (2022, None): (1, 1, 1, 1),
        (2023, None): (2, 2, 3, 0),
        (2024, None): (1, 1, 1, 3),
        (2025, None): (1, 0, 3, 1),
    }
    assert periods(s.accidents_by_year(personas.city_officer, DashboardFilters(year=2023))) == {
        (2023, None): (2, 2, 3, 0)
    }
    # 站前区: C1, C2, C5 and U1.
    assert periods(s.accidents_by_year(personas.county_officer, ALL)) == {
        (2022, None): (0, 0, 1, 1),
        (2023, None): (2, 2, 2, 0),
        (2024, None): (1, 1, 1, 3),
        (2025, None): (0, 0, 1, 0),
    }
    assert periods(s.accidents_by_year(personas.other_county_officer, ALL)) == {
        (2022, None): (1, 1, 0, 0),
        (2023, None): (0, 0, 1, 0),
        (2025, None): (1, 0, 2, 1),
    }


def before_after_numbers(figure):
    return (
        figure.n,
        figure.excluded,
        figure.before_accidents,
        figure.before_deaths,
        figure.after_accidents,
        figure.after_deaths,
        figure.accidents_change,
        figure.deaths_change,
    )


def test_before_and_after_certification(personas, certified, today):
    figure = s.before_after(personas.city_officer, ALL, today)
    # C1: before x1, x2 / after x4, x3; C2: before x5 / after none (x6 is the day the window ends);
    # C3: after x8; C4: before x13. C5 is excluded (issued 2025-12-01); U1 has no certificate.
    assert before_after_numbers(figure) == (4, 1, 4, 1, 3, 3, Decimal("-25.0"), Decimal("200.0"))
    assert [
        (r.enterprise, r.before_accidents, r.before_deaths, r.after_accidents, r.after_deaths)
        for r in figure.rows
    ] == [
        ("证三钢铁有限公司", 0, 0, 1, 1),
        ("证一机械有限公司", 2, 1, 2, 2),
        ("证二机械有限公司", 1, 0, 0, 0),
        ("证四机械有限公司", 1, 0, 0, 0),
    ]


def test_before_and_after_scoped_and_by_year(personas, certified, today):
    county = s.before_after(personas.county_officer, ALL, today)
    assert before_after_numbers(county) == (2, 1, 3, 1, 2, 2, Decimal("-33.3"), Decimal("100.0"))
    other = s.before_after(personas.other_county_officer, ALL, today)
    assert before_after_numbers(other) == (2, 0, 1, 0, 1, 1, Decimal("0.0"), None)  # no deaths before: "—"
    in_2023 = s.before_after(personas.city_officer, DashboardFilters(year=2023), today)
    assert before_after_numbers(in_2023) == (2, 0, 3, 1, 2, 2, Decimal("-33.3"), Decimal("100.0"))
    nothing = s.before_after(personas.city_officer, DashboardFilters(year=2020), today)
    assert before_after_numbers(nothing) == (0, 0, 0, 0, 0, 0, None, None)


def test_people_without_dashboard_access_get_empty_figures(personas, applications, certified, today):
    for persona in ("enterprise_user", "expert", "admin"):
        user = personas[persona]
        assert sum(r.current for r in s.applications_by_stage(user, ALL)) == 0
        assert s.accidents_by_year(user, ALL) == []
        assert s.before_after(user, ALL, today).n == 0
        assert s.divisions(user) == []
