from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.utils.translation import gettext
from stdnum.cn import ric, uscc

from accidents.models import Accident
from accidents.selectors import enterprise_accident_totals
from accounts.models import Organisation, Region, User
from accounts.roles import Role
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from demo import data
from demo.services import (
    ACCIDENTS,
    DEMO_ENTERPRISE_NAME,
    accident_spec,
    enterprise_spec,
    expert_spec,
    expert_username,
)
from enterprises.models import Enterprise
from experts.models import CORE_SPECIALTIES, Expert, ExpertRating
from grading.models import GradingApplication, Status
from reviews.models import Panel, PanelDraw, PanelMember, SiteReview
from reviews.services import reasons_needed, unscored_assigned
from standards.models import Item, ScoringStandard, SheetDeduction

SMALL = ["--enterprises", "20", "--experts", "5"]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *SMALL, *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "regions": Region.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "risk_links": Enterprise.risk_tags.through.objects.count(),
        "experts": Expert.objects.count(),
        "standard_items": Item.objects.count(),
        "accidents": Accident.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    seed("--quiet")
    first = counts()
    snapshot = list(Enterprise.objects.order_by("uscc").values_list("uscc", "name", "status", "updated_at"))
    output = seed()
    assert counts() == first
    assert (
        list(Enterprise.objects.order_by("uscc").values_list("uscc", "name", "status", "updated_at"))
        == snapshot
    )
    assert gettext("Demo data already present; nothing changed.") in output
    assert first["enterprises"] == 20
    assert first["experts"] == 5
    assert first["standard_items"] == 164
    assert first["accidents"] == ACCIDENTS == 25
    assert ScoringStandard.objects.get(code="CCWL").status == ScoringStandard.Status.PUBLISHED
    # The listed logins, the other county bureaus' staff, a principal and a clerk for each
    # enterprise with a demo application other than the demo enterprise, and a login for every
    # expert but the first (he is the listed ``expert``).
    cases = GradingApplication.objects.exclude(enterprise__name=DEMO_ENTERPRISE_NAME).count()
    assert first["users"] == len(data.DEMO_USERS) + len(data.COUNTY_STAFF) + 2 * cases + 5 - 1
    assert audit_chain_verify() is None


@pytest.mark.django_db
def test_more_enterprises_later_adds_only_the_new_ones():
    seed("--quiet")
    before = set(Enterprise.objects.values_list("uscc", flat=True))
    call_command("seed_demo", "--enterprises", "25", "--experts", "5", "--quiet")
    after = set(Enterprise.objects.values_list("uscc", flat=True))
    assert before < after
    assert len(after) == 25
    assert Accident.objects.count() == ACCIDENTS  # the same accidents, none added


@pytest.mark.django_db
def test_each_demo_user_can_log_in(client):
    seed("--quiet")
    for spec in data.DEMO_USERS:
        # django-axes needs the request to count failures.
        assert client.login(request=HttpRequest(), username=spec.username, password=data.DEMO_PASSWORD), spec
        client.logout()
        user = User.objects.get(username=spec.username)
        assert (user.role, user.is_active, user.must_change_password) == (spec.role, True, False)
    assert {spec.role for spec in data.DEMO_USERS} == set(Role.values)


@pytest.mark.django_db
def test_logins_table_is_printed_unless_quiet():
    output = seed()
    assert data.DEMO_PASSWORD in output
    for spec in data.DEMO_USERS:
        assert spec.username in output
    assert seed("--quiet") == ""


@pytest.mark.django_db
def test_data_is_fictional_valid_and_linked():
    seed("--quiet")
    enterprises = list(Enterprise.objects.select_related("region", "town"))
    assert all("示例" in e.name or "演示" in e.name for e in enterprises)
    assert all(uscc.is_valid(e.uscc) for e in enterprises)
    assert all(e.region.level == Region.Level.COUNTY for e in enterprises)
    assert all(e.town is None or e.town.parent_id == e.region_id for e in enterprises)
    assert all(e.name_initials and e.region_path == e.region.path for e in enterprises)

    ent_user = User.objects.get(username="ent_user")
    home = Enterprise.objects.get(organisation=ent_user.organisation)
    assert home.region.name == "站前区"
    assert User.objects.get(username="ent_principal").organisation == ent_user.organisation
    assert User.objects.get(username="zhanqian_officer").organisation.region.name == "站前区"
    assert User.objects.get(username="bayuquan_officer").organisation.region.name == "鲅鱼圈区"

    experts = list(Expert.objects.all())
    assert all(ric.is_valid(x.id_number) for x in experts)
    assert {s for x in experts for s in x.specialties} >= set(CORE_SPECIALTIES)
    assert Expert.objects.get(user__username="expert").name == User.objects.get(username="expert").full_name

    towns = Region.objects.filter(level=Region.Level.TOWN)
    assert {t.parent.name for t in towns} == set(data.TOWNS)


