from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from stdnum.cn import ric, uscc

from accidents.models import Accident
from accidents.selectors import enterprise_accident_totals
from accounts.models import Organisation, Region, User
from accounts.roles import Role
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from demo import data
from demo.ledger import CONFIRMED, RECTIFYING_OVERDUE, jpeg_bytes, pdf_bytes, png_bytes
from demo.services import (
    ACCIDENTS,
    DEMO_ENTERPRISE_NAME,
    accident_spec,
    demo_cases,
    enterprise_spec,
    expert_spec,
    expert_username,
)
from demo.tests.results_checks import RESULTS_MODELS, assert_results
from enterprises.models import Enterprise
from experts.models import CORE_SPECIALTIES, Expert, ExpertRating
from grading import domain as grading_domain
from grading.models import GradingApplication, Status
from lib.uploads import check_upload
from rectification.eligibility import major_hazards_check
from rectification.models import (
    EscalationOrder,
    ExtensionRequest,
    Hazard,
    HazardEvidence,
    HazardProgress,
    HazardTransition,
    RectificationPlan,
)
from rectification.permissions import visible_to
from rectification.selectors import LedgerFilters, enterprise_flagged, ledger
from rectification.services import five_assurances_missing, hazard_is_overdue, plan_gate
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
def test_applications_at_every_stage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the evidence files of the hazards
    output = seed_full()
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
        Status.RECTIFICATION_CHECK,
        Status.PUBLICITY,
        Status.ANNOUNCED,
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
    _assert_reviews(output)
    _assert_rectification(output)
    assert_results(output)
    before = (
        PanelDraw.objects.count(),
        SiteReview.objects.count(),
        ExpertRating.objects.count(),
        *(model.objects.count() for model in LEDGER_MODELS),
        *(model.objects.count() for model in RESULTS_MODELS),
        AuditEvent.objects.count(),
    )
    assert gettext("Demo data already present; nothing changed.") in seed_full()
    assert (
        PanelDraw.objects.count(),
        SiteReview.objects.count(),
        ExpertRating.objects.count(),
        *(model.objects.count() for model in LEDGER_MODELS),
        *(model.objects.count() for model in RESULTS_MODELS),
        AuditEvent.objects.count(),
    ) == before
    assert audit_chain_verify() is None


