"""The credit blacklist flag (eligibility E7): recorded by regulators on the form and the API, shown, exported."""

from django.urls import reverse
from django.utils.translation import gettext

from accounts.tests.api_helpers import assert_error, bearer
from audit.models import AuditEvent
from enterprises.exports import COLUMNS, IMPORT_COLUMNS
from enterprises.forms import initial_for
from enterprises.tests.conftest import open_xlsx
from enterprises.tests.factories import EnterpriseFactory

NOTE = "2026年2月列入安全生产失信惩戒名单"


def _post_data(enterprise, **overrides) -> dict:
    initial = initial_for(enterprise)
    data = {k: ("" if v is None else v) for k, v in initial.items() if k != "risk_tags"}
    data["risk_tags"] = [t.pk for t in initial["risk_tags"]]
    data.update(overrides)
    return data


def test_the_county_records_the_flag_on_the_form_and_it_is_audited(login, personas, zhanqian_enterprise):
    client = login(personas.county_officer)
    form_page = client.get(reverse("enterprises:edit", args=[zhanqian_enterprise.pk])).content.decode()
    assert 'name="on_credit_blacklist"' in form_page and 'name="credit_blacklist_note"' in form_page
    data = _post_data(zhanqian_enterprise, on_credit_blacklist="on", credit_blacklist_note=NOTE)
    response = client.post(reverse("enterprises:edit", args=[zhanqian_enterprise.pk]), data)
    assert response.status_code == 302
    zhanqian_enterprise.refresh_from_db()
    assert zhanqian_enterprise.on_credit_blacklist
    assert zhanqian_enterprise.credit_blacklist_note == NOTE
    changes = AuditEvent.objects.filter(action="enterprise.update").latest("seq").data["changes"]
    assert changes["on_credit_blacklist"] == [False, True]
    # Unticking keeps the note (it can say when and why the listing ended).
    client.post(
        reverse("enterprises:edit", args=[zhanqian_enterprise.pk]),
        _post_data(zhanqian_enterprise, on_credit_blacklist=""),
    )
    zhanqian_enterprise.refresh_from_db()
    assert not zhanqian_enterprise.on_credit_blacklist and zhanqian_enterprise.credit_blacklist_note == NOTE


def test_a_too_long_note_is_refused(login, personas, zhanqian_enterprise):
    data = _post_data(zhanqian_enterprise, on_credit_blacklist="on", credit_blacklist_note="长" * 201)
    response = login(personas.county_officer).post(
        reverse("enterprises:edit", args=[zhanqian_enterprise.pk]), data
    )
    assert response.status_code == 200
    assert "credit_blacklist_note" in response.context["form"].errors


def test_the_detail_page_shows_a_red_badge_only_when_listed(login, personas, zhanqian_enterprise):
    client = login(personas.county_officer)
    url = reverse("enterprises:detail", args=[zhanqian_enterprise.pk])
    assert 'data-testid="credit-blacklist-badge"' not in client.get(url).content.decode()
    zhanqian_enterprise.on_credit_blacklist = True
    zhanqian_enterprise.credit_blacklist_note = NOTE
    zhanqian_enterprise.save()
    page = client.get(url).content.decode()
    assert 'data-testid="credit-blacklist-badge"' in page
    assert gettext("Credit blacklist") in page
    assert NOTE in page


def test_the_api_reads_and_writes_the_flag(client, personas, zhanqian_enterprise):
    headers = bearer(personas.county_officer)
    url = f"/api/v1/enterprises/{zhanqian_enterprise.pk}"
    assert client.get(url, headers=headers).json()["on_credit_blacklist"] is False
    response = client.patch(
        url,
        {"on_credit_blacklist": True, "credit_blacklist_note": NOTE},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert (response.json()["on_credit_blacklist"], response.json()["credit_blacklist_note"]) == (True, NOTE)
    # Fields left out keep their value; null is refused.
    assert client.patch(
        url, {"name": "营口钢铁集团有限公司"}, content_type="application/json", headers=headers
    ).json()["on_credit_blacklist"]
    refused = client.patch(
        url, {"on_credit_blacklist": None}, content_type="application/json", headers=headers
    )
    assert_error(refused, 422, "invalid")
    too_long = client.patch(
        url, {"credit_blacklist_note": "长" * 201}, content_type="application/json", headers=headers
    )
    assert_error(too_long, 422, "invalid")


def test_an_enterprise_user_cannot_set_the_flag(client, personas):
    enterprise = personas.enterprise
    response = client.patch(
        f"/api/v1/enterprises/{enterprise.pk}",
        {"on_credit_blacklist": False},
        content_type="application/json",
        headers=bearer(personas.enterprise_principal),
    )
    assert_error(response, 403, "forbidden")


def test_the_export_has_the_flag_but_the_import_does_not_ask_for_it(login, personas):
    EnterpriseFactory(name="营口失信测试有限公司", on_credit_blacklist=True, credit_blacklist_note=NOTE)
    rows = list(
        open_xlsx(login(personas.county_officer).get(reverse("enterprises:export")).content).active.values
    )
    row = dict(zip([c.key for c in COLUMNS], rows[1], strict=True))
    assert row["on_credit_blacklist"] == gettext("Listed")
    assert row["credit_blacklist_note"] == NOTE
    assert {"on_credit_blacklist", "credit_blacklist_note"}.isdisjoint(c.key for c in IMPORT_COLUMNS)