def test_generation_is_deterministic_and_depends_on_the_seed():
    first = [enterprise_spec(2026, i, set(), set()) for i in range(10)]
    assert [enterprise_spec(2026, i, set(), set()) for i in range(10)] == first
    assert [enterprise_spec(7, i, set(), set())["uscc"] for i in range(1, 10)] != [
        e["uscc"] for e in first[1:]
    ]
    assert expert_spec(2026, 3, set()) == expert_spec(2026, 3, set())


def test_two_hundred_enterprises_cover_every_division_and_industry():
    names: set[str] = set()
    usccs: set[str] = set()
    specs = []
    for i in range(200):
        spec = enterprise_spec(2026, i, names, usccs)
        names.add(spec["name"])
        usccs.add(spec["uscc"])
        specs.append(spec)
    assert len(names) == len(usccs) == 200
    assert {s["division"] for s in specs} == set(data.DIVISION_CODES)
    prefixes = {s["gb4754_code"][:2] for s in specs}
    assert {"31", "32", "30", "16", "17", "59"} <= prefixes
    statuses = {s["status"] for s in specs}
    assert statuses == {"normal", "suspended", "deregistered"}
    assert 0.3 < sum(1 for s in specs if s["risk_tags"]) / 200 < 0.9


@pytest.mark.django_db
def test_a_demo_username_with_another_role_is_refused():
    from accounts.tests.factories import UserFactory

    UserFactory(username="leader", role=Role.CITY_OFFICER)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="leader"):
        seed("--quiet")
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_accidents_span_the_years_and_one_death_is_recent_elsewhere():
    from django.utils import timezone

    seed("--quiet")
    accidents = list(Accident.objects.select_related("enterprise"))
    today = timezone.localdate()
    years = {timezone.localtime(a.occurred_at).year for a in accidents}
    assert len(years) >= 3
    assert all(a.occurred_at <= timezone.now() for a in accidents)
    assert sum(1 for a in accidents if a.grade == "ordinary") >= 20  # mostly 一般
    assert 2 <= sum(1 for a in accidents if a.serious_injuries) <= 12
    fatal = [a for a in accidents if a.deaths]
    assert len(fatal) == 1
    home = Enterprise.objects.get(organisation=User.objects.get(username="ent_user").organisation)
    assert fatal[0].enterprise != home
    assert enterprise_accident_totals(fatal[0].enterprise, today, 12).deaths == 1
    assert not home.accidents.exists()  # the demo users' enterprise stays eligible
    assert Accident.objects.filter(reporting_violation="late").count() == 1
    assert Accident.objects.filter(grade="relatively_major").count() == 1


def test_accident_specs_are_deterministic_and_count_back_from_today():
    from datetime import date

    def specs(today):
        taken: set[tuple] = set()
        out = []
        for i in range(ACCIDENTS):
            spec = accident_spec(2026, i, today=today, pool=20, taken=taken)
            taken.add((spec["enterprise_index"], spec["place"], spec["accident_type"]))
            out.append(spec)
        return out

    first = specs(date(2026, 11, 29))
    assert specs(date(2026, 11, 29)) == first
    assert len({(s["enterprise_index"], s["place"], s["accident_type"]) for s in first}) == ACCIDENTS
    assert all(1 <= s["enterprise_index"] < 20 for s in first)
    later = specs(date(2027, 6, 1))
    assert [s["place"] for s in later] == [s["place"] for s in first]  # same accidents, moved dates
    assert (date(2027, 6, 1) - later[0]["occurred_at"].date()).days <= 300


