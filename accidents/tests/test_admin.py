"""The admin shows accidents read-only: writes go through the audited services."""


def test_accidents_are_read_only_in_the_admin(login, personas, zhanqian_accident):
    client = login(personas.admin)
    assert client.get("/admin/accidents/accident/").status_code == 200
    assert client.get("/admin/accidents/accident/add/").status_code == 403
    response = client.get(f"/admin/accidents/accident/{zhanqian_accident.pk}/change/")
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert client.post(f"/admin/accidents/accident/{zhanqian_accident.pk}/delete/").status_code == 403
