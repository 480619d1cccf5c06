"""The transitions engine, exercised on a real stateful model (a score sheet)."""

import pytest
from django.core.exceptions import PermissionDenied

from lib.workflow import StaleState, T, TransitionError, apply_transition, available_transitions, flow
from standards.models import ScoreSheet
from standards.services import sheet_create
from standards.tests.factories import published_warehousing

S = ScoreSheet.Status
SHEET_FLOW = flow(
    T("submit", {S.DRAFT}, S.SUBMITTED, roles={"enterprise_user"}, label="提交"),
    T(
        "lock",
        {S.SUBMITTED},
        S.LOCKED,
        roles={"city_officer"},
        label="锁定",
        guards=[lambda sheet, actor: "标题不能为空" if not sheet.title else None],
    ),
)


@pytest.fixture
def sheet(personas):
    standard = published_warehousing(personas.city_officer)
    return sheet_create(actor=personas.enterprise_user, standard=standard, kind=ScoreSheet.Kind.PREVIEW)


def test_a_transition_moves_the_row(personas, sheet):
    apply_transition(sheet, SHEET_FLOW, "submit", actor=personas.enterprise_user)
    sheet.refresh_from_db()
    assert sheet.status == S.SUBMITTED


def test_two_clicks_make_one_transition(personas, sheet):
    first = ScoreSheet.objects.get(pk=sheet.pk)
    second = ScoreSheet.objects.get(pk=sheet.pk)  # loaded before the first click lands
    apply_transition(first, SHEET_FLOW, "submit", actor=personas.enterprise_user)
    with pytest.raises(StaleState):
        apply_transition(second, SHEET_FLOW, "submit", actor=personas.enterprise_user)


def test_wrong_role_wrong_state_and_guards_are_refused(personas, sheet):
    with pytest.raises(PermissionDenied):
        apply_transition(sheet, SHEET_FLOW, "submit", actor=personas.county_officer)
    with pytest.raises(TransitionError):
        apply_transition(sheet, SHEET_FLOW, "lock", actor=personas.city_officer)  # still a draft
    apply_transition(sheet, SHEET_FLOW, "submit", actor=personas.enterprise_user)
    with pytest.raises(TransitionError) as exc:
        apply_transition(sheet, SHEET_FLOW, "lock", actor=personas.city_officer)
    assert exc.value.message == "标题不能为空"
    sheet.refresh_from_db()
    assert sheet.status == S.SUBMITTED


def test_available_transitions_drive_the_buttons(personas, sheet):
    assert [t.name for t in available_transitions(sheet, SHEET_FLOW, personas.enterprise_user)] == ["submit"]
    assert available_transitions(sheet, SHEET_FLOW, personas.city_officer) == []


def test_a_transition_cannot_be_declared_twice():
    with pytest.raises(ValueError):
        SHEET_FLOW.extend(T("submit", {S.DRAFT}, S.SUBMITTED, roles={"x"}))