@pytest.mark.django_db
def test_every_expert_gets_a_login_and_an_older_pool_gets_them_on_the_next_run(client):
    seed("--quiet")
    experts = list(Expert.objects.select_related("user").order_by("created_at", "pk"))
    assert [x.user.username for x in experts] == [expert_username(i) for i in range(5)]
    assert all(x.user.role == Role.EXPERT and x.user.full_name == x.name for x in experts)
    assert client.login(request=HttpRequest(), username="expert03", password=data.DEMO_PASSWORD)
    # A pool seeded before experts had logins: the next run links them, and only that.
    Expert.objects.filter(pk__in=[experts[2].pk, experts[4].pk]).update(user=None)
    users = User.objects.count()
    seed("--quiet")
    assert User.objects.count() == users  # their logins were there: linked again, not made anew
    assert Expert.objects.get(pk=experts[4].pk).user.username == "expert04"
    assert not Expert.objects.filter(user__isnull=True).exists()


def test_review_findings_fit_the_bundled_standard():
    from standards.formats import BUNDLED_STANDARDS, parse_standard, read_folder

    parsed = parse_standard(*read_folder(BUNDLED_STANDARDS / "warehousing-logistics"))
    points = {item.code: Decimal(item.points) for item in parsed.items}
    findings = [f.code for f in data.REVIEW_FINDINGS]
    assert len(set(findings)) == len(findings)
    assert all(f.code in points and 0 < f.points <= points[f.code] for f in data.REVIEW_FINDINGS)
    assert all(f.reason and not f.reason.isascii() for f in data.REVIEW_FINDINGS)
    assert sum(f.is_hazard for f in data.REVIEW_FINDINGS) >= 3
    failing = [code for code, _reason, _hazard in data.FAILING_FINDINGS]
    assert len(set(failing)) == len(failing) and set(failing) <= set(points)
    # Scored zero, they take the firm below the 60 % of 三级 whatever else it earns.
    assert sum(points[c] for c in failing) > 400
    not_applicable = {code for code, _reason, _unless in data.NOT_APPLICABLE_ITEMS}
    not_applicable |= set(data.NO_MAJOR_HAZARD_ITEMS)
    assert not_applicable <= set(points)
    assert not not_applicable & (set(findings) | set(failing))
    assert {code for code, _note in data.FULL_MARK_NOTES} <= set(points)


@pytest.mark.django_db
def test_applications_at_every_stage():
    out = StringIO()
    call_command("seed_demo", "--enterprises", "200", "--experts", "40", stdout=out)
    states = set(GradingApplication.objects.values_list("status", flat=True))
    assert {
        Status.DRAFT,
        Status.INTERNAL_PUBLICITY,
        Status.COUNTY_REVIEW,
        Status.COUNTY_RETURNED,
        Status.CITY_REVIEW,
        Status.CITY_RETURNED,
        Status.ACCEPTED,
        Status.NOT_ACCEPTED,
        Status.WITHDRAWN,
        Status.PANEL_FORMING,
        Status.REVIEW_SCHEDULED,
        Status.ON_SITE_REVIEW,
        Status.RECTIFYING,
        Status.RESULT_CONFIRMATION,
        Status.NOT_PASSED,
    } <= states
    mine = GradingApplication.objects.get(enterprise__name=DEMO_ENTERPRISE_NAME)
    # The demo enterprise's case is ready for its principal to submit.
    assert mine.status == Status.INTERNAL_PUBLICITY
    assert mine.commitment_signed_at is not None
    # One accepted case waits for its draw; a second run does not draw it (nor anything else).
    waiting = GradingApplication.objects.get(status=Status.ACCEPTED)
    assert not PanelDraw.objects.filter(application=waiting).exists()
    forming = Panel.objects.get(application__status=Status.PANEL_FORMING)
    assert forming.members.filter(state=PanelMember.State.CONFIRMED).count() == 1
    _assert_reviews(out.getvalue())
    before = (PanelDraw.objects.count(), SiteReview.objects.count(), ExpertRating.objects.count())
    assert gettext("Demo data already present; nothing changed.") in seed_full()
    assert (PanelDraw.objects.count(), SiteReview.objects.count(), ExpertRating.objects.count()) == before
    assert audit_chain_verify() is None


def seed_full() -> str:
    out = StringIO()
    call_command("seed_demo", "--enterprises", "200", "--experts", "40", stdout=out)
    return out.getvalue()


def _review(status: str, **filters) -> SiteReview:
    return SiteReview.objects.select_related("application", "panel_sheet").get(
        application__status=status, **filters
    )


def _deductions(sheet) -> list[SheetDeduction]:
    return list(SheetDeduction.objects.filter(entry__sheet=sheet))


