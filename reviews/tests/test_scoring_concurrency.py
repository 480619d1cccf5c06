"""Members scoring at the same time, and clicks that race (conventions §3; domain.md §5.4).

First with stale in-memory copies, which runs on both databases; then real races between
threads with their own database connections, on PostgreSQL only (SQLite serialises writers
and ignores row locks, so a race there proves nothing). The recipe is grading/tests/
test_concurrency.py's.
"""

import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from audit.models import AuditEvent
from grading import services as grading_services
from grading.models import ApplicationTransition, GradingApplication, Status
from reviews.models import MemberSheet, PanelMember, SiteReview
from reviews.services import (
    consolidation_reason_set,
    member_sheet_fill_conforming,
    member_sheet_reopen,
    member_sheet_submit,
    review_finalise,
)
from reviews.services import scoring as scoring_services
from reviews.tests.test_scoring_services import (
    REASON,
    assigned_to,
    consolidated,
    deduct,
    give_reasons,
    hand_in,
    leader_of,
    member_sheet,
    members,
    sheet_of,
    sign_in_regulators,
    user_of,
)
from standards.domain import score_sheet
from standards.models import ScoreSheet, SheetItem
from standards.selectors import sheet_input, standard_spec_cached
from standards.services import sheet_entries_save, sheet_entry_clear

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real race needs PostgreSQL's row locks"
)
# Threads use their own connections, so the fixtures' rows must be committed.
committed_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def two_members(application) -> tuple[PanelMember, PanelMember]:
    plain = [m for m in members(application) if m.role == PanelMember.Role.MEMBER]
    return plain[0], plain[1]


def codes_on(sheet: ScoreSheet) -> set[str]:
    return set(sheet.entries.values_list("item__code", flat=True))


def ready_to_finalise(personas, application, review) -> SiteReview:
    review = consolidated(personas, application, review, deduct("1.1.1", 1))
    sign_in_regulators(personas, review)
    give_reasons(review, user_of(leader_of(application)))
    return review


def finalisations(application) -> int:
    return ApplicationTransition.objects.filter(
        application=application, transition__startswith="finalise"
    ).count()


# --- Stale copies (both databases) --------------------------------------------------------------------


@pytest.mark.django_db
def test_two_members_with_stale_sheets_both_keep_their_work(personas, on_site):
    application, _panel, review = on_site
    first, second = two_members(application)
    a, b = assigned_to(review, first)[:3], assigned_to(review, second)[:3]
    stale_a, stale_b = sheet_of(first), sheet_of(second)  # loaded once, as two open pages would

    sheet_entries_save(actor=user_of(first), sheet=stale_a, entries=[deduct(a[0], 1)])
    sheet_entries_save(actor=user_of(second), sheet=stale_b, entries=[deduct(b[0], 2)])
    sheet_entries_save(actor=user_of(first), sheet=stale_a, entries=[deduct(a[1], 1), deduct(a[2], "0.5")])
    sheet_entries_save(actor=user_of(second), sheet=stale_b, entries=[deduct(b[1], 1)])
    assert codes_on(sheet_of(first)) == set(a)
    assert codes_on(sheet_of(second)) == set(b[:2])

    # The first records the rest as conforming and submits through a stale page; the second
    # keeps working on his own sheet.
    stale_row = member_sheet(first)
    with pytest.raises(ValidationError):  # his other items have no entry yet
        member_sheet_submit(actor=user_of(first), member_sheet=stale_row)
    filled = member_sheet_fill_conforming(actor=user_of(first), member_sheet=stale_row)
    assert filled == len(assigned_to(review, first)) - 3
    assert member_sheet_submit(actor=user_of(first), member_sheet=stale_row) is True
    sheet_entries_save(actor=user_of(second), sheet=stale_b, entries=[deduct(b[2], 1)])
    assert codes_on(sheet_of(second)) == set(b)
    # The first's stale page still says "draft", but his sheet is read-only now.
    assert stale_a.status == ScoreSheet.Status.DRAFT
    with pytest.raises(ValidationError):
        sheet_entries_save(actor=user_of(first), sheet=stale_a, entries=[deduct(a[0], 3)])
    with pytest.raises(ValidationError):
        member_sheet_fill_conforming(actor=user_of(first), member_sheet=stale_row)
    assert member_sheet_submit(actor=user_of(first), member_sheet=stale_row) is False
    assert codes_on(sheet_of(first)) == set(assigned_to(review, first))
    entries = {e.code: e for e in sheet_input(sheet_of(first)).entries}
    assert [d.points for d in entries[a[0]].deductions] == [1]
    assert [d.points for d in entries[a[2]].deductions] == [Decimal("0.5")]
    assert entries[assigned_to(review, first)[3]].deductions == ()  # recorded as conforming


