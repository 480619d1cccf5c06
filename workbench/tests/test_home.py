import pytest

from accounts.tests.battery import everyone
from enterprises.tests.factories import EnterpriseFactory
from lib.workbench import Todo

URL = "/"


@pytest.mark.parametrize(("persona", "status"), everyone())
def test_workbench_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


@pytest.mark.parametrize(
    ("persona", "scope"),
    [
        ("admin", "营口市"),
        ("city_officer", "营口市"),
        ("bureau_leader", "营口市"),
        ("county_officer", "站前区"),
        ("other_county_officer", "鲅鱼圈区"),
        ("enterprise_user", "营口站前测试机械有限公司"),
    ],
)
def test_the_welcome_panel_names_the_user_and_scope(client, personas, login, persona, scope):
    user = personas[persona]
    response = login(user).get(URL)
    assert response.context["scope"].count(scope) == 1
    content = response.content.decode()
    assert user.full_name in content
    assert str(user.organisation) in content


def test_todos_are_grouped_with_counts_links_and_colours(client, personas, login, monkeypatch):
    todos = [
        Todo(title="逾期隐患", url="/x/", count=3, urgency=2, category="隐患"),
        Todo(title="待审申请", url="/y/", count=2, urgency=0, category="申请"),
        Todo(title="即将到期", url="/z/", count=1, urgency=1, category="隐患"),
    ]
    monkeypatch.setattr("workbench.views.todos_for", lambda user: todos)
    response = login(personas.city_officer).get(URL)
    groups = response.context["groups"]
    assert [(g.category, g.count, g.colour) for g in groups] == [
        ("隐患", 4, "danger"),
        ("申请", 2, "primary"),
    ]
    assert response.context["total"] == 6
    content = response.content.decode()
    assert 'href="/x/"' in content and 'href="/y/"' in content
    assert "text-bg-danger" in content and "text-bg-warning" in content


def test_nothing_to_do(client, personas, login):
    response = login(personas.expert).get(URL)
    assert response.context["groups"] == []
    assert response.context["total"] == 0


@pytest.mark.parametrize("rows", [2, 20])
def test_query_count_does_not_grow_with_enterprises(
    client, personas, login, django_assert_max_num_queries, rows
):
    EnterpriseFactory.create_batch(rows, principal_phone="")
    client = login(personas.county_officer)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
