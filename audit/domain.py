"""Pure functions of the audit hash chain (no ORM)."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64


def _canonical_time(value: datetime) -> str:
    # Normalise to UTC seconds: databases differ in the time zone and precision they return.
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def event_hash(
    *,
    prev_hash: str,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    organisation_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    data: dict,
    ip: str | None,
) -> str:
    """Return the SHA-256 of an event's fields chained to the previous event's hash."""
    payload = json.dumps(
        [
            prev_hash,
            seq,
            _canonical_time(created_at),
            actor_id,
            organisation_id,
            action,
            target_type,
            str(target_id),
            target_repr,
            data,
            ip,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first event whose stored hash or link does not match."""

    seq: int
    reason: str


def verify_chain(events: Iterable[dict], head_seq: int | None = None) -> ChainBreak | None:
    """Walk events in seq order and return the first broken link, or None when intact.

    Each event is a dict with the fields of ``event_hash`` plus ``hash``. A gap in the
    sequence means a deleted row; ``head_seq`` catches deletion of the newest rows.
    """
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for event in events:
        if event["seq"] != expected_seq:
            return ChainBreak(expected_seq, "missing")
        if event["prev_hash"] != expected_prev:
            return ChainBreak(event["seq"], "link")
        fields = {k: event[k] for k in event if k != "hash"}
        if event_hash(**fields) != event["hash"]:
            return ChainBreak(event["seq"], "hash")
        expected_prev = event["hash"]
        expected_seq += 1
    if head_seq is not None and head_seq != expected_seq - 1:
        return ChainBreak(expected_seq, "missing")
    return None
