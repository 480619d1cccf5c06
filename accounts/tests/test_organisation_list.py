import pytest

from accounts.tests.battery import admins_only

URL = "/accounts/organisations/"


@pytest.mark.parametrize(("persona", "status"), admins_only())
def test_organisation_list_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_lists_the_bureaus_grouped_by_kind(client, personas, login):
    content = login(personas.admin).get(URL).content.decode()
    assert "营口市应急管理局" in content
    assert "站前区应急管理局" in content
    assert (
        content.count('class="table-light"') == 4
    )  # administration, city bureau, county bureaus, expert pool
