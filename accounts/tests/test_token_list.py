import pytest

from accounts.services import api_token_create
from accounts.tests.battery import everyone

URL = "/accounts/tokens/"


@pytest.mark.parametrize(("persona", "status"), everyone())
def test_token_list_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_users_see_only_their_own_tokens(client, personas, login):
    officer, expert = personas.county_officer, personas.expert
    api_token_create(actor=officer, user=officer, name="县里的脚本")
    api_token_create(actor=expert, user=expert, name="专家的脚本")
    response = login(officer).get(URL)
    assert [t.name for t in response.context["page_obj"]] == ["县里的脚本"]
    assert "专家的脚本" not in response.content.decode()


def test_admins_see_every_token_with_its_user(client, personas, login):
    officer, expert = personas.county_officer, personas.expert
    api_token_create(actor=officer, user=officer, name="县里的脚本")
    api_token_create(actor=expert, user=expert, name="专家的脚本")
    response = login(personas.admin).get(URL)
    assert {t.name for t in response.context["page_obj"]} == {"县里的脚本", "专家的脚本"}
    content = response.content.decode()
    assert "(county_officer)" in content and "(expert)" in content


def test_the_secret_is_never_listed(client, personas, login):
    officer = personas.county_officer
    _token, secret = api_token_create(actor=officer, user=officer, name="x")
    assert secret not in login(officer).get(URL).content.decode()
