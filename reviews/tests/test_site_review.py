"""Experts on the case, the on-site review's schedule and opening, attendance and supervision."""

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grading.models import Status
from reviews.models import Attendance, SupervisionNote
from reviews.services import (
    PlanRowIn,
    attendance_record,
    attendance_remove,
    finalise_blockers,
    panel_member_respond,
    regulators_present,
    site_review_open,
    site_review_schedule,
    supervision_note_add,
    supervision_notes_for,
)
from reviews.tests.test_panel_services import seated

pytestmark = pytest.mark.django_db


def _confirm_all(panel):
    for member in seated(panel).select_related("expert__user"):
        panel_member_respond(actor=member.expert.user, member=member, accept=True, no_conflict=True)


def _leader(panel):
    return seated(panel).select_related("expert__user").get(role="leader").expert.user


def _schedule(personas, application):
    return site_review_schedule(
        actor=personas.city_officer,
        application=application,
        place="企业会议室",
        plan=[
            PlanRowIn(time(8, 30), time(9, 0), "首次会议"),
            PlanRowIn(time(9, 0), time(11, 30), "现场检查", "6"),
        ],
    )


# --- 1. Experts see their assigned cases -----------------------------------------------------


def test_a_confirmed_member_reads_the_case_others_get_404(personas, drawn, login):
    application, panel, experts = drawn
    url = reverse("grading:detail", args=[application.pk])
    members = list(seated(panel).select_related("expert__user"))
    first, second = members[0], members[1]
    panel_member_respond(actor=first.expert.user, member=first, accept=True, no_conflict=True)
    assert login(first.expert.user).get(url).status_code == 200
    # Invited, not yet confirmed: the invitation only, not the case.
    assert login(second.expert.user).get(url).status_code == 404
    panel_member_respond(actor=second.expert.user, member=second, accept=False, reason="出差")
    assert login(second.expert.user).get(url).status_code == 404  # declined
    seat_ids = set(panel.members.values_list("expert_id", flat=True))
    outsider = next(e for e in experts if e.pk not in seat_ids)
    assert login(outsider.user).get(url).status_code == 404
    assert login(personas.expert).get(url).status_code == 404


# --- 2. Scheduling and opening -----------------------------------------------------------------


def test_the_city_schedules_and_the_leader_opens(personas, scheduled):
    application, panel, _experts = scheduled
    with pytest.raises(PermissionDenied):
        site_review_schedule(actor=personas.county_officer, application=application, place="x")
    with pytest.raises(ValidationError):
        site_review_schedule(actor=personas.city_officer, application=application, place="")
    with pytest.raises(ValidationError):
        site_review_schedule(
            actor=personas.city_officer,
            application=application,
            place="x",
            plan=[PlanRowIn(time(10), time(9), "倒置")],
        )
    review = _schedule(personas, application)
    assert review.date == panel.review_date and review.plan_rows.count() == 2
    review = site_review_schedule(
        actor=personas.city_chief, application=application, place="二号会议室", plan=[]
    )
    assert review.place == "二号会议室" and review.plan_rows.count() == 0
    members = list(seated(panel).select_related("expert__user"))
    member = next(m for m in members if m.role == "member")
    for outsider in (member.expert.user, personas.city_officer, personas.enterprise_principal):
        with pytest.raises(PermissionDenied):
            site_review_open(actor=outsider, application=application)
    site_review_open(actor=_leader(panel), application=application)
    application.refresh_from_db()
    review.refresh_from_db()
    assert application.status == Status.ON_SITE_REVIEW and review.opened_at
    with pytest.raises(ValidationError):  # no longer editable
        _schedule(personas, application)


def test_the_review_opens_only_once_scheduled(personas, scheduled):
    application, panel, _experts = scheduled
    with pytest.raises(ValidationError):
        site_review_open(actor=_leader(panel), application=application)


# --- 3. Attendance -----------------------------------------------------------------------------


