"""Which code runs each kind of job. Higher apps register their handlers in AppConfig.ready().

A handler is ``handler(ctx: JobContext) -> dict``: it reads ``ctx.job`` (params, input file),
reports progress with ``ctx.progress(done, total)``, may store a file with ``ctx.save_output``,
and returns the result shown on the job page ({"message": ..., "url": ..., "url_label": ...}).
It raises ``JobFailed`` for an expected failure (a bad file), with an optional per-row report.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import ngettext

if TYPE_CHECKING:
    from jobs.models import Job


class JobContext(Protocol):
    job: "Job"

    def progress(self, done: int, total: int) -> None: ...

    def save_output(self, filename: str, content: bytes) -> None: ...


Handler = Callable[[JobContext], dict[str, Any]]


class JobFailed(Exception):
    """The job could not do its work for a reason the user can fix; nothing was changed.

    ``errors`` are the per-row problems: objects with ``row``, ``column`` and ``message``
    attributes (such as ``RowError``) or dicts with those keys.
    """

    def __init__(self, message: str, errors: Iterable[Any] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = [_report_entry(e) for e in errors]


def rows_rejected(errors: list[Any]) -> JobFailed:
    """The all-or-nothing import's failure: how many rows have problems, with the per-row report."""
    rows = len({e.row for e in errors})
    message = ngettext(
        "Nothing was imported: %(rows)d row has problems. Correct them and upload the file again.",
        "Nothing was imported: %(rows)d rows have problems. Correct them and upload the file again.",
        rows,
    ) % {"rows": rows}
    return JobFailed(message, errors)


def merge_row_errors(first: list[Any], then: list[Any], columns: Iterable[Any]) -> list[Any]:
    """Combine two passes' row errors in row and column order; a cell reported by the first
    pass (a label that could not be resolved) hides the second pass's follow-on message."""
    seen = {(e.row, e.column) for e in first}
    merged = first + [e for e in then if (e.row, e.column) not in seen]
    order = {str(label): i for i, label in enumerate(columns)}
    return sorted(merged, key=lambda e: (e.row, order.get(str(e.column), 99)))


def _report_entry(error: Any) -> dict[str, Any]:
    if isinstance(error, dict):
        return {
            "row": error.get("row"),
            "column": str(error.get("column", "")),
            "message": str(error.get("message", "")),
        }
    return {"row": getattr(error, "row", None), "column": str(error.column), "message": str(error.message)}


@dataclass(frozen=True)
class JobKind:
    kind: str
    label: Any  # a lazy translation
    handler: Handler


_KINDS: dict[str, JobKind] = {}


def register(kind: str, *, label: Any) -> Callable[[Handler], Handler]:
    """Register ``handler`` for jobs of ``kind``; ``label`` names the job on its page."""

    def decorator(handler: Handler) -> Handler:
        _KINDS[kind] = JobKind(kind, label, handler)
        return handler

    return decorator


def get_kind(kind: str) -> JobKind:
    """Return the registration of ``kind``; raise LookupError for an unknown kind."""
    try:
        return _KINDS[kind]
    except KeyError as exc:
        raise LookupError(f"No job handler registered for {kind!r}") from exc


def kind_label(kind: str) -> str:
    registration = _KINDS.get(kind)
    return str(registration.label) if registration else kind
