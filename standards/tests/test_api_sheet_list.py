"""GET /api/v1/sheets/: your own sheets; the city bureau sees all."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer
from standards.services import DeductionIn, EntryIn, sheet_entries_save, sheet_submit
from standards.tests.sheet_examples import new_sheet

URL = "/api/v1/sheets/"


def _titles(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    return {item["title"] for item in response.json()["items"]}


@pytest.fixture
def sheets(personas):
    mine = new_sheet(personas, author="enterprise_user", title="本企业自评")
    theirs = new_sheet(personas, author="other_enterprise_user", title="他企业自评")
    return mine, theirs


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("enterprise_user", {"本企业自评"}),
        ("other_enterprise_user", {"他企业自评"}),
        ("city_officer", {"本企业自评", "他企业自评"}),
        ("bureau_leader", {"本企业自评", "他企业自评"}),
        ("admin", {"本企业自评", "他企业自评"}),
        ("county_officer", set()),
        ("expert", set()),
    ],
)
def test_list_is_scoped(client, personas, sheets, persona, expected):
    response = client.get(URL, headers=bearer(personas[persona]))
    assert _titles(response) == expected
    assert response.json()["count"] == len(expected)


def test_list_anonymous_gets_401(client, sheets):
    assert_error(client.get(URL), 401, "unauthenticated")


def test_items_carry_progress_and_whether_you_may_edit(login, personas, sheets):
    mine, _theirs = sheets
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=mine,
        entries=[EntryIn("1.1.1", deductions=(DeductionIn("1", "目标未分解"),)), EntryIn("1.1.2")],
    )
    items = {i["title"]: i for i in login(personas.city_officer).get(URL).json()["items"]}
    assert items["本企业自评"]["scored_count"] == 2
    assert items["本企业自评"]["can_edit"] is False  # the city reads, it does not score
    assert items["本企业自评"]["created_by"]["id"] == personas.enterprise_user.pk
    own = login(personas.enterprise_user).get(URL).json()["items"][0]
    assert own["can_edit"] is True
    assert "entries" not in own and "result" not in own


def test_filters(login, personas, sheets):
    mine, theirs = sheets
    sheet_submit(actor=personas.other_enterprise_user, sheet=theirs)
    client = login(personas.city_officer)
    assert _titles(client.get(URL, {"status": "submitted"})) == {"他企业自评"}
    assert _titles(client.get(URL, {"kind": "expert"})) == set()
    assert client.get(URL, {"standard": mine.standard_id}).json()["count"] == 2
    assert client.get(URL, {"standard": 98765}).json()["count"] == 0
    page = client.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    assert_error(client.get(URL, {"limit": 0}), 422, "invalid")


def test_list_queries_do_not_grow_with_rows(login, personas, sheets, django_assert_max_num_queries):
    client = login(personas.city_officer)
    with django_assert_max_num_queries(7):
        assert client.get(URL).json()["count"] == 2
    for n in range(18):
        new_sheet(personas, author="enterprise_user" if n % 2 else "other_enterprise_user", title=f"第{n}张")
    with django_assert_max_num_queries(7):
        assert client.get(URL).json()["count"] == 20
