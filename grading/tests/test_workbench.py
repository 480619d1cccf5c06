"""The grading to-dos on the workbench: the enterprise's next step, each regulator's queue."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from enterprises.tests.factories import EnterpriseFactory
from grading import services
from grading.models import CorrectionItem, Status
from grading.tests.factories import advance, confirm_all, make_application
from lib.dates import add_working_days
from lib.workbench import todos_for
from regulation.selectors import work_calendar

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)
LIST = "/applications/"


def beijing(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))


def wd(start: date, n: int) -> date:
    return add_working_days(start, n, work_calendar())


def grading_todos(user):
    categories = {gettext("Grading applications"), gettext("Your application")}
    return [t for t in todos_for(user) if t.category in categories]


def detail(application) -> str:
    return reverse("grading:detail", args=[application.pk])


class Firm:
    """The personas, with another enterprise of 站前区 (and its own users) in place of theirs."""

    def __init__(self, personas, name: str) -> None:
        self._personas = personas
        self.enterprise = EnterpriseFactory(name=name, with_organisation=True)
        org = self.enterprise.organisation
        self.enterprise_user = UserFactory(role=Role.ENTERPRISE_USER, organisation=org)
        self.enterprise_principal = UserFactory(role=Role.ENTERPRISE_PRINCIPAL, organisation=org)

    def __getattr__(self, name: str):
        return getattr(self._personas, name)

    def __getitem__(self, name: str):
        return getattr(self, name)


def at(day: date):
    return time_machine.travel(beijing(day), tick=False)


# --- Enterprise users ----------------------------------------------------------------------


def test_a_draft_asks_for_the_self_assessment_and_publicity(personas):
    application = make_application(personas)
    for persona in ("enterprise_user", "enterprise_principal"):
        [todo] = grading_todos(personas[persona])
        assert todo.title == gettext("Complete the self-assessment and start the internal publicity")
        assert todo.url == detail(application)
        assert application.number in todo.detail
    assert grading_todos(personas.other_enterprise_user) == []


def test_during_publicity_the_enterprise_sees_when_it_may_submit(personas):
    with at(START):
        application = advance(
            make_application(personas), personas, Status.INTERNAL_PUBLICITY, publicity_start=START
        )
    earliest = wd(START, 10)
    with at(START + timedelta(days=1)):
        [todo] = grading_todos(personas.enterprise_principal)
    assert todo.title == gettext("Internal publicity until %(date)s") % {"date": earliest.isoformat()}
    assert todo.due == earliest
    with at(earliest):
        [todo] = grading_todos(personas.enterprise_principal)
    assert todo.title == gettext("The internal publicity has run its minimum: submit the application")
    assert todo.url == detail(application)


def test_a_returned_application_counts_the_unanswered_items(personas):
    application = advance(make_application(personas), personas, Status.COUNTY_RETURNED)
    [todo] = grading_todos(personas.enterprise_user)
    assert todo.title == gettext("Correct the application as the notice asks and resubmit it")
    assert todo.count == 1
    assert todo.detail == ngettext(
        "%(n)d item of the correction notice is unanswered.",
        "%(n)d items of the correction notice are unanswered.",
        1,
    ) % {"n": 1}
    item = CorrectionItem.objects.get(request__application=application)
    services.correction_answer(actor=personas.enterprise_user, item=item, answer="已重新上传清晰扫描件")
    [todo] = grading_todos(personas.enterprise_user)
    assert todo.detail == gettext("Every item is answered; resubmit the application.")


def test_the_enterprise_has_nothing_to_do_while_the_county_reviews(personas):
    advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    assert grading_todos(personas.enterprise_user) == []


# --- County ------------------------------------------------------------------------------


def test_the_county_officer_sees_his_divisions_queue_only(personas):
    with at(START):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
        [todo] = grading_todos(personas.county_officer)
        assert todo.title == gettext("Applications awaiting preliminary review")
        assert (todo.count, todo.url, todo.due, todo.urgency) == (1, detail(application), wd(START, 10), 0)
        assert grading_todos(personas.other_county_officer) == []
        assert grading_todos(personas.county_chief) == []  # no opinion to approve yet
        assert grading_todos(personas.city_officer) == []
        assert grading_todos(personas.city_chief) == []


def test_several_cases_link_to_the_filtered_list(personas):
    with at(START):
        advance(make_application(personas), personas, Status.COUNTY_REVIEW)
        firm = Firm(personas, "营口站前第二测试商贸有限公司")
        advance(make_application(firm), firm, Status.COUNTY_REVIEW)
        [todo] = grading_todos(personas.county_officer)
    assert todo.count == 2
    assert todo.url == f"{reverse('grading:list')}?status=county_review"
    assert grading_todos(personas.other_county_officer) == []


def test_urgency_follows_the_deadline(personas):
    with at(START):
        advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    with at(wd(START, 7)):
        assert grading_todos(personas.county_officer)[0].urgency == 0
    with at(wd(START, 8)):  # 80 % of 10 working days
        assert grading_todos(personas.county_officer)[0].urgency == 1
    with at(wd(START, 11)):
        [todo] = grading_todos(personas.county_officer)
    assert todo.urgency == 2
    assert todo.detail == ngettext("%(n)d is overdue.", "%(n)d are overdue.", 1) % {"n": 1}


def test_the_county_chief_sees_opinions_awaiting_approval(personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    services.county_opinion_save(
        actor=personas.county_officer,
        application=application,
        data={
            "basic_info_check": "属实",
            "licence_check": "齐全",
            "score_check": "无误",
            "conclusion": "forward",
            "condition_checks": confirm_all(),
        },
    )
    services.county_opinion_submit(
        actor=personas.county_officer, opinion=services.current_county_opinion(application)
    )
    [todo] = grading_todos(personas.county_chief)
    assert todo.title == gettext("Preliminary review opinions awaiting your approval")
    assert (todo.count, todo.url) == (1, detail(application))
    assert grading_todos(personas.county_officer)[0].count == 1  # still in preliminary review


# --- City --------------------------------------------------------------------------------


def test_the_city_sees_re_reviews_and_the_chief_the_proposals(personas):
    application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    [todo] = grading_todos(personas.city_officer)
    assert todo.title == gettext("Applications awaiting re-review")
    assert (todo.count, todo.url) == (1, detail(application))
    assert grading_todos(personas.city_chief) == []
    assert grading_todos(personas.county_officer) == []
    assert grading_todos(personas.bureau_leader) == []
    services.city_decision_save(
        actor=personas.city_officer,
        application=application,
        data={"package_check": "材料齐全", "proposal": "accept", "condition_checks": confirm_all()},
    )
    services.city_decision_submit(
        actor=personas.city_officer, decision=services.current_city_decision(application)
    )
    [todo] = grading_todos(personas.city_chief)
    assert todo.title == gettext("Re-review proposals awaiting your approval")
    assert (todo.count, todo.url) == (1, detail(application))


def test_the_counts_take_a_few_queries_whatever_the_number_of_cases(personas, django_assert_max_num_queries):
    with at(START):
        advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    officer = personas.county_officer
    from grading.workbench import applications_awaiting_preliminary_review

    with at(wd(START, 1)):
        # The officer's region (scope), the cases, then the alert fraction and the calendar.
        with django_assert_max_num_queries(4):
            applications_awaiting_preliminary_review(officer)
        firm = Firm(personas, "营口站前第三测试商贸有限公司")
    with at(START):
        advance(make_application(firm), firm, Status.COUNTY_REVIEW)
    with at(wd(START, 1)), django_assert_max_num_queries(4):
        [todo] = applications_awaiting_preliminary_review(officer)
    assert todo.count == 2


def test_the_workbench_page_shows_the_queue(login, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    page = login(personas.county_officer).get("/").content.decode()
    assert gettext("Applications awaiting preliminary review") in page
    assert detail(application) in page
