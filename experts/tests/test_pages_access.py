"""Permission batteries for every page of the pool (conventions §8).

City roles and admins see the pool, the section (officer, chief) and admins manage it, the
bureau leader only reads (403 on writes), an expert sees only his own profile (404 on
anyone else's), county and enterprise users get 404, anonymous users go to the login page.
"""

import pytest
from django.urls import reverse

from accounts.tests.battery import assert_redirects_to_login
from experts.models import ExpertRelation, ExpertUnavailability
from experts.services import expert_certificate_add, expert_relation_add, expert_unavailability_add

PERSONAS = (
    "admin",
    "city_officer",
    "city_chief",
    "bureau_leader",
    "county_officer",
    "other_county_officer",
    "enterprise_user",
    "expert",
    "anonymous",
)


def statuses(**overrides: int) -> list[tuple[str, int]]:
    """Return (persona, status): pool viewers 200, outsiders 404, anonymous 302, then overrides."""
    base = {p: 404 for p in PERSONAS}
    base.update(admin=200, city_officer=200, city_chief=200, bureau_leader=200, anonymous=302)
    base.update(overrides)
    return list(base.items())


MANAGE = statuses(bureau_leader=403)
RATE = statuses(admin=403, city_chief=403, bureau_leader=403)


def _get(login, personas, persona: str, url: str):
    response = login(personas[persona]).get(url)
    if persona == "anonymous":
        assert_redirects_to_login(response)
    return response


@pytest.mark.parametrize(("persona", "status"), statuses(expert=302))
def test_list_access(login, personas, target, persona, status):
    response = _get(login, personas, persona, reverse("experts:list"))
    assert response.status_code == status
    if persona == "expert":
        assert response.url == reverse("experts:me")


@pytest.mark.parametrize(("persona", "status"), statuses())
@pytest.mark.parametrize("name", ["experts:export", "experts:change_requests"])
def test_pool_wide_pages_access(login, personas, target, name, persona, status):
    assert _get(login, personas, persona, reverse(name)).status_code == status


@pytest.mark.parametrize(("persona", "status"), MANAGE)
@pytest.mark.parametrize("name", ["experts:create", "experts:import", "experts:import_template"])
def test_manager_pages_access(login, personas, name, persona, status):
    assert _get(login, personas, persona, reverse(name)).status_code == status


@pytest.mark.parametrize(("persona", "status"), statuses())
def test_detail_access(login, personas, target, persona, status):
    assert _get(login, personas, persona, reverse("experts:detail", args=[target.pk])).status_code == status


@pytest.mark.parametrize(("persona", "status"), MANAGE)
@pytest.mark.parametrize(
    "name",
    [
        "experts:edit",
        "experts:status",
        "experts:relation_add",
        "experts:unavailability_add",
        "experts:certificate_add",
    ],
)
def test_expert_form_pages_access(login, personas, target, name, persona, status):
    assert _get(login, personas, persona, reverse(name, args=[target.pk])).status_code == status


@pytest.mark.parametrize(("persona", "status"), RATE)
def test_rate_page_access(login, personas, target, persona, status):
    assert _get(login, personas, persona, reverse("experts:rate", args=[target.pk])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"), [(p, 200 if p == "expert" else 302 if p == "anonymous" else 404) for p in PERSONAS]
)
def test_my_profile_access(login, personas, own, persona, status):
    assert _get(login, personas, persona, reverse("experts:me")).status_code == status


def test_an_expert_without_a_profile_gets_404_on_my_profile(login, personas):
    assert login(personas.expert).get(reverse("experts:me")).status_code == 404


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("experts:detail", 200),
        ("experts:relation_add", 200),
        ("experts:unavailability_add", 200),
        ("experts:certificate_add", 200),
        ("experts:edit", 403),
        ("experts:status", 403),
        ("experts:rate", 404),  # other experts' pages stay hidden; his own is not his to rate
    ],
)
def test_expert_on_his_own_pages(login, personas, own, name, status):
    expected = 403 if status == 404 else status  # he sees himself, so a refusal is 403
    assert login(personas.expert).get(reverse(name, args=[own.pk])).status_code == expected


