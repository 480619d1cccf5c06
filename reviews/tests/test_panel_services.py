"""Drawing the panel of an accepted application, confirmations, declines, replacement, approval."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory, expert_pool
from audit.models import AuditEvent
from experts.models import ExpertRelation, Specialty
from experts.tests.factories import ExpertFactory
from grading.models import Status
from grading.tests.factories import advance, make_application
from reviews.models import Panel, PanelDraw, PanelMember
from reviews.services import panel_approve, panel_draw_run, panel_member_replace, panel_member_respond

pytestmark = pytest.mark.django_db

CORE = [Specialty.SAFETY_MANAGEMENT, Specialty.PROCESS_TECHNOLOGY, Specialty.EQUIPMENT_FACILITIES]


def review_day() -> date:
    return timezone.localdate() + timedelta(days=14)


def pool(n: int = 9, **kwargs):
    """n experts of the commerce industry spread over the three core specialties, each with a login."""
    experts = []
    for i in range(n):
        user = UserFactory(username=f"expert{i}", role=Role.EXPERT, organisation=expert_pool())
        experts.append(
            ExpertFactory(
                name=f"专家{i}",
                specialties=[CORE[i % 3].value],
                industries=["commerce_trade"],
                can_lead=i < 3,
                years_of_experience=15,
                user=user,
                **kwargs,
            )
        )
    return experts


@pytest.fixture
def accepted(personas):
    return advance(make_application(personas), personas, Status.ACCEPTED)


def seated(panel):
    return panel.members.filter(state__in=["invited", "confirmed"]).exclude(role="reserve")


def test_draw_forms_a_covering_panel_and_moves_the_case(personas, accepted):
    pool()
    record = panel_draw_run(
        actor=personas.city_officer, application=accepted, review_date=review_day(), seed=7
    )
    accepted.refresh_from_db()
    assert record.ok and accepted.status == Status.PANEL_FORMING
    panel = Panel.objects.get(application=accepted)
    members = list(seated(panel).select_related("expert"))
    assert len(members) == 5
    assert {s for m in members for s in m.expert.specialties} >= {c.value for c in CORE}
    assert sum(m.role == "leader" for m in members) == 1
    assert panel.members.filter(role="reserve").count() == 2  # parameter panel_reserves
    assert AuditEvent.objects.filter(action="panel.draw").exists()


def test_a_conflicted_expert_is_excluded_with_the_reason(personas, accepted):
    experts = pool()
    ExpertRelation.objects.create(
        expert=experts[0],
        kind=ExpertRelation.Kind.CONSULTING,
        enterprise_name=accepted.enterprise.name,
        enterprise_uscc=accepted.enterprise.uscc,
        start=timezone.localdate() - timedelta(days=400),
    )
    record = panel_draw_run(
        actor=personas.city_officer, application=accepted, review_date=review_day(), seed=1
    )
    excluded = {row[0]: row[1] for row in record.result["excluded_reasons"]}
    assert excluded[experts[0].pk] == "consulting"
    assert experts[0].pk not in record.result["members"]


def test_an_impossible_draw_is_recorded_and_changes_nothing(personas, accepted):
    pool(3)
    record = panel_draw_run(
        actor=personas.city_officer, application=accepted, review_date=review_day(), seed=1
    )
    accepted.refresh_from_db()
    assert not record.ok and record.failure
    assert accepted.status == Status.ACCEPTED
    assert not Panel.objects.exists()


def test_only_the_city_draws(personas, accepted):
    pool()
    for name in ("county_officer", "enterprise_principal", "bureau_leader"):
        with pytest.raises(PermissionDenied):
            panel_draw_run(actor=personas[name], application=accepted, review_date=review_day())


def test_confirm_needs_the_declaration_and_decline_brings_the_reserve(personas, accepted):
    pool()
    panel_draw_run(actor=personas.city_officer, application=accepted, review_date=review_day(), seed=3)
    panel = Panel.objects.get(application=accepted)
    first = seated(panel).select_related("expert__user").first()
    with pytest.raises(ValidationError):
        panel_member_respond(actor=first.expert.user, member=first, accept=True, no_conflict=False)
    panel_member_respond(actor=first.expert.user, member=first, accept=True, no_conflict=True)
    first.refresh_from_db()
    assert first.state == "confirmed"
    # Someone else cannot answer for him.
    second = seated(panel).filter(state="invited").select_related("expert__user").first()
    with pytest.raises(PermissionDenied):
        panel_member_respond(actor=first.expert.user, member=second, accept=True, no_conflict=True)
    reserves_before = set(
        panel.members.filter(role="reserve", state="standby").values_list("expert_id", flat=True)
    )
    panel_member_respond(actor=second.expert.user, member=second, accept=False, reason="出差")
    second.refresh_from_db()
    assert second.state == "declined"
    seated_now = set(seated(panel).values_list("expert_id", flat=True))
    assert len(seated_now) == 5 and second.expert_id not in seated_now
    assert seated_now & reserves_before  # a reserve stepped in


def test_replace_by_hand_needs_a_reason_and_is_audited(personas, accepted):
    experts = pool(10)
    panel_draw_run(actor=personas.city_officer, application=accepted, review_date=review_day(), seed=5)
    panel = Panel.objects.get(application=accepted)
    member = seated(panel).first()
    outsider = next(e for e in experts if not panel.members.filter(expert=e).exists())
    with pytest.raises(ValidationError):
        panel_member_replace(actor=personas.city_officer, member=member, expert=outsider, reason="")
    incoming = panel_member_replace(
        actor=personas.city_officer, member=member, expert=outsider, reason="身体原因"
    )
    assert incoming.added_by_hand and incoming.state == "invited"
    assert AuditEvent.objects.filter(action="panel.replace").exists()


def test_the_chief_approves_only_a_confirmed_panel(personas, accepted):
    pool()
    panel_draw_run(actor=personas.city_officer, application=accepted, review_date=review_day(), seed=9)
    panel = Panel.objects.get(application=accepted)
    with pytest.raises(ValidationError):
        panel_approve(actor=personas.city_chief, panel=panel)
    for member in seated(panel).select_related("expert__user"):
        panel_member_respond(actor=member.expert.user, member=member, accept=True, no_conflict=True)
    panel.refresh_from_db()
    assert panel.status == Panel.Status.CONFIRMED
    with pytest.raises(PermissionDenied):
        panel_approve(actor=personas.city_officer, panel=panel)
    panel_approve(actor=personas.city_chief, panel=panel)
    accepted.refresh_from_db()
    assert accepted.status == Status.REVIEW_SCHEDULED


def test_the_same_expert_is_not_drawn_twice_on_one_day(personas, accepted):
    """An expert seated on one panel is 'busy' for every other draw of that day."""
    pool(5)
    day = review_day()
    panel_draw_run(actor=personas.city_officer, application=accepted, review_date=day, seed=1)
    seated_ids = set(PanelMember.objects.values_list("expert_id", flat=True))
    from reviews.services import draw_candidates

    candidates, _removed = draw_candidates(personas.city_officer, day)
    assert all(c.busy_dates == (day,) for c in candidates if c.expert_id in seated_ids)


def test_replay_draw_matches_and_detects_tampering(personas, accepted):
    pool()
    record = panel_draw_run(
        actor=personas.city_officer, application=accepted, review_date=review_day(), seed=11
    )
    out = StringIO()
    call_command("replay_draw", str(record.pk), stdout=out)
    assert record.result_hash in out.getvalue()
    inputs = record.inputs
    inputs["candidates"][0]["panels_in_window"] = 99
    PanelDraw.objects.filter(pk=record.pk).update(inputs=inputs)
    with pytest.raises(CommandError):
        call_command("replay_draw", str(record.pk), stdout=StringIO())
