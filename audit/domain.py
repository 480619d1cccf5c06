"""Pure functions of the audit hash chain (no ORM)."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

    @property
    def reason_text(self) -> str:
        return str(BREAK_REASONS.get(self.reason, self.reason))


BREAK_REASONS = {
    "hash": gettext_lazy("the row's content does not match its hash (edited)"),
    "link": gettext_lazy("the row does not link to the previous one"),
    "missing": gettext_lazy("the row is missing (deleted)"),
}


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


@dataclass(frozen=True)
class FieldInfo:
    """How to show one key of an event's data: its label and, for choice fields, value labels."""

    label: str
    choices: Mapping[str, str] | None = None


def _format_value(value, info: FieldInfo | None = None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return "、".join(_format_value(v, info) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    if info is not None and info.choices:
        return str(info.choices.get(text, text))
    return text


def describe_data(data: Mapping, fields: Mapping[str, FieldInfo] | None = None) -> list[tuple[str, str]]:
    """Return an event's details as (label, text) lines a person can read.

    ``{"changes": {field: [old, new]}}`` becomes "label: old → new" per field, and
    ``{"before": {...}}`` / ``{"after": {...}}`` snapshots one line per field; other keys
    are shown as they are. ``fields`` maps keys to labels and choice labels.
    """
    fields = fields or {}
    lines: list[tuple[str, str]] = []

    def label(key: str) -> str:
        return str(fields[key].label) if key in fields else key

    for key, value in data.items():
        if key == "changes" and isinstance(value, Mapping):
            for name, change in value.items():
                info = fields.get(name)
                if isinstance(change, list | tuple) and len(change) == 2:
                    text = _format_value(change[0], info) + " → " + _format_value(change[1], info)
                else:
                    text = _format_value(change, info)
                lines.append((label(name), text))
        elif key in ("before", "after") and isinstance(value, Mapping):
            for name, item in value.items():
                lines.append((label(name), _format_value(item, fields.get(name))))
        else:
            lines.append((label(key), _format_value(value, fields.get(key))))
    return lines