def test_expert_gets_404_on_every_page_of_another_expert(login, personas, own, target):
    client = login(personas.expert)
    for name in ("detail", "edit", "status", "rate", "relation_add", "unavailability_add", "certificate_add"):
        assert client.get(reverse(f"experts:{name}", args=[target.pk])).status_code == 404, name


# --- POST-only verbs -------------------------------------------------------------


@pytest.fixture
def items(personas, target):
    """A relation, an unavailable period and a certificate of the target expert."""
    from datetime import timedelta

    from django.utils import timezone

    officer = personas.city_officer
    today = timezone.localdate()
    return {
        "relation": expert_relation_add(
            actor=officer, expert=target, kind="consulting", enterprise_name="某公司"
        ),
        "unavailability": expert_unavailability_add(
            actor=officer, expert=target, start=today, end=today + timedelta(days=3)
        ),
        "certificate": expert_certificate_add(actor=officer, expert=target, name="培训证书"),
    }


VERBS = ["relation_remove", "unavailability_remove", "certificate_remove"]


@pytest.mark.parametrize("verb", VERBS)
def test_verbs_refuse_get(login, personas, items, target, verb):
    item = items[verb.split("_")[0]]
    url = reverse(f"experts:{verb}", args=[target.pk, item.pk])
    assert login(personas.city_officer).get(url).status_code == 405


@pytest.mark.parametrize(
    ("persona", "status"),
    statuses(**{p: 302 for p in ("admin", "city_officer", "city_chief")}, bureau_leader=403),
)
@pytest.mark.parametrize("verb", VERBS)
def test_verbs_access(login, personas, items, target, verb, persona, status):
    item = items[verb.split("_")[0]]
    url = reverse(f"experts:{verb}", args=[target.pk, item.pk])
    response = login(personas[persona]).post(url)
    assert response.status_code == status
    gone = {
        "relation_remove": lambda: not ExpertRelation.objects.filter(pk=item.pk).exists(),
        "unavailability_remove": lambda: not ExpertUnavailability.objects.filter(pk=item.pk).exists(),
        "certificate_remove": lambda: type(item).objects.get(pk=item.pk).state == "removed",
    }[verb]()
    assert gone == (status == 302 and persona != "anonymous")


@pytest.mark.parametrize(
    ("persona", "status"),
    statuses(admin=403, city_officer=302, city_chief=302, bureau_leader=403),
)
def test_change_request_decide_access(login, personas, own, persona, status):
    from experts.services import expert_self_update

    request = expert_self_update(
        actor=personas.expert, expert=own, data={"title": "正高级工程师"}
    ).change_request
    url = reverse("experts:change_request_decide", args=[own.pk, request.pk])
    if persona == "expert":
        status = 403  # he sees his own profile but may not decide
    response = login(personas[persona]).post(url, {"decision": "approve"})
    assert response.status_code == status
    request.refresh_from_db()
    assert (request.status == "approved") == (status == 302 and persona != "anonymous")


def test_change_request_decide_refuses_get(login, personas, own):
    assert (
        login(personas.city_officer)
        .get(reverse("experts:change_request_decide", args=[own.pk, 1]))
        .status_code
        == 405
    )


@pytest.mark.parametrize(("persona", "status"), statuses())
def test_certificate_file_access(login, personas, target, persona, status):
    from experts.tests.conftest import pdf_upload

    certificate = expert_certificate_add(
        actor=personas.city_officer, expert=target, name="注册证", file=pdf_upload()
    )
    url = reverse("experts:certificate_file", args=[target.pk, certificate.pk])
    response = _get(login, personas, persona, url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
