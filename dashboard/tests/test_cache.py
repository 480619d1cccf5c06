"""The figures' cache: one computation per scope, filters, day and language and period; the
page shows long tables cut, with the rest in the export."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dashboard import figures as figures_module
from dashboard import selectors
from dashboard.selectors import DashboardFilters

URL = reverse("dashboard:home")
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _queries(func, *args) -> tuple[object, int]:
    """The value and the number of queries that computed figures (not the user's scope lookup)."""
    with CaptureQueriesContext(connection) as ctx:
        value = func(*args)
    return value, sum(1 for q in ctx.captured_queries if "accounts_" not in q["sql"].split("FROM")[1][:40])


def test_a_figure_is_computed_once_per_key(cached, personas, applications):
    first, n_first = _queries(selectors.pass_rate, personas.city_officer, DashboardFilters())
    again, n_again = _queries(selectors.pass_rate, personas.city_officer, DashboardFilters())
    assert n_first > 0
    assert n_again == 0
    assert again == first


def test_officers_of_one_scope_share_an_entry_and_counties_do_not(cached, personas, applications):
    selectors.pass_rate(personas.city_officer, DashboardFilters())
    _, n_chief = _queries(selectors.pass_rate, personas.city_chief, DashboardFilters())
    assert n_chief == 0  # same city, same filters: the city officer's entry
    county, n_county = _queries(selectors.pass_rate, personas.county_officer, DashboardFilters())
    assert n_county > 0
    other, n_other = _queries(selectors.pass_rate, personas.other_county_officer, DashboardFilters())
    assert n_other > 0
    assert (county.announced, county.decided) == (1, 2)  # test_pages: 站前区 1 of 2, 鲅鱼圈区 1 of 1
    assert (other.announced, other.decided) == (1, 1)


def test_filters_day_and_language_are_part_of_the_key(cached, personas, applications):
    user = personas.city_officer
    selectors.applications_by_stage(user, DashboardFilters())
    _, n_year = _queries(selectors.applications_by_stage, user, DashboardFilters(year=2025))
    assert n_year > 0
    selectors.hazards_by_level(user, DashboardFilters(), TODAY)
    _, n_day = _queries(selectors.hazards_by_level, user, DashboardFilters(), TODAY + dt.timedelta(days=1))
    assert n_day > 0
    with translation.override("en"):
        english, n_en = _queries(selectors.applications_by_stage, user, DashboardFilters())
    assert n_en > 0
    assert english != selectors.applications_by_stage(user, DashboardFilters())  # labels differ


def test_turned_off_computes_every_time(settings, personas, applications):
    settings.DASHBOARD_CACHE_SECONDS = 0
    selectors.pass_rate(personas.city_officer, DashboardFilters())
    _, n_again = _queries(selectors.pass_rate, personas.city_officer, DashboardFilters())
    assert n_again > 0


def test_page_is_served_from_the_cache_until_it_expires(cached, login, personas, applications):
    client = login(personas.city_officer)
    first = client.get(URL)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(URL)

    def figures_html(response) -> str:
        html = response.content.decode()
        return html[html.index('<div class="row g-3">') : html.index("</main>")]

    assert figures_html(again) == figures_html(first)
    # Session, user, notifications and the filter form: no figure is recomputed.
    assert not any("grading_gradingapplication" in q["sql"] for q in ctx.captured_queries)
    assert (
        "recomputed at most every 5 minutes" in first.content.decode() or "5 分钟" in first.content.decode()
    )


def test_page_cuts_long_tables_and_says_how_many_rows_are_in_the_export(
    monkeypatch, login, personas, certified
):
    monkeypatch.setattr(figures_module, "PAGE_ROWS", 1)
    response = login(personas.city_officer).get(URL)
    figure = {f.key: f for f in response.context["figures"]}["before_after"]
    per_enterprise = figure.tables[2]
    assert len(per_enterprise.rows) == 1
    assert per_enterprise.total_rows == 4
    assert per_enterprise.rows_not_shown == 3
    assert 'data-testid="rows-not-shown"' in response.content.decode()
    # The export keeps every row.
    full = figures_module.BUILDERS["before_after"](personas.city_officer, DashboardFilters(), TODAY)
    assert len(full.tables[2].rows) == 4