def _assert_reviews(output: str) -> None:
    reasons = {f.reason for f in data.REVIEW_FINDINGS} | {r for _c, r, _h in data.FAILING_FINDINGS}
    expert = User.objects.get(username="expert")

    # Scheduled: the chief approved the confirmed panel; the city set the place and the plan.
    scheduled = _review(Status.REVIEW_SCHEDULED)
    panel = scheduled.application.panel
    assert panel.status == Panel.Status.APPROVED
    assert panel.members.filter(state=PanelMember.State.DECLINED).count() == 1  # a reserve stepped in
    assert scheduled.plan_rows.count() == 6 and scheduled.opened_at is None

    # Being scored: opened, the opening meeting signed, three members scoring, one handed in.
    scoring = _review(Status.ON_SITE_REVIEW, finalised_at__isnull=True)
    assert scoring.opened_at is not None
    opening = set(scoring.attendance.values_list("meeting", "role"))
    assert {
        ("opening", "panel"),
        ("opening", "city"),
        ("opening", "county"),
        ("opening", "enterprise"),
    } == opening
    sheets = list(scoring.member_sheets.select_related("member__expert__user", "sheet"))
    scored = [row for row in sheets if _deductions(row.sheet)]
    assert len(scored) == 3
    assert [row.submitted_at is not None for row in sheets].count(True) == 1
    # Who handed in recorded his remaining items as conforming first; the others still have
    # items to score, so the scoring page offers them the "record as conforming" button.
    handed_in = next(row for row in sheets if row.submitted_at is not None)
    assert unscored_assigned(handed_in) == []
    assert handed_in.sheet.entries.count() == scoring.assignments.filter(member=handed_in.member).count()
    assert all(unscored_assigned(row) for row in sheets if row.submitted_at is None)
    assert all(d.reason in reasons for row in scored for d in _deductions(row.sheet))
    # The listed ``expert`` login leads it, his own sheet still empty: the demo's try-out.
    leader = next(row for row in sheets if row.member.role == PanelMember.Role.LEADER)
    assert leader.member.expert.user == expert and not _deductions(leader.sheet)
    number = scoring.application.number
    assert any(line.split()[:1] == ["expert"] and number in line for line in output.splitlines())

    # Finalised as failed, the 科长 yet to decide: below 60 % (the standard has no veto items).
    failed = _review(Status.ON_SITE_REVIEW, finalised_at__isnull=False)
    assert failed.conclusion == "fail" and failed.earned is not None and failed.percentage < 60
    assert failed.panel_sheet.status == "locked"
    assert not failed.member_sheets.exclude(sheet__status="locked").exists()
    decided = _review(Status.NOT_PASSED)
    assert decided.conclusion == "fail" and decided.percentage < 60
    assert decided.application.transitions.filter(
        to_state=Status.NOT_PASSED, actor__username="city_chief"
    ).exists()

    # Rectifying: passed with deductions, some of them hazards, and the leader's reason for an item
    # two members scored differently.
    rectifying = _review(Status.RECTIFYING)
    found = _deductions(rectifying.panel_sheet)
    assert rectifying.conclusion == "pass" and rectifying.nonconformities == len(found) > 0
    assert any(d.is_hazard for d in found) and not all(d.is_hazard for d in found)
    assert all(d.reason in reasons for d in found)
    given = set(rectifying.consolidation_reasons.values_list("item__code", flat=True))
    assert given == {need.code for need in reasons_needed(rectifying)} and len(given) >= 1
    assert Decimal(60) <= rectifying.percentage < 100

    # Result confirmation: nothing found.
    clean = _review(Status.RESULT_CONFIRMATION)
    assert clean.conclusion == "pass" and clean.nonconformities == 0 and clean.percentage == 100
    assert clean.earned is not None and clean.final_level is not None

    # The city officer rated every seated member of each finalised review, once.
    for review in (failed, decided, rectifying, clean):
        seated = review.member_sheets.values_list("member__expert_id", flat=True)
        ratings = ExpertRating.objects.filter(application=review.application)
        assert sorted(ratings.values_list("expert_id", flat=True)) == sorted(seated)
        assert set(ratings.values_list("rated_by__username", flat=True)) == {"city_officer"}
        assert set(review.attendance.values_list("meeting", flat=True)) == {"opening", "closing"}
        # Every member scored or explicitly recorded each of his items before handing in,
        # and the leader gave every reason the panel sheet needed.
        assert all(unscored_assigned(row) == [] for row in review.member_sheets.all())
        given = set(review.consolidation_reasons.values_list("item__code", flat=True))
        assert given == {need.code for need in reasons_needed(review)}
