"""The on-site review card and its posts, over the personas."""

import pytest
from django.urls import reverse

from grading.models import Status
from reviews.models import Attendance, SiteReview, SupervisionNote
from reviews.tests.test_site_review import _leader

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("city_officer", 302),
        ("county_officer", 403),
        ("enterprise_principal", 403),
        ("other_county_officer", 404),
        ("other_enterprise_user", 404),
        ("expert", 404),
    ],
)
def test_the_city_schedules_from_the_case_page(personas, scheduled, login, persona, status):
    application = scheduled[0]
    client = login(getattr(personas, persona))
    data = {
        "place": "会议室",
        "starts_at": ["08:30", ""],
        "ends_at": ["09:00", ""],
        "activity": ["首次会议", ""],
        "element": ["", ""],
        "expert_names": ["", ""],
    }
    response = client.post(reverse("reviews:review_schedule", args=[application.pk]), data)
    if status == 302:  # the service refuses with PermissionDenied for the others
        assert response.status_code == 302
        review = SiteReview.objects.get(application=application)
        assert review.plan_rows.count() == 1
        page = client.get(reverse("grading:detail", args=[application.pk]))
        assert b'data-testid="plan-row"' in page.content
    else:
        assert response.status_code == status
        assert not SiteReview.objects.exists()


def test_the_leader_opens_and_regulators_sign_and_note(personas, scheduled, login):
    application, panel, _experts = scheduled
    login(personas.city_officer).post(
        reverse("reviews:review_schedule", args=[application.pk]), {"place": "会议室"}
    )
    leader = login(_leader(panel))
    page = leader.get(reverse("grading:detail", args=[application.pk]))
    assert b'data-testid="review-open"' in page.content
    leader.post(reverse("reviews:review_open", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.ON_SITE_REVIEW
    leader.post(
        reverse("reviews:attendance_add", args=[application.pk]),
        {"meeting": "opening", "name": "张三", "role": "enterprise"},
    )
    county = login(personas.county_officer)
    county.post(
        reverse("reviews:attendance_add", args=[application.pk]), {"meeting": "opening", "myself": "1"}
    )
    assert Attendance.objects.count() == 2
    county.post(
        reverse("reviews:supervision_add", args=[application.pk]),
        {"punctuality": "5", "thoroughness": "4", "impartiality": "5"},
    )
    assert SupervisionNote.objects.count() == 1
    city_page = login(personas.city_chief).get(reverse("grading:detail", args=[application.pk]))
    assert b'data-testid="supervision-note"' in city_page.content
    assert city_page.content.count(b'data-testid="attendance-row"') == 2
    for user in (_leader(panel), personas.enterprise_principal):
        page = login(user).get(reverse("grading:detail", args=[application.pk]))
        assert b'data-testid="site-review-card"' in page.content
        assert b'data-testid="supervision-note"' not in page.content
