import pytest
from django.urls import reverse

from audit.models import AuditEvent
from standards.models import ScoringStandard
from standards.tests.factories import published_warehousing
from standards.tests.pages import MANAGERS, battery


def _url(standard) -> str:
    return reverse("standards:retire", args=[standard.pk])


@pytest.mark.parametrize(("persona", "status"), battery(302, allowed=MANAGERS))
def test_retire_access(login, personas, persona, status):
    standard = published_warehousing(personas.city_officer)
    response = login(personas[persona]).post(_url(standard))
    assert response.status_code == status
    standard.refresh_from_db()
    retired = status == 302 and persona != "anonymous"
    assert (standard.status == ScoringStandard.Status.RETIRED) == retired


def test_get_is_not_allowed(login, personas):
    standard = published_warehousing(personas.city_officer)
    assert login(personas.city_officer).get(_url(standard)).status_code == 405


def test_retiring_twice_makes_one_transition(login, personas):
    standard = published_warehousing(personas.city_officer)
    client = login(personas.city_officer)
    client.post(_url(standard))
    response = client.post(_url(standard), follow=True)
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert AuditEvent.objects.filter(action="standard.retire", target_id=str(standard.pk)).count() == 1


def test_a_retired_standard_takes_no_new_sheets(login, personas):
    standard = published_warehousing(personas.city_officer)
    login(personas.city_officer).post(_url(standard))
    response = login(personas.enterprise_user).get(reverse("standards:sheet_create"))
    assert standard not in response.context["form"].fields["standard"].queryset
