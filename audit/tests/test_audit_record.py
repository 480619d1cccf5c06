"""audit_record appends to the hash chain inside the caller's transaction."""

import pytest
from django.db import transaction

from audit.domain import GENESIS_HASH, event_hash
from audit.models import AuditChainHead, AuditEvent
from audit.services import audit_record
from audit.tests.helpers import record

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@transaction.atomic
def _service_that_fails_after_recording(actor):
    audit_record(actor=actor, action="test.doomed")
    raise Boom


def test_a_failing_service_leaves_no_event(personas):
    actor = personas.county_officer
    before = AuditEvent.objects.count()
    head = AuditChainHead.objects.filter(id=1).values_list("seq", "hash").first()
    with pytest.raises(Boom):
        _service_that_fails_after_recording(actor)
    assert AuditEvent.objects.count() == before
    assert not AuditEvent.objects.filter(action="test.doomed").exists()
    assert AuditChainHead.objects.filter(id=1).values_list("seq", "hash").first() == head


def test_recording_outside_a_transaction_is_refused(personas):
    from unittest import mock

    with mock.patch("audit.services.transaction.get_connection") as conn:
        conn.return_value.in_atomic_block = False
        with pytest.raises(RuntimeError):
            audit_record(actor=None, action="test.loose")


def test_events_link_in_order(personas):
    events = [record(personas.city_officer, f"test.{n}", data={"n": n}) for n in range(4)]
    seqs = [e.seq for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + 4))
    previous = (
        AuditEvent.objects.filter(seq=seqs[0] - 1).values_list("hash", flat=True).first() or GENESIS_HASH
    )
    for event in events:
        assert event.prev_hash == previous
        assert event.hash == event_hash(
            prev_hash=event.prev_hash,
            seq=event.seq,
            created_at=event.created_at,
            actor_id=event.actor_id,
            organisation_id=event.organisation_id,
            action=event.action,
            target_type=event.target_type,
            target_id=event.target_id,
            target_repr=event.target_repr,
            data=event.data,
            ip=event.ip,
        )
        previous = event.hash
    head = AuditChainHead.objects.get(id=1)
    assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)


def test_the_actor_and_organisation_are_remembered(personas):
    officer = personas.county_officer
    event = record(officer, "test.who", target=officer)
    assert event.actor_id == officer.pk
    assert event.organisation_id == officer.organisation_id
    assert event.organisation_repr == "站前区应急管理局"
    assert (event.target_type, event.target_id) == ("accounts.user", str(officer.pk))
