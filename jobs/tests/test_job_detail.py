import pytest
from django.urls import reverse

from jobs.models import Job


@pytest.fixture
def job(personas):
    return Job.objects.create(
        kind="test_ok",
        created_by=personas.county_officer,
        status=Job.Status.RUNNING,
        progress_done=3,
        progress_total=10,
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 200),  # the creator
        ("county_chief", 404),  # same county, still not his job
        ("other_county_officer", 404),
        ("city_officer", 404),
        ("admin", 404),
        ("expert", 404),
        ("anonymous", 302),  # to login
    ],
)
def test_job_page_access(login, personas, job, persona, status):
    assert login(personas[persona]).get(reverse("jobs:detail", args=[job.pk])).status_code == status


def test_running_job_polls_itself_every_second(login, personas, job):
    html = login(personas.county_officer).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("jobs:detail", args=[job.pk])}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="30"' in html


def test_htmx_poll_gets_only_the_status_fragment(login, personas, job):
    response = login(personas.county_officer).get(
        reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "jobs/_status.html"
    assert html.lstrip().startswith('<div id="job-status"')
    assert "<html" not in html


def test_finished_job_stops_polling_and_shows_the_result(login, personas, job):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, result={"message": "已导入 3 家企业。"})
    html = login(personas.county_officer).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "every 1s" not in html
    assert "已导入 3 家企业。" in html


def test_failed_job_shows_the_error_table(login, personas, job):
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED,
        result={"message": "没有导入任何企业"},
        error_report=[{"row": 3, "column": "统一社会信用代码", "message": "校验位错误"}],
    )
    html = login(personas.county_officer).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "<td>3</td><td>统一社会信用代码</td><td>校验位错误</td>" in html
    assert reverse("jobs:error_report", args=[job.pk]) in html
