"""POST /api/v1/applications/: enterprise users start one for their own enterprise, one open at a time."""

import pytest
from django.utils.translation import gettext

from accounts.tests.api_helpers import assert_error, bearer
from audit.models import AuditEvent
from grading.models import GradingApplication
from grading.tests.api_helpers import BASE, PERSONAS
from grading.tests.factories import commerce_enterprise, make_application
from standards.tests.factories import published_warehousing

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard(personas):
    commerce_enterprise(personas)
    return published_warehousing(personas.admin)


def _post(client, user, body):
    headers = bearer(user) if user is not None else {}
    return client.post(BASE, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_access(client, personas, standard, persona):
    response = _post(client, personas[persona], {"standard": standard.pk})
    if persona in ("enterprise_user", "enterprise_principal"):
        assert response.status_code == 201, response.content
        assert GradingApplication.objects.get().enterprise == personas.enterprise
    elif persona == "anonymous":
        assert_error(response, 401, "unauthenticated")
    elif persona == "other_enterprise_user":
        # His enterprise is not in the standard's industry: refused by the service, by field.
        body = assert_error(response, 422, "invalid")
        assert "standard" in body["details"]
    else:
        assert_error(response, 403, "forbidden")
    if persona not in ("enterprise_user", "enterprise_principal"):
        assert not GradingApplication.objects.exists()


def test_create_returns_the_detail_and_audits(client, personas, standard):
    response = _post(client, personas.enterprise_user, {"standard": standard.pk, "grade_level": 2})
    body = response.json()
    application = GradingApplication.objects.get()
    assert body["id"] == application.pk and body["number"] == application.number
    assert (body["status"], body["grade_level"], body["kind"]) == ("draft", 2, "initial")
    assert body["self_sheet"] == application.self_sheet_id
    assert body["score"] == {"percentage": None, "unscored_items": standard.items.count()}
    assert AuditEvent.objects.filter(action="application.create").count() == 1


def test_one_open_application_per_enterprise(client, personas, standard):
    first = make_application(personas)
    response = _post(client, personas.enterprise_user, {"standard": standard.pk})
    body = assert_error(response, 422, "invalid")
    assert body["details"]["__all__"] == [
        gettext("Application %(number)s is still open; finish or withdraw it first.")
        % {"number": first.number}
    ]
    assert GradingApplication.objects.count() == 1


def test_bad_input_gets_422_by_field(client, personas, standard):
    user = personas.enterprise_user
    assert "standard" in assert_error(_post(client, user, {"standard": 999999}), 422, "invalid")["details"]
    assert (
        "grade_level"
        in assert_error(_post(client, user, {"standard": standard.pk, "grade_level": 4}), 422, "invalid")[
            "details"
        ]
    )
    assert (
        "kind"
        in assert_error(_post(client, user, {"standard": standard.pk, "kind": "forever"}), 422, "invalid")[
            "details"
        ]
    )
    assert "standard" in assert_error(_post(client, user, {}), 422, "invalid")["details"]
    assert not GradingApplication.objects.exists()
