"""Request-scoped memoisation: what one page reads many times is read once per request.

A case page asks for the same regulation parameter, the same score sheet and the same
eligibility checklist from a dozen places (its own panels and those plugged in by later
stages). ``@request_memo`` makes the second and later calls with the same arguments
return the first call's result — but only inside a ``memo_scope()``, which
``RequestMemoMiddleware`` opens around each request. Outside a scope (services, tasks,
management commands, most tests) the function runs every time, as if undecorated.

Reads never go stale within a request: every INSERT, UPDATE or DELETE sent through the
default connection while a scope is open empties the scope (a database execute wrapper
watches the statements), so a view that writes and then reads sees what it wrote. The
middleware opens scopes for GET and HEAD only.

Arguments must be hashable; a call with an unhashable argument (a list, a queryset of
entries) is not memoised. Model instances hash by primary key, so two instances of the
same row share an entry. Memoised results are shared between callers: treat them as
read-only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connection
from django.http import HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., Any])

_store: ContextVar[dict | None] = ContextVar("anbiao_request_memo", default=None)

_WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "COPY", "ROLLBACK")


def _invalidate_on_write(execute, sql, params, many, context):
    store = _store.get()
    if store and sql.lstrip()[:8].upper().startswith(_WRITES):
        store.clear()
    return execute(sql, params, many, context)


@contextmanager
def memo_scope() -> Iterator[dict]:
    """Memoise ``@request_memo`` functions until the block ends; any write empties it."""
    store: dict = {}
    token = _store.set(store)
    try:
        with connection.execute_wrapper(_invalidate_on_write):
            yield store
    finally:
        _store.reset(token)


def memo_active() -> bool:
    """Whether a memo scope is open (a read may then fetch more at once, to be reused)."""
    return _store.get() is not None


def request_memo(func: F) -> F:
    """Decorate a read: inside a memo scope, equal arguments return the cached result."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        store = _store.get()
        if store is None:
            return func(*args, **kwargs)
        try:
            key = (func, args, frozenset(kwargs.items()) if kwargs else None)
            return store[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable argument: not memoised
            return func(*args, **kwargs)
        value = func(*args, **kwargs)
        store[key] = value
        return value

    wrapper.uncached = func  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


class RequestMemoMiddleware:
    """Open a memo scope around every GET and HEAD request.

    Requests that change things (POST and the rest) run without one: a write rolled back
    by ``transaction.atomic`` on the outermost level does not pass through the execute
    wrapper, and a page re-rendered after a failed write must not show what was undone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with memo_scope():
            return self.get_response(request)