def seed_full() -> str:
    """The default demo: 200 enterprises, 50 experts (enough for every panel drawn for today)."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
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
    rectifying = _review(Status.RECTIFYING, application__enterprise=demo_cases()[Status.RECTIFYING])
    found = _deductions(rectifying.panel_sheet)
    assert rectifying.conclusion == "pass" and rectifying.nonconformities == len(found) > 0
    assert any(d.is_hazard for d in found) and not all(d.is_hazard for d in found)
    assert all(d.reason in reasons for d in found)
    given = set(rectifying.consolidation_reasons.values_list("item__code", flat=True))
    assert given == {need.code for need in reasons_needed(rectifying)} and len(given) >= 1
    assert Decimal(60) <= rectifying.percentage < 100

    # Nothing found: past result confirmation, now on publicity (demo.results).
    clean = _review(Status.PUBLICITY, nonconformities=0)
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


LEDGER_MODELS = (
    RectificationPlan,
    Hazard,
    HazardTransition,
    HazardEvidence,
    HazardProgress,
    ExtensionRequest,
    EscalationOrder,
)
H = Hazard.Status


def _leader_of(plan: RectificationPlan) -> User:
    return PanelMember.objects.get(
        panel__application=plan.application, role=PanelMember.Role.LEADER, state=PanelMember.State.CONFIRMED
    ).expert.user


def _moves(hazard: Hazard) -> list[tuple[str, str]]:
    return list(hazard.transitions.values_list("transition", "actor__role"))


def _assert_rectification(output: str) -> None:
    cases = demo_cases()
    city_officer = User.objects.get(username="city_officer")
    plans = {
        stage: RectificationPlan.objects.select_related("application", "enterprise").get(
            application__enterprise=cases[stage]
        )
        for stage in (Status.RECTIFYING, RECTIFYING_OVERDUE, Status.RECTIFICATION_CHECK, CONFIRMED)
    }

    # The rectifying case: the whole loop on one plan.
    rich = plans[Status.RECTIFYING]
    leader = _leader_of(rich)
    assert rich.application.status == Status.RECTIFYING and rich.status == RectificationPlan.Status.OPEN
    hazards = list(rich.hazards.select_related("basis_clause", "item"))
    assert {h.status for h in hazards} == set(H.values)  # 待整改, 整改中, 待验收 and 已销号
    assert all(h.location and h.requirement for h in hazards)
    added = [h for h in hazards if h.deduction_id is None]
    assert len(added) == 1 and added[0].status == H.PENDING and added[0].found_by == leader
    (major,) = [h for h in hazards if h.level == Hazard.Level.MAJOR]
    assert (major.basis_clause.article, major.basis_clause.item) in {(3, 2), (13, None)}
    assert five_assurances_missing(major) == [] and major.contingency_plan and major.governance_plan
    assert major.status == H.IN_PROGRESS and major.evidence.filter(kind="before").exists()
    # One extension waits for the 科长 (a 重大 hazard's); one the city approved, the original kept.
    waiting = ExtensionRequest.objects.get(hazard__plan=rich, status=ExtensionRequest.Status.PENDING)
    assert waiting.hazard == major and major.deadline == major.original_deadline < waiting.requested_deadline
    approved = ExtensionRequest.objects.select_related("hazard").get(
        hazard__plan=rich, status=ExtensionRequest.Status.APPROVED
    )
    assert approved.decided_by == city_officer
    assert approved.hazard.deadline == approved.requested_deadline > approved.hazard.original_deadline
    assert approved.previous_deadline == approved.hazard.original_deadline
    # Verified and closed by the leader, who never rectified it; one sent back with the reason.
    (closed,) = [h for h in hazards if h.status == H.CLOSED]
    assert closed.verified_by == leader and closed.submitted_by != leader and closed.verified_at
    assert {"before", "after"} <= set(closed.evidence.values_list("kind", flat=True))
    (sent_back,) = [h for h in hazards if h.status == H.IN_PROGRESS and h.level == Hazard.Level.GENERAL]
    assert [t for t, _role in _moves(sent_back)] == ["start", "submit", "reject"]
    assert sent_back.verification_note == data.REJECT_NOTE
    assert sent_back.transitions.get(transition="reject").actor == leader
    assert sent_back.progress.count() == 2  # reported again after the send-back
    (awaiting,) = [h for h in hazards if h.status == H.AWAITING_VERIFICATION]
    assert awaiting == approved.hazard
    assert {"after", "document"} <= set(awaiting.evidence.values_list("kind", flat=True))
    assert not plan_gate(rich.application).open and not enterprise_flagged(rich.enterprise_id)
    for evidence in HazardEvidence.objects.filter(hazard__plan=rich):
        with evidence.file.open("rb") as stored:
            checked = check_upload(ContentFile(stored.read(), name=evidence.original_name))
        assert checked.sha256 == evidence.sha256 and checked.kind.extensions[0] == evidence.extension

    # The second case: its 重大 hazard is overdue today, under the 督办 the system opened.
    overdue_plan = plans[RECTIFYING_OVERDUE]
    assert overdue_plan.enterprise.region_id != rich.enterprise.region_id
    overdue = overdue_plan.hazards.get(level=Hazard.Level.MAJOR, deduction__isnull=True)
    assert overdue.found_on < overdue.deadline < timezone.localdate() and hazard_is_overdue(overdue)
    assert overdue.status == H.IN_PROGRESS and overdue.basis_clause.article == 13
    order = EscalationOrder.objects.get(hazard=overdue)
    assert order.status == EscalationOrder.Status.OPEN and order.opened_by is None
    assert enterprise_flagged(overdue_plan.enterprise_id)
    assert overdue in ledger(user=city_officer, filters=LedgerFilters(overdue=True, level="major"))
    assert EscalationOrder.objects.count() == 1

    # The principal submitted the rectification; the leader has one fix left to verify.
    check = plans[Status.RECTIFICATION_CHECK]
    assert check.application.status == Status.RECTIFICATION_CHECK
    assert check.application.transitions.filter(
        transition="submit_rectification", actor__role=Role.ENTERPRISE_PRINCIPAL
    ).exists()
    assert [h.status for h in check.hazards.all()].count(H.AWAITING_VERIFICATION) == 1
    assert plan_gate(check.application).rule == "blocked"

    # The leader confirmed a rectification: every hazard closed; the case went on through result
    # confirmation and publicity to its announcement (demo.results).
    done = plans[CONFIRMED]
    assert done.application.status == Status.ANNOUNCED and done.status == "closed"
    assert plan_gate(done.application).rule == "closed"
    assert done.application.transitions.get(transition="confirm_rectification").actor == _leader_of(done)
    assert all(h.verified_by == _leader_of(done) for h in done.hazards.all())

    # The enterprises' own hazards (自查) across the divisions, in every status, some overdue.
    own = list(Hazard.objects.filter(source=Hazard.Source.SELF_CHECK).select_related("enterprise__region"))
    assert len({h.enterprise.region_id for h in own}) == 6
    assert {h.status for h in own} == set(H.values)
    assert sum(hazard_is_overdue(h) for h in own) >= 2
    majors = [h for h in own if h.level == Hazard.Level.MAJOR]
    assert len(majors) == 2 and all(h.basis_clause_id for h in majors)
    assert {h.status for h in majors} == {H.IN_PROGRESS, H.CLOSED}
    closed_major = next(h for h in majors if h.status == H.CLOSED)
    assert closed_major.verified_by.role == Role.COUNTY_OFFICER  # the county closes a 重大 one
    assert all(
        h.verified_by.role == Role.ENTERPRISE_PRINCIPAL and h.verified_by != h.submitted_by
        for h in own
        if h.status == H.CLOSED and h.level == Hazard.Level.GENERAL
    )
    (found,) = Hazard.objects.filter(source=Hazard.Source.ENFORCEMENT)
    assert found.found_by.username == "zhanqian_officer" and found.status == H.IN_PROGRESS
    # The demo enterprise's own ledger has no open 重大 hazard: its case stays ready to submit.
    mine = GradingApplication.objects.get(enterprise__name=DEMO_ENTERPRISE_NAME)
    assert mine.enterprise.hazards.count() == 3
    assert major_hazards_check(mine, timezone.localdate()).result == grading_domain.PASS
    # Scoping: a county officer sees his division's hazards only, the city all of them.
    zhanqian = User.objects.get(username="zhanqian_officer")
    assert {h.enterprise.region.name for h in visible_to(zhanqian).select_related("enterprise__region")} == {
        "站前区"
    }
    assert visible_to(city_officer).count() == Hazard.objects.count()

    # The printed list names the enterprise logins of each plan and the flagged one.
    for stage, plan in plans.items():
        line = next(
            line for line in output.splitlines() if plan.application.number in line and "_principal" in line
        )
        assert line.split()[0].endswith("_principal"), stage
        assert (gettext("under supervision (督办)") in line) == (stage == RECTIFYING_OVERDUE)


def test_evidence_files_are_valid_and_stable():
    from io import BytesIO

    from PIL import Image

    for content, name, fmt in (
        (png_bytes((1, 2, 3)), "a.png", "PNG"),
        (jpeg_bytes((1, 2, 3)), "a.jpg", "JPEG"),
    ):
        assert check_upload(ContentFile(content, name=name)).kind.code == fmt.lower()
        image = Image.open(BytesIO(content))
        image.load()
        assert (image.format, image.size) == (fmt, (48, 32))
    pdf = pdf_bytes("Rectification record (demo data)", "Hazard (7)")
    assert pdf == pdf_bytes("Rectification record (demo data)", "Hazard (7)")
    assert check_upload(ContentFile(pdf, name="a.pdf")).kind.code == "pdf"
    # Every offset of the xref table points at its object.
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    rows = pdf[xref:].split(b"\n")[3:8]
    for number, row in enumerate(rows, start=1):
        assert pdf[int(row[:10]) :].startswith(b"%d 0 obj" % number)
    assert b"(Hazard \\(7\\)) Tj" in pdf
