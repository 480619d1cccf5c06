"""Uploading an Excel file runs an all-or-nothing import as a background job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from enterprises.exports import EXAMPLE_NAME, EXAMPLE_USCC, column_labels
from enterprises.models import Enterprise
from enterprises.tests.conftest import import_row, open_xlsx, xlsx_upload
from enterprises.tests.factories import make_uscc
from jobs.models import Job

URL = reverse("enterprises:import")


@pytest.fixture(autouse=True)
def _english():
    """Upload as an English-speaking user, so messages can be asserted on their msgids."""
    with translation.override("en"):
        yield


def _import(client, upload, django_capture_on_commit_callbacks, language="en") -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"file": upload}, headers={"Accept-Language": language})
    assert response.status_code == 302, response.content.decode()[:500]
    job = Job.objects.latest("pk")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    return job


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 403),
        ("city_officer", 200),
        ("city_chief", 200),
        ("bureau_leader", 403),  # read-only
        ("county_officer", 200),
        ("county_chief", 200),
        ("other_county_officer", 200),
        ("enterprise_user", 403),
        ("expert", 403),
        ("anonymous", 302),  # to login
    ],
)
def test_import_page_access(login, personas, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_bureau_leader_cannot_upload(login, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(personas.bureau_leader).post(URL, {"file": xlsx_upload([import_row(1)])})
    assert response.status_code == 403
    assert not Job.objects.exists()
    assert not Enterprise.objects.exists()


def test_valid_file_imports_every_row(login, personas, django_capture_on_commit_callbacks):
    with translation.override("zh-hans"):
        above_in_chinese = str(Enterprise.Scale.ABOVE.label)
    rows = [
        import_row(1, risk_tags="粉尘涉爆、有限空间作业", scale=above_in_chinese),
        import_row(2, scale="Above designated size", status="Production suspended"),
        import_row(3, risk_tags="dust_explosion,ammonia_refrigeration"),
    ]
    job = _import(login(personas.county_officer), xlsx_upload(rows), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.result
    assert job.result["count"] == 3
    assert job.error_report == []
    assert (job.progress_done, job.progress_total) == (3, 3)
    first = Enterprise.objects.get(uscc=make_uscc(901))
    assert sorted(t.code for t in first.risk_tags.all()) == ["confined_space", "dust_explosion"]
    assert first.region.name == "站前区"
    assert first.scale == "above"
    assert first.industry == "machinery"
    second = Enterprise.objects.get(uscc=make_uscc(902))
    assert (second.scale, second.status) == ("above", "suspended")
    # Each new enterprise has its own history entry, and the file one summary event.
    assert AuditEvent.objects.filter(action="enterprise.create", data__import="企业导入.xlsx").count() == 3
    assert AuditEvent.objects.get(action="enterprise.import").data["count"] == 3


def test_one_bad_uscc_in_row_3_imports_nothing(login, personas, django_capture_on_commit_callbacks):
    bad = make_uscc(902)[:-1] + ("0" if make_uscc(902)[-1] != "0" else "1")
    rows = [import_row(1), import_row(2, uscc=bad), import_row(3)]  # spreadsheet rows 2, 3, 4
    job = _import(login(personas.county_officer), xlsx_upload(rows), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not Enterprise.objects.exists()
    assert len(job.error_report) == 1
    error = job.error_report[0]
    assert error["row"] == 3
    assert error["column"] == column_labels()["uscc"]
    assert "check digit" in error["message"]
    assert "1" in job.result["message"]


def test_duplicate_uscc_within_the_file_names_both_rows(login, personas, django_capture_on_commit_callbacks):
    rows = [import_row(1), import_row(2), import_row(3, uscc=make_uscc(901).lower())]
    job = _import(login(personas.county_officer), xlsx_upload(rows), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not Enterprise.objects.exists()
    assert [(e["row"], e["column"]) for e in job.error_report] == [(4, column_labels()["uscc"])]
    assert "row 2" in job.error_report[0]["message"]


def test_uscc_already_registered_is_reported(
    login, personas, zhanqian_enterprise, django_capture_on_commit_callbacks
):
    rows = [import_row(1, uscc=zhanqian_enterprise.uscc)]
    job = _import(login(personas.county_officer), xlsx_upload(rows), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "already registered" in job.error_report[0]["message"]


def test_unknown_names_are_row_errors(login, personas, django_capture_on_commit_callbacks):
    rows = [
        import_row(1, region="鲅鱼圈区"),  # exists, but not his division
        import_row(2, risk_tags="粉尘涉爆、高温熔融"),
        import_row(3, region="火星区"),
        import_row(4, town="不存在街道"),
    ]
    job = _import(login(personas.county_officer), xlsx_upload(rows), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    labels = column_labels()
    assert job.status == Job.Status.FAILED
    assert not Enterprise.objects.exists()
    report = [(e["row"], e["column"]) for e in job.error_report]
    assert report == [
        (2, labels["region"]),
        (3, labels["risk_tags"]),
        (4, labels["region"]),
        (5, labels["town"]),
    ]
    messages = {e["row"]: e["message"] for e in job.error_report}
    assert "鲅鱼圈区" in messages[2]
    assert "高温熔融" in messages[3]
    assert "火星区" in messages[4]
    assert "不存在街道" in messages[5]


def test_several_problems_are_all_reported_sorted_by_row(login, personas, django_capture_on_commit_callbacks):
    rows = [import_row(1, name="", gb4754_code="0610"), import_row(2), import_row(3, principal_phone="电话")]
    job = _import(login(personas.county_officer), xlsx_upload(rows), django_capture_on_commit_callbacks)
    job.refresh_from_db()
    labels = column_labels()
    report = [(e["row"], e["column"]) for e in job.error_report]
    assert report == [(2, labels["name"]), (2, labels["gb4754_code"]), (4, labels["principal_phone"])]


def test_bad_header_is_a_clear_error(login, personas, django_capture_on_commit_callbacks):
    labels = column_labels()
    headers = [labels[k] for k in labels if k != "uscc"] + ["信用代码"]
    job = _import(
        login(personas.county_officer),
        xlsx_upload([import_row(1)], headers=headers),
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert labels["uscc"] in job.result["message"]
    assert "missing" in job.result["message"]
    assert job.error_report == []
    assert not Enterprise.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused_by_the_job(login, personas, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("企业.xlsx", "统一社会信用代码,企业名称\n".encode())
    job = _import(login(personas.county_officer), upload, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert ".xlsx" in job.result["message"]


def test_the_form_refuses_other_extensions(login, personas):
    upload = SimpleUploadedFile("企业.xls", b"old excel")
    response = login(personas.county_officer).post(URL, {"file": upload})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Job.objects.exists()


def test_the_template_example_row_is_skipped(login, personas, django_capture_on_commit_callbacks):
    example = import_row(0, uscc=EXAMPLE_USCC, name=EXAMPLE_NAME)
    job = _import(
        login(personas.county_officer),
        xlsx_upload([example, import_row(1)]),
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert list(Enterprise.objects.values_list("uscc", flat=True)) == [make_uscc(901)]


def test_job_page_shows_the_problems_and_the_error_report_downloads(
    login, personas, django_capture_on_commit_callbacks
):
    client = login(personas.county_officer)
    job = _import(client, xlsx_upload([import_row(1, gb4754_code="abc")]), django_capture_on_commit_callbacks)
    label = column_labels()["gb4754_code"]
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "every 1s" not in html
    assert f"<td>2</td><td>{label}</td>" in html
    report = client.get(reverse("jobs:error_report", args=[job.pk]))
    rows = list(open_xlsx(report.content).active.iter_rows(values_only=True))
    assert rows[1][:2] == (2, label)


def test_messages_are_in_the_uploaders_language(login, personas, django_capture_on_commit_callbacks):
    client = login(personas.county_officer)
    job = _import(
        client, xlsx_upload([import_row(1, name="")]), django_capture_on_commit_callbacks, "zh-hans"
    )
    job.refresh_from_db()
    assert job.language == "zh-hans"
    with translation.override("zh-hans"):
        assert job.error_report[0]["column"] == column_labels()["name"]
        assert job.error_report[0]["message"] == translation.gettext("Enter the enterprise's name.")


def test_town_is_resolved_within_the_division(login, personas, django_capture_on_commit_callbacks):
    from accounts.models import Region
    from accounts.tests.factories import region

    town = Region.objects.create(
        code="210802001", name="跃进街道", level=Region.Level.TOWN, parent=region("站前区")
    )
    job = _import(
        login(personas.county_officer),
        xlsx_upload([import_row(1, town="跃进街道")]),
        django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_report
    assert Enterprise.objects.get().town == town
