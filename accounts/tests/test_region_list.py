import pytest

from accounts.services import region_save
from accounts.tests.battery import admins_only
from accounts.tests.factories import region

URL = "/accounts/regions/"


@pytest.mark.parametrize(("persona", "status"), admins_only())
def test_region_list_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_the_tree_lists_parents_before_children_with_depth(client, personas, login):
    admin = personas.admin
    region_save(
        actor=admin, region=None, code="210802001", name="建设街道", level="town", parent=region("站前区")
    )
    response = login(admin).get(URL)
    rows = [(row.region.name, row.depth) for row in response.context["rows"]]
    assert rows[:4] == [("辽宁省", 0), ("营口市", 1), ("站前区", 2), ("建设街道", 3)]
    assert [name for name, depth in rows if depth == 2] == [
        "站前区",
        "西市区",
        "鲅鱼圈区",
        "老边区",
        "盖州市",
        "大石桥市",
    ]
    content = response.content.decode()
    assert content.index("建设街道") < content.index("西市区")
    assert "padding-left: 4.5rem" in content  # a town is indented three steps
