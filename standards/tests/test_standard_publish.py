import pytest
from django.urls import reverse

from audit.models import AuditEvent
from standards.models import ScoringStandard
from standards.tests.factories import published_warehousing
from standards.tests.pages import MANAGERS, battery, draft_standard


def _url(standard) -> str:
    return reverse("standards:publish", args=[standard.pk])


# Non-managers do not see drafts at all, so a draft's publish verb is a 404 for them.
@pytest.mark.parametrize(("persona", "status"), battery(302, allowed=MANAGERS, outsider=404))
def test_publish_access(login, personas, persona, status):
    draft = draft_standard(personas.city_officer)
    response = login(personas[persona]).post(_url(draft))
    assert response.status_code == status
    draft.refresh_from_db()
    published = status == 302 and persona != "anonymous"
    assert (draft.status == ScoringStandard.Status.PUBLISHED) == published
    if published:
        assert response["Location"] == reverse("standards:detail", args=[draft.pk])


@pytest.mark.parametrize("persona", ["bureau_leader", "county_officer", "enterprise_user", "expert"])
def test_non_managers_cannot_publish_what_they_can_see(login, personas, persona):
    standard = published_warehousing(personas.city_officer)
    assert login(personas[persona]).post(_url(standard)).status_code == 403


def test_get_is_not_allowed(login, personas):
    draft = draft_standard(personas.city_officer)
    assert login(personas.city_officer).get(_url(draft)).status_code == 405
    draft.refresh_from_db()
    assert draft.status == ScoringStandard.Status.DRAFT


def test_publishing_twice_makes_one_transition(login, personas):
    draft = draft_standard(personas.city_officer)
    client = login(personas.city_chief)
    client.post(_url(draft))
    client.post(_url(draft))
    draft.refresh_from_db()
    assert draft.status == ScoringStandard.Status.PUBLISHED and draft.published_at is not None
    assert AuditEvent.objects.filter(action="standard.publish", target_id=str(draft.pk)).count() == 1


def test_a_retired_standard_is_not_published_again(login, personas):
    standard = published_warehousing(personas.city_officer)
    client = login(personas.city_officer)
    client.post(reverse("standards:retire", args=[standard.pk]))
    response = client.post(_url(standard), follow=True)
    standard.refresh_from_db()
    assert standard.status == ScoringStandard.Status.RETIRED
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"


def test_htmx_gets_hx_redirect(login, personas):
    draft = draft_standard(personas.city_officer)
    response = login(personas.city_officer).post(_url(draft), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("standards:detail", args=[draft.pk])
