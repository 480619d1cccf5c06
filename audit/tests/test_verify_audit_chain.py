"""The verify_audit_chain command: exit 0 on an intact chain, CommandError naming the first broken event."""

import re

import pytest
from django.core.management import CommandError, call_command

from audit.domain import ChainBreak
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from audit.tests.helpers import record


@pytest.fixture
def chain(db):
    return [record(None, f"test.{n}", data={"n": n}) for n in range(1, 6)]


def _run() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def _broken_at(seq: int, reason: str) -> None:
    """Assert the command fails naming event ``seq`` (in whatever language is active)."""
    assert audit_chain_verify() == ChainBreak(seq, reason)
    with pytest.raises(CommandError) as info:
        _run()
    message = str(info.value)
    assert re.search(rf"(?<!\d){seq}(?!\d)", message), message
    assert ChainBreak(seq, reason).reason_text in message


def test_an_intact_chain_passes(chain):
    assert audit_chain_verify() is None
    assert re.search(r"(?<!\d)5(?!\d)", _run())


def test_an_empty_chain_passes(db):
    _run()


def test_editing_data_with_update_breaks_the_chain(chain):
    AuditEvent.objects.filter(seq=3).update(data={"n": 999})
    _broken_at(3, "hash")


def test_editing_the_action_with_update_breaks_the_chain(chain):
    AuditEvent.objects.filter(seq=2).update(action="test.innocent")
    _broken_at(2, "hash")


def test_deleting_a_row_breaks_the_chain(chain):
    AuditEvent.objects.filter(seq=4).delete()
    _broken_at(4, "missing")


def test_deleting_the_newest_row_breaks_the_chain(chain):
    AuditEvent.objects.filter(seq=5).delete()
    _broken_at(5, "missing")


def test_rewriting_a_row_with_a_fresh_hash_breaks_the_next_link(chain):
    from audit.domain import event_hash

    event = AuditEvent.objects.get(seq=2)
    fields = {
        f: getattr(event, f)
        for f in (
            "prev_hash",
            "seq",
            "created_at",
            "actor_id",
            "organisation_id",
            "action",
            "target_type",
            "target_id",
            "target_repr",
            "data",
            "ip",
        )
    }
    fields["data"] = {"n": 42}
    AuditEvent.objects.filter(seq=2).update(data={"n": 42}, hash=event_hash(**fields))
    _broken_at(3, "link")