@pytest.mark.django_db
def test_two_finalise_clicks_with_stale_copies_make_one_transition(personas, on_site):
    application, _panel, review = on_site
    ready_to_finalise(personas, application, review)
    leader = user_of(leader_of(application))
    first = GradingApplication.objects.get(pk=application.pk)
    second = GradingApplication.objects.get(pk=application.pk)

    assert review_finalise(actor=leader, application=first) is not None
    assert second.status == Status.ON_SITE_REVIEW  # still the stale copy
    with pytest.raises(ValidationError):
        review_finalise(actor=leader, application=second)
    application.refresh_from_db()
    assert application.status == Status.RECTIFYING
    assert finalisations(application) == 1
    assert AuditEvent.objects.filter(action="review.finalise").count() == 1


# --- Real races (PostgreSQL) -------------------------------------------------------------------------


def run_together(*jobs: Callable[[], object]) -> list[object]:
    """Run the jobs in threads released at the same moment; each outcome is its return value,
    the exception it raised, or (for anything unexpected) the exception's repr."""
    barrier = threading.Barrier(len(jobs), timeout=30)
    outcomes: list[object] = [None] * len(jobs)

    def run(index: int, job) -> None:
        try:
            barrier.wait()
            try:
                outcomes[index] = job()
            except ValidationError as exc:
                outcomes[index] = exc
            except Exception as exc:  # the assertions show it
                outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert not any(t.is_alive() for t in threads)
    return outcomes


@pytest.fixture
def no_documents(monkeypatch):
    """Documents render after each commit (here for real: the tests commit); these tests are
    about the locks, not the PDFs. Ask for it before ``on_site`` so its setup skips them too."""
    monkeypatch.setattr(grading_services, "_generate_after_commit", lambda *args, **kwargs: None)
    monkeypatch.setattr(scoring_services, "_schedule_report", lambda *args, **kwargs: None)


@postgres_only
@committed_db
def test_two_members_saving_at_the_same_moment_both_keep_their_work(no_documents, personas, on_site):
    application, _panel, review = on_site
    first, second = two_members(application)
    work = {first.pk: assigned_to(review, first)[:6], second.pk: assigned_to(review, second)[:6]}

    def scoring(member):
        def job():
            sheet = sheet_of(member)  # each thread its own page
            for code in work[member.pk]:
                sheet_entries_save(actor=user_of(member), sheet=sheet, entries=[deduct(code, 1)])
            return "ok"

        return job

    assert run_together(scoring(first), scoring(second)) == ["ok", "ok"]
    assert codes_on(sheet_of(first)) == set(work[first.pk])
    assert codes_on(sheet_of(second)) == set(work[second.pk])