def test_regulators_present_is_pure():
    assert len(regulators_present([])) == 4
    rows = [{"meeting": m, "role": r} for m in ("opening", "closing") for r in ("city", "county")]
    assert regulators_present(rows) == []
    assert regulators_present(rows[1:]) == [("opening", "city")]


def test_attendance_blocks_finalising_until_both_regulators_sign(personas, on_site):
    application, panel, review = on_site
    assert len(finalise_blockers(review)) == 4
    leader = _leader(panel)
    for meeting in ("opening", "closing"):
        attendance_record(actor=leader, review=review, meeting=meeting, name="张三", role="enterprise")
        attendance_record(
            actor=personas.city_officer, review=review, meeting=meeting, user=personas.city_officer
        )
    assert len(finalise_blockers(review)) == 2
    attendance_record(
        actor=personas.county_officer, review=review, meeting="opening", user=personas.county_officer
    )
    row = attendance_record(actor=leader, review=review, meeting="closing", user=personas.county_officer)
    assert row.role == "county"
    assert finalise_blockers(review) == []
    attendance_remove(actor=personas.city_officer, row=row)
    assert len(finalise_blockers(review)) == 1


def test_attendance_permissions(personas, on_site):
    _application, panel, review = on_site
    member = seated(panel).select_related("expert__user").filter(role="member").first().expert.user
    with pytest.raises(PermissionDenied):  # a member does not keep the sheet
        attendance_record(actor=member, review=review, meeting="opening", name="x", role="panel")
    with pytest.raises(PermissionDenied):  # out of scope
        attendance_record(
            actor=personas.other_county_officer,
            review=review,
            meeting="opening",
            user=personas.other_county_officer,
        )
    with pytest.raises(PermissionDenied):  # a county officer signs only himself
        attendance_record(
            actor=personas.county_officer, review=review, meeting="opening", name="李四", role="enterprise"
        )
    row = attendance_record(
        actor=personas.city_officer, review=review, meeting="opening", name="王五", role="enterprise"
    )
    with pytest.raises(PermissionDenied):
        attendance_remove(actor=personas.county_officer, row=row)
    with pytest.raises(ValidationError):
        attendance_record(actor=personas.city_officer, review=review, meeting="lunch", name="x", role="city")


# --- 4. Supervision ----------------------------------------------------------------------------


def test_supervision_notes_by_regulators_read_by_the_city(personas, on_site):
    application, panel, review = on_site
    note = supervision_note_add(
        actor=personas.county_officer,
        review=review,
        punctuality=5,
        thoroughness=4,
        impartiality=5,
        irregularity="",
    )
    supervision_note_add(
        actor=personas.city_officer, review=review, punctuality=3, thoroughness=3, impartiality=4
    )
    for outsider in (
        personas.other_county_officer,
        _leader(panel),
        personas.enterprise_principal,
        personas.bureau_leader,
    ):
        with pytest.raises(PermissionDenied):
            supervision_note_add(actor=outsider, review=review, punctuality=5, thoroughness=5, impartiality=5)
    with pytest.raises(ValidationError):
        supervision_note_add(
            actor=personas.city_officer, review=review, punctuality=6, thoroughness=5, impartiality=5
        )
    assert supervision_notes_for(personas.city_chief, review).count() == 2
    assert supervision_notes_for(personas.bureau_leader, review).count() == 2
    assert list(supervision_notes_for(personas.county_officer, review)) == [note]
    assert supervision_notes_for(_leader(panel), review).count() == 0
    assert SupervisionNote.objects.count() == 2


def test_supervision_only_while_on_site(personas, scheduled):
    application, _panel, _experts = scheduled
    review = _schedule(personas, application)
    with pytest.raises(ValidationError):
        supervision_note_add(
            actor=personas.city_officer, review=review, punctuality=5, thoroughness=5, impartiality=5
        )
    with pytest.raises(ValidationError):
        attendance_record(
            actor=personas.city_officer, review=review, meeting="opening", user=personas.city_officer
        )
    assert Attendance.objects.count() == 0
