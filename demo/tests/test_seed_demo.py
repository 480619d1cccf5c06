from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.utils.translation import gettext
from stdnum.cn import ric, uscc

from accidents.models import Accident
from accidents.selectors import enterprise_accident_totals
from accounts.models import Organisation, Region, User
from accounts.roles import Role
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from demo import data
from demo.services import ACCIDENTS, DEMO_ENTERPRISE_NAME, accident_spec, enterprise_spec, expert_spec
from enterprises.models import Enterprise
from experts.models import CORE_SPECIALTIES, Expert
from grading.models import GradingApplication, Status
from standards.models import Item, ScoringStandard

SMALL = ["--enterprises", "20", "--experts", "5"]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *SMALL, *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "regions": Region.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "risk_links": Enterprise.risk_tags.through.objects.count(),
        "experts": Expert.objects.count(),
        "standard_items": Item.objects.count(),
        "accidents": Accident.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    seed("--quiet")
    first = counts()
    snapshot = list(Enterprise.objects.order_by("uscc").values_list("uscc", "name", "status", "updated_at"))
    output = seed()
    assert counts() == first
    assert (
        list(Enterprise.objects.order_by("uscc").values_list("uscc", "name", "status", "updated_at"))
        == snapshot
    )
    assert gettext("Demo data already present; nothing changed.") in output
    assert first["enterprises"] == 20
    assert first["experts"] == 5
    assert first["standard_items"] == 164
    assert first["accidents"] == ACCIDENTS == 25
    assert ScoringStandard.objects.get(code="CCWL").status == ScoringStandard.Status.PUBLISHED
    # The listed logins, the other county bureaus' staff, and a principal and a clerk for
    # each enterprise with a demo application other than the demo enterprise.
    cases = GradingApplication.objects.exclude(enterprise__name=DEMO_ENTERPRISE_NAME).count()
    assert first["users"] == len(data.DEMO_USERS) + len(data.COUNTY_STAFF) + 2 * cases
    assert audit_chain_verify() is None


@pytest.mark.django_db
def test_more_enterprises_later_adds_only_the_new_ones():
    seed("--quiet")
    before = set(Enterprise.objects.values_list("uscc", flat=True))
    call_command("seed_demo", "--enterprises", "25", "--experts", "5", "--quiet")
    after = set(Enterprise.objects.values_list("uscc", flat=True))
    assert before < after
    assert len(after) == 25
    assert Accident.objects.count() == ACCIDENTS  # the same accidents, none added


@pytest.mark.django_db
def test_each_demo_user_can_log_in(client):
    seed("--quiet")
    for spec in data.DEMO_USERS:
        # django-axes needs the request to count failures.
        assert client.login(request=HttpRequest(), username=spec.username, password=data.DEMO_PASSWORD), spec
        client.logout()
        user = User.objects.get(username=spec.username)
        assert (user.role, user.is_active, user.must_change_password) == (spec.role, True, False)
    assert {spec.role for spec in data.DEMO_USERS} == set(Role.values)


@pytest.mark.django_db
def test_logins_table_is_printed_unless_quiet():
    output = seed()
    assert data.DEMO_PASSWORD in output
    for spec in data.DEMO_USERS:
        assert spec.username in output
    assert seed("--quiet") == ""


@pytest.mark.django_db
def test_data_is_fictional_valid_and_linked():
    seed("--quiet")
    enterprises = list(Enterprise.objects.select_related("region", "town"))
    assert all("示例" in e.name or "演示" in e.name for e in enterprises)
    assert all(uscc.is_valid(e.uscc) for e in enterprises)
    assert all(e.region.level == Region.Level.COUNTY for e in enterprises)
    assert all(e.town is None or e.town.parent_id == e.region_id for e in enterprises)
    assert all(e.name_initials and e.region_path == e.region.path for e in enterprises)

    ent_user = User.objects.get(username="ent_user")
    home = Enterprise.objects.get(organisation=ent_user.organisation)
    assert home.region.name == "站前区"
    assert User.objects.get(username="ent_principal").organisation == ent_user.organisation
    assert User.objects.get(username="zhanqian_officer").organisation.region.name == "站前区"
    assert User.objects.get(username="bayuquan_officer").organisation.region.name == "鲅鱼圈区"

    experts = list(Expert.objects.all())
    assert all(ric.is_valid(x.id_number) for x in experts)
    assert {s for x in experts for s in x.specialties} >= set(CORE_SPECIALTIES)
    assert Expert.objects.get(user__username="expert").name == User.objects.get(username="expert").full_name

    towns = Region.objects.filter(level=Region.Level.TOWN)
    assert {t.parent.name for t in towns} == set(data.TOWNS)


