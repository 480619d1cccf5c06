"""Fixtures of the on-site review tests: an application drawn, scheduled, and on site."""

import pytest

from grading.models import Status
from grading.tests.factories import advance, make_application
from reviews.models import Panel
from reviews.services import panel_approve, panel_draw_run, site_review_open
from reviews.tests.test_panel_services import pool, review_day
from reviews.tests.test_site_review import _confirm_all, _leader, _schedule


@pytest.fixture
def drawn(personas):
    application = advance(make_application(personas), personas, Status.ACCEPTED)
    experts = pool()
    panel_draw_run(actor=personas.city_officer, application=application, review_date=review_day(), seed=9)
    return application, Panel.objects.get(application=application), experts


@pytest.fixture
def scheduled(personas, drawn):
    application, panel, experts = drawn
    _confirm_all(panel)
    panel_approve(actor=personas.city_chief, panel=panel)
    application.refresh_from_db()
    return application, panel, experts


@pytest.fixture
def on_site(personas, scheduled):
    application, panel, experts = scheduled
    review = _schedule(personas, application)
    site_review_open(actor=_leader(panel), application=application)
    application.refresh_from_db()
    return application, panel, review
