"""Request-scoped memoisation: repeated reads within a GET are made once; a write empties it."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from lib.memo import RequestMemoMiddleware, memo_active, memo_scope, request_memo
from regulation.models import RegulationParameter
from regulation.selectors import param_int, parameter

calls: list[tuple] = []


@request_memo
def double(value):
    calls.append((value,))
    return value * 2


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()


def test_outside_a_scope_every_call_runs():
    assert double(2) == 4
    assert double(2) == 4
    assert len(calls) == 2
    assert not memo_active()


def test_inside_a_scope_equal_arguments_run_once():
    with memo_scope():
        assert memo_active()
        assert [double(2), double(2), double(3)] == [4, 4, 6]
    assert calls == [(2,), (3,)]
    double(2)  # the scope is gone
    assert len(calls) == 3


def test_unhashable_arguments_are_not_memoised():
    with memo_scope():
        assert double([1]) == [1, 1]
        assert double([1]) == [1, 1]
    assert len(calls) == 2


@pytest.mark.django_db
def test_parameters_are_read_in_one_query_per_request():
    with memo_scope(), CaptureQueriesContext(connection) as ctx:
        first = [param_int("publicity_min"), param_int("eligibility_window"), param_int("publicity_min")]
    assert len(ctx.captured_queries) == 1
    assert first == [param_int("publicity_min"), param_int("eligibility_window"), param_int("publicity_min")]


@pytest.mark.django_db
def test_a_write_empties_the_scope():
    with memo_scope():
        before = param_int("publicity_min")
        row = parameter("publicity_min")
        RegulationParameter.objects.filter(pk=row.pk).update(value=str(before + 7))
        assert param_int("publicity_min") == before + 7


@pytest.mark.parametrize(("method", "scoped"), [("get", True), ("head", True), ("post", False)])
def test_the_middleware_opens_a_scope_for_reads_only(method, scoped):
    seen = []
    middleware = RequestMemoMiddleware(lambda request: seen.append(memo_active()) or HttpResponse())
    middleware(getattr(RequestFactory(), method)("/"))
    assert seen == [scoped]
    assert not memo_active()
