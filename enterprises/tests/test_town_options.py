import pytest
from django.urls import reverse

from accounts.models import Region
from accounts.tests.factories import region

URL = reverse("enterprises:town_options")


@pytest.fixture
def towns(db):
    zhanqian, bayuquan = region("站前区"), region("鲅鱼圈区")
    return [
        Region.objects.create(code="210802001", name="跃进街道", level=Region.Level.TOWN, parent=zhanqian),
        Region.objects.create(code="210804001", name="海东街道", level=Region.Level.TOWN, parent=bayuquan),
    ]


@pytest.mark.parametrize(
    ("persona", "status"), [("county_officer", 200), ("expert", 200), ("anonymous", 302)]
)
def test_town_options_access(login, personas, persona, status):
    assert login(personas[persona]).get(URL, {"region": region("站前区").pk}).status_code == status


def test_towns_of_the_chosen_division(login, personas, towns):
    html = login(personas.county_officer).get(URL, {"region": region("站前区").pk}).content.decode()
    assert "跃进街道" in html and "海东街道" not in html


def test_towns_outside_the_scope_are_not_offered(login, personas, towns):
    html = login(personas.county_officer).get(URL, {"region": region("鲅鱼圈区").pk}).content.decode()
    assert "海东街道" not in html


def test_create_form_accepts_a_town_of_the_division(login, personas, towns):
    from enterprises.tests.test_create import form_data

    client = login(personas.county_officer)
    response = client.post(reverse("enterprises:create"), form_data(town=towns[0].pk))
    assert response.status_code == 302
    response = client.post(reverse("enterprises:create"), form_data(uscc="", name="另一家", town=towns[1].pk))
    assert "town" in response.context["form"].errors
