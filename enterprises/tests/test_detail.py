import pytest
from django.urls import reverse

from audit.models import AuditEvent
from enterprises.services import enterprise_update
from enterprises.tests.conftest import zh


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("city_officer", 200),
        ("city_chief", 200),
        ("bureau_leader", 200),
        ("county_officer", 200),
        ("county_chief", 200),
        ("other_county_officer", 404),  # must not learn it exists
        ("enterprise_user", 404),  # another enterprise
        ("expert", 404),
        ("anonymous", 302),  # to login
    ],
)
def test_detail_access(login, personas, zhanqian_enterprise, persona, status):
    response = login(personas[persona]).get(reverse("enterprises:detail", args=[zhanqian_enterprise.pk]))
    assert response.status_code == status


def test_enterprise_user_sees_his_own_enterprise(login, personas):
    response = login(personas.enterprise_user).get(
        reverse("enterprises:detail", args=[personas.enterprise.pk])
    )
    assert response.status_code == 200
    assert 'data-testid="enterprise-edit"' not in response.content.decode()


def test_other_county_officer_gets_404_for_a_bayuquan_enterprise(login, personas, bayuquan_enterprise):
    response = login(personas.county_officer).get(
        reverse("enterprises:detail", args=[bayuquan_enterprise.pk])
    )
    assert response.status_code == 404


def test_unknown_enterprise_is_404(login, personas):
    assert login(personas.city_officer).get(reverse("enterprises:detail", args=[999999])).status_code == 404


def test_detail_shows_fields_tags_and_edit_link_for_editors(login, personas, zhanqian_enterprise):
    zhanqian_enterprise.risk_tags.set([])
    html = (
        login(personas.county_officer)
        .get(reverse("enterprises:detail", args=[zhanqian_enterprise.pk]))
        .content.decode()
    )
    assert zhanqian_enterprise.uscc in html
    assert "站前区" in html
    assert "营钢" in html
    assert reverse("enterprises:edit", args=[zhanqian_enterprise.pk]) in html


def test_read_only_leader_sees_no_edit_link(login, personas, zhanqian_enterprise):
    html = (
        login(personas.bureau_leader)
        .get(reverse("enterprises:detail", args=[zhanqian_enterprise.pk]))
        .content.decode()
    )
    assert reverse("enterprises:edit", args=[zhanqian_enterprise.pk]) not in html


def test_county_officer_sees_the_history_although_he_cannot_read_the_audit_log(
    login, personas, zhanqian_enterprise
):
    enterprise_update(
        actor=personas.city_officer, enterprise=zhanqian_enterprise, data={"address": "营口市站前区新址9号"}
    )
    assert AuditEvent.objects.filter(
        action="enterprise.update", target_id=str(zhanqian_enterprise.pk)
    ).exists()
    response = login(personas.county_officer).get(
        reverse("enterprises:detail", args=[zhanqian_enterprise.pk])
    )
    history = response.context["history"]
    assert len(history) == 1
    assert history[0].changes == [(zh("address"), "—", "营口市站前区新址9号")]
    assert "营口市站前区新址9号" in response.content.decode()


def test_history_shows_only_this_enterprise(login, personas, zhanqian_enterprise, bayuquan_enterprise):
    enterprise_update(
        actor=personas.city_officer, enterprise=bayuquan_enterprise, data={"address": "鲅鱼圈某路"}
    )
    response = login(personas.city_officer).get(reverse("enterprises:detail", args=[zhanqian_enterprise.pk]))
    assert response.context["history"] == []
