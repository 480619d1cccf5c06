"""Two submits of the same application make exactly one transition (conventions §3).

The service level first, with two stale in-memory copies (runs everywhere), then a real race
between two threads and two database connections (PostgreSQL only: SQLite serialises writers
and ignores row locks, so a race there proves nothing).
"""

import threading

import pytest
from django.db import connection
from django.utils.translation import gettext

from audit.models import AuditEvent
from grading import services
from grading.models import ApplicationTransition, GradingApplication, Status, Submission
from grading.tests.factories import advance, file_everything, make_application
from lib.workflow import TransitionError


def ready_to_submit(personas) -> GradingApplication:
    """An application in internal publicity with the minimum elapsed and everything filed."""
    application = advance(make_application(personas), personas, Status.INTERNAL_PUBLICITY)
    file_everything(application, personas)
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_two_stale_copies_submit_once(personas):
    application = ready_to_submit(personas)
    first = GradingApplication.objects.get(pk=application.pk)
    second = GradingApplication.objects.get(pk=application.pk)
    assert first.status == second.status == Status.INTERNAL_PUBLICITY

    services.application_submit(actor=personas.enterprise_principal, application=first)
    assert second.status == Status.INTERNAL_PUBLICITY  # still the stale copy
    with pytest.raises(TransitionError) as exc:
        services.application_submit(actor=personas.enterprise_principal, application=second)

    # The service re-reads under a lock, so the loser sees the new state (StaleState is a
    # TransitionError too, for a move that slips past the lock).
    assert exc.value.message in (
        gettext("This cannot be done in the current state."),
        gettext("Someone else changed this case a moment ago; reload the page and try again."),
    )
    application.refresh_from_db()
    assert application.status == Status.COUNTY_REVIEW
    assert ApplicationTransition.objects.filter(application=application, transition="submit").count() == 1
    assert Submission.objects.filter(application=application).count() == 1
    assert AuditEvent.objects.filter(action="application.submit", target_id=str(application.pk)).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_threads_submit_at_once_one_wins(personas):
    application = ready_to_submit(personas)
    principal = personas.enterprise_principal
    barrier = threading.Barrier(2, timeout=30)
    outcomes: list[object] = []
    lock = threading.Lock()

    def click():
        try:
            copy = GradingApplication.objects.get(pk=application.pk)
            barrier.wait()
            try:
                services.application_submit(actor=principal, application=copy)
                result: object = "ok"
            except TransitionError as exc:
                result = exc
            except Exception as exc:  # anything else is a failure the assertions will show
                result = repr(exc)
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)

    assert outcomes.count("ok") == 1, outcomes
    refused = [o for o in outcomes if isinstance(o, TransitionError)]
    assert len(refused) == 1, outcomes
    application.refresh_from_db()
    assert application.status == Status.COUNTY_REVIEW
    assert ApplicationTransition.objects.filter(application=application, transition="submit").count() == 1
    assert Submission.objects.filter(application=application).count() == 1
