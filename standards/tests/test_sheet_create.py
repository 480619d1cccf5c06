import pytest
from django.urls import reverse

from standards.models import ScoreSheet
from standards.tests.factories import published_warehousing
from standards.tests.pages import PERSONAS, draft_standard

URL = reverse("standards:sheet_create")


@pytest.mark.parametrize(
    ("persona", "status"),
    [(p, 302 if p == "anonymous" else 403 if p == "bureau_leader" else 200) for p in PERSONAS],
)
def test_create_page_access(login, personas, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


@pytest.mark.parametrize("persona", ["enterprise_user", "expert", "county_officer", "city_officer"])
def test_creating_a_trial_sheet(login, personas, persona):
    standard = published_warehousing(personas.city_officer)
    response = login(personas[persona]).post(URL, {"standard": standard.pk, "title": "一号库房试评"})
    sheet = ScoreSheet.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:sheet_detail", args=[sheet.pk])
    assert (sheet.kind, sheet.status, sheet.title) == (
        ScoreSheet.Kind.PREVIEW,
        ScoreSheet.Status.DRAFT,
        "一号库房试评",
    )
    assert sheet.created_by == personas[persona] and sheet.standard == standard


def test_the_read_only_leader_cannot_create(login, personas):
    standard = published_warehousing(personas.city_officer)
    assert login(personas.bureau_leader).post(URL, {"standard": standard.pk}).status_code == 403
    assert not ScoreSheet.objects.exists()


def test_only_published_standards_are_offered(login, personas):
    standard = published_warehousing(personas.city_officer)
    draft = draft_standard(personas.city_officer)
    client = login(personas.city_officer)
    assert list(client.get(URL).context["form"].fields["standard"].queryset) == [standard]
    response = client.post(URL, {"standard": draft.pk})
    assert response.status_code == 200 and response.context["form"].errors["standard"]
    assert not ScoreSheet.objects.exists()


def test_the_standard_can_be_preselected(login, personas):
    standard = published_warehousing(personas.city_officer)
    response = login(personas.expert).get(URL, {"standard": standard.pk})
    assert f'<option value="{standard.pk}" selected>' in response.content.decode()
