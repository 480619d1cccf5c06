import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Job


@pytest.fixture
def failed_job(personas):
    return Job.objects.create(
        kind="test_fail",
        created_by=personas.county_officer,
        status=Job.Status.FAILED,
        error_report=[
            {"row": 3, "column": "统一社会信用代码", "message": "校验位错误"},
            {"row": 5, "column": "企业名称", "message": "=请填写企业名称"},
        ],
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("county_officer", 200), ("county_chief", 404), ("city_officer", 404), ("anonymous", 302)],
)
def test_error_report_access(login, personas, failed_job, persona, status):
    assert (
        login(personas[persona]).get(reverse("jobs:error_report", args=[failed_job.pk])).status_code == status
    )


def test_error_report_lists_row_column_problem(login, personas, failed_job):
    response = login(personas.county_officer).get(reverse("jobs:error_report", args=[failed_job.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1:] == [(3, "统一社会信用代码", "校验位错误"), (5, "企业名称", "=请填写企业名称")]
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_no_report_for_a_job_without_problems(login, personas):
    job = Job.objects.create(kind="test_ok", created_by=personas.county_officer, status=Job.Status.SUCCEEDED)
    assert login(personas.county_officer).get(reverse("jobs:error_report", args=[job.pk])).status_code == 404


def test_output_download_only_for_the_creator(login, personas):
    from jobs.services import job_run

    job = Job.objects.create(kind="test_ok", created_by=personas.county_officer, params={"output": True})
    job_run(job_id=job.pk)
    assert login(personas.county_officer).get(reverse("jobs:output", args=[job.pk])).status_code == 200
    assert login(personas.city_officer).get(reverse("jobs:output", args=[job.pk])).status_code == 404