def test_generation_is_deterministic_and_depends_on_the_seed():
    first = [enterprise_spec(2026, i, set(), set()) for i in range(10)]
    assert [enterprise_spec(2026, i, set(), set()) for i in range(10)] == first
    assert [enterprise_spec(7, i, set(), set())["uscc"] for i in range(1, 10)] != [
        e["uscc"] for e in first[1:]
    ]
    assert expert_spec(2026, 3, set()) == expert_spec(2026, 3, set())


def test_two_hundred_enterprises_cover_every_division_and_industry():
    names: set[str] = set()
    usccs: set[str] = set()
    specs = []
    for i in range(200):
        spec = enterprise_spec(2026, i, names, usccs)
        names.add(spec["name"])
        usccs.add(spec["uscc"])
        specs.append(spec)
    assert len(names) == len(usccs) == 200
    assert {s["division"] for s in specs} == set(data.DIVISION_CODES)
    prefixes = {s["gb4754_code"][:2] for s in specs}
    assert {"31", "32", "30", "16", "17", "59"} <= prefixes
    statuses = {s["status"] for s in specs}
    assert statuses == {"normal", "suspended", "deregistered"}
    assert 0.3 < sum(1 for s in specs if s["risk_tags"]) / 200 < 0.9


@pytest.mark.django_db
def test_a_demo_username_with_another_role_is_refused():
    from accounts.tests.factories import UserFactory

    UserFactory(username="leader", role=Role.CITY_OFFICER)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="leader"):
        seed("--quiet")
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_accidents_span_the_years_and_one_death_is_recent_elsewhere():
    from django.utils import timezone

    seed("--quiet")
    accidents = list(Accident.objects.select_related("enterprise"))
    today = timezone.localdate()
    years = {timezone.localtime(a.occurred_at).year for a in accidents}
    assert len(years) >= 3
    assert all(a.occurred_at <= timezone.now() for a in accidents)
    assert sum(1 for a in accidents if a.grade == "ordinary") >= 20  # mostly 一般
    assert 2 <= sum(1 for a in accidents if a.serious_injuries) <= 12
    fatal = [a for a in accidents if a.deaths]
    assert len(fatal) == 1
    home = Enterprise.objects.get(organisation=User.objects.get(username="ent_user").organisation)
    assert fatal[0].enterprise != home
    assert enterprise_accident_totals(fatal[0].enterprise, today, 12).deaths == 1
    assert not home.accidents.exists()  # the demo users' enterprise stays eligible
    assert Accident.objects.filter(reporting_violation="late").count() == 1
    assert Accident.objects.filter(grade="relatively_major").count() == 1


def test_accident_specs_are_deterministic_and_count_back_from_today():
    from datetime import date

    def specs(today):
        taken: set[tuple] = set()
        out = []
        for i in range(ACCIDENTS):
            spec = accident_spec(2026, i, today=today, pool=20, taken=taken)
            taken.add((spec["enterprise_index"], spec["place"], spec["accident_type"]))
            out.append(spec)
        return out

    first = specs(date(2026, 11, 29))
    assert specs(date(2026, 11, 29)) == first
    assert len({(s["enterprise_index"], s["place"], s["accident_type"]) for s in first}) == ACCIDENTS
    assert all(1 <= s["enterprise_index"] < 20 for s in first)
    later = specs(date(2027, 6, 1))
    assert [s["place"] for s in later] == [s["place"] for s in first]  # same accidents, moved dates
    assert (date(2027, 6, 1) - later[0]["occurred_at"].date()).days <= 300


@pytest.mark.django_db
def test_applications_at_every_stage():
    call_command("seed_demo", "--enterprises", "120", "--experts", "5", "--quiet")
    states = set(GradingApplication.objects.values_list("status", flat=True))
    assert {
        Status.DRAFT,
        Status.INTERNAL_PUBLICITY,
        Status.COUNTY_REVIEW,
        Status.COUNTY_RETURNED,
        Status.CITY_REVIEW,
        Status.CITY_RETURNED,
        Status.ACCEPTED,
        Status.NOT_ACCEPTED,
        Status.WITHDRAWN,
    } <= states
    mine = GradingApplication.objects.get(enterprise__name=DEMO_ENTERPRISE_NAME)
    # The demo enterprise's case is ready for its principal to submit.
    assert mine.status == Status.INTERNAL_PUBLICITY
    assert mine.commitment_signed_at is not None
    assert audit_chain_verify() is None