@postgres_only
@committed_db
def test_two_finalise_clicks_at_the_same_moment_make_one_transition(no_documents, personas, on_site):
    application, _panel, review = on_site
    ready_to_finalise(personas, application, review)
    leader = user_of(leader_of(application))

    def click():
        return review_finalise(actor=leader, application=GradingApplication.objects.get(pk=application.pk))

    outcomes = run_together(click, click)
    done = [o for o in outcomes if isinstance(o, ApplicationTransition)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(done) == 1 and len(refused) == 1, outcomes
    application.refresh_from_db()
    assert application.status == Status.RECTIFYING
    assert finalisations(application) == 1
    assert AuditEvent.objects.filter(action="review.finalise").count() == 1


def hold_then_race(hold: Callable[[], None], then: Callable[[], object]) -> tuple[object, object]:
    """Run ``hold`` in a transaction kept open until ``then`` (in another thread) had time to
    reach its first lock; return both outcomes."""
    held, release = threading.Event(), threading.Event()
    outcomes: list[object] = [None, None]

    def first() -> None:
        try:
            with transaction.atomic():
                hold()
                held.set()
                release.wait(timeout=30)
            outcomes[0] = "ok"
        except Exception as exc:
            outcomes[0] = repr(exc)
            held.set()
        finally:
            connection.close()

    def second() -> None:
        try:
            held.wait(timeout=30)
            outcomes[1] = then()
        except ValidationError as exc:
            outcomes[1] = exc
        except Exception as exc:
            outcomes[1] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    held.wait(timeout=30)
    time.sleep(1.0)  # the second thread now waits on a lock the first holds
    release.set()
    for t in threads:
        t.join(timeout=90)
    assert not any(t.is_alive() for t in threads)
    return outcomes[0], outcomes[1]


@postgres_only
@committed_db
def test_finalise_scores_a_panel_sheet_save_that_was_in_flight(no_documents, personas, on_site):
    """The leader saves the panel sheet in one tab and finalises in another: the stored score
    is the score of the sheet as it was locked, never of an older state."""
    application, _panel, review = on_site
    review = ready_to_finalise(personas, application, review)
    leader = user_of(leader_of(application))
    consolidation_reason_set(actor=leader, review=review, code="2.1.2", reason=REASON)

    def save():
        sheet_entries_save(actor=leader, sheet=review.panel_sheet, entries=[deduct("2.1.2", 2)])

    def finalise():
        return review_finalise(actor=leader, application=GradingApplication.objects.get(pk=application.pk))

    saved, finalised = hold_then_race(save, finalise)
    assert saved == "ok"
    assert isinstance(finalised, ApplicationTransition), finalised
    review.refresh_from_db()
    panel_sheet = ScoreSheet.objects.get(pk=review.panel_sheet_id)
    assert panel_sheet.status == ScoreSheet.Status.LOCKED
    assert "2.1.2" in codes_on(panel_sheet)
    result = score_sheet(standard_spec_cached(application.standard), sheet_input(panel_sheet))
    assert review.earned == result.earned == 997
    assert review.nonconformities == 2


@postgres_only
@committed_db
def test_a_sheet_reopened_while_finalising_is_not_finalised_behind_its_member(
    no_documents, personas, on_site
):
    """The leader hands a sheet back in one tab while finalising in another: either the sheet
    goes back and the review stays open, or the review is finalised on submitted sheets."""
    application, _panel, review = on_site
    ready_to_finalise(personas, application, review)
    leader = user_of(leader_of(application))
    member, _other = two_members(application)

    def reopen():
        member_sheet_reopen(actor=leader, member_sheet=member_sheet(member), reason="请复核")

    def finalise():
        return review_finalise(actor=leader, application=GradingApplication.objects.get(pk=application.pk))

    reopened, finalised = hold_then_race(reopen, finalise)
    assert reopened == "ok"
    assert isinstance(finalised, ValidationError), finalised
    review.refresh_from_db()
    application.refresh_from_db()
    assert review.finalised_at is None and application.status == Status.ON_SITE_REVIEW
    row = MemberSheet.objects.select_related("sheet").get(member=member)
    assert row.submitted_at is None and row.sheet.status == ScoreSheet.Status.DRAFT
    assert finalisations(application) == 0


@postgres_only
@committed_db
def test_recording_the_rest_as_conforming_keeps_a_save_that_was_in_flight(no_documents, personas, on_site):
    """The member scores an item in one tab and records the rest as conforming in another: the
    item keeps his deduction, and only the items still unscored are recorded as conforming."""
    application, _panel, review = on_site
    member, _other = two_members(application)
    mine = assigned_to(review, member)
    code = mine[0]

    def save():
        sheet_entries_save(actor=user_of(member), sheet=sheet_of(member), entries=[deduct(code, 2)])

    def fill():
        return member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member))

    saved, filled = hold_then_race(save, fill)
    assert saved == "ok"
    assert filled == len(mine) - 1, filled
    entries = {e.code: e for e in sheet_input(sheet_of(member)).entries}
    assert set(entries) == set(mine)
    assert [d.points for d in entries[code].deductions] == [2]  # not overwritten as conforming


@postgres_only
@committed_db
def test_a_sheet_is_not_handed_in_with_an_item_cleared_in_flight(no_documents, personas, on_site):
    """The member clears an item in one tab and hands in in another: either the hand-in sees
    the cleared item and is refused, or it is not handed in behind the clearing."""
    application, _panel, review = on_site
    member, _other = two_members(application)
    member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member))
    code = assigned_to(review, member)[0]

    def clear():
        sheet_entry_clear(actor=user_of(member), sheet=sheet_of(member), code=code)

    def submit():
        return member_sheet_submit(actor=user_of(member), member_sheet=member_sheet(member))

    cleared, submitted = hold_then_race(clear, submit)
    assert cleared == "ok"
    assert isinstance(submitted, ValidationError), submitted
    assert code in str(submitted)
    row = member_sheet(member)
    assert row.submitted_at is None and row.sheet.status == ScoreSheet.Status.DRAFT
    assert not SheetItem.objects.filter(sheet_id=row.sheet_id, item__code=code).exists()


@postgres_only
@committed_db
def test_handing_in_while_the_rest_is_recorded_as_conforming_waits_for_it(no_documents, personas, on_site):
    """ "Record as conforming" in one tab, "hand in" in the other: the hand-in waits for the
    recording and goes through on the complete sheet."""
    application, _panel, review = on_site
    member, _other = two_members(application)

    def fill():
        member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member))

    def submit():
        return hand_in(member)

    filled, submitted = hold_then_race(fill, submit)
    assert filled == "ok"
    assert submitted is True, submitted
    row = member_sheet(member)
    assert row.submitted_at is not None and row.sheet.status == ScoreSheet.Status.SUBMITTED
    assert codes_on(row.sheet) == set(assigned_to(review, member))
    assert AuditEvent.objects.filter(action="review.sheet_conforming").count() == 1
