"""Uploading an Excel file runs an all-or-nothing expert import as a background job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from experts.exports import EXAMPLE_ID_NUMBER, EXAMPLE_NAME, IMPORT_COLUMNS, column_labels
from experts.models import Expert, Skill, Specialty
from experts.tests.conftest import TARGET_ID, open_xlsx
from experts.tests.factories import make_id_number
from jobs.models import Job
from lib.xlsx import build_workbook, workbook_bytes

URL = reverse("experts:import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _english():
    """Upload as an English-speaking user, so messages can be asserted on their msgids."""
    with translation.override("en"):
        yield


def zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def row(n: int, **overrides) -> dict:
    data = {
        "name": f"导入专家{n}",
        "gender": "男",
        "id_number": make_id_number(700 + n, birth="19770101"),
        "phone": "13600000000",
        "employer": "营口示例技术服务有限公司",
        "employer_uscc": "",
        "title": "高级工程师",
        "registered_safety_engineer_number": "",
        "years_of_experience": "10",
        "specialties": zh(Specialty.SAFETY_MANAGEMENT.label),
        "industries": "machinery",
        "skills": "",
        "region": "站前区",
        "can_lead": "否",
        "term_until": "",
    }
    data.update(overrides)
    return data


def upload(rows: list[dict], name: str = "专家导入.xlsx"):
    labels = column_labels()
    keys = [c.key for c in IMPORT_COLUMNS]
    workbook = build_workbook([labels[k] for k in keys], [[r.get(k, "") for k in keys] for r in rows])
    return SimpleUploadedFile(name, workbook_bytes(workbook), content_type=XLSX)


def run(client, file, capture) -> Job:
    with capture(execute=True):
        response = client.post(URL, {"file": file}, headers={"Accept-Language": "en"})
    assert response.status_code == 302, response.content.decode()[:500]
    job = Job.objects.latest("pk")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    return job


def test_valid_file_imports_every_row(login, personas, django_capture_on_commit_callbacks):
    rows = [
        row(
            1,
            specialties=f"{zh(Specialty.PROCESS_TECHNOLOGY.label)}、{zh(Specialty.FIRE.label)}",
            skills=f"{zh(Skill.DUST_EXPLOSION.label)}、Confined spaces",
            industries="冶金",
            registered_safety_engineer_number="ZAQ2019210001",
            can_lead="是",
            term_until="2028-12-31",
        ),
        row(2, gender="female", can_lead="No", region=""),
        {**row(3), "name": EXAMPLE_NAME, "id_number": EXAMPLE_ID_NUMBER},  # the example row: skipped
    ]
    job = run(login(personas.city_officer), upload(rows), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.SUCCEEDED, (job.result, job.error_report)
    assert job.result["count"] == 2
    assert (job.progress_done, job.progress_total) == (2, 2)
    first = Expert.objects.get(name="导入专家1")
    assert first.specialties == ["process_technology", "fire"]
    assert first.skills == ["dust_explosion", "confined_space"]
    assert first.industries == ["metallurgy"]
    assert first.registered_safety_engineer and first.can_lead
    assert first.term_until.isoformat() == "2028-12-31"
    assert first.region.name == "站前区"
    second = Expert.objects.get(name="导入专家2")
    assert (second.gender, second.can_lead, second.region) == ("female", False, None)
    assert AuditEvent.objects.filter(action="expert.create", data__import="专家导入.xlsx").count() == 2
    assert AuditEvent.objects.get(action="expert.import").data["count"] == 2
    assert not any(make_id_number(701, birth="19770101") in str(e.data) for e in AuditEvent.objects.all())


def test_problems_are_reported_per_row_and_nothing_is_imported(
    login, personas, target, django_capture_on_commit_callbacks
):
    good = make_id_number(702, birth="19770101")
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        row(1),  # spreadsheet row 2: fine
        row(2, id_number=bad_check),  # row 3: bad check digit
        row(3, specialties="占星术"),  # row 4: unknown specialty label
        row(4, id_number=make_id_number(701, birth="19770101")),  # row 5: the same ID as row 2
        row(5, id_number=TARGET_ID),  # row 6: already in the pool
        row(6, region="沈阳市", can_lead="也许", term_until="明年"),  # row 7: three cells
    ]
    job = run(login(personas.city_officer), upload(rows), django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert Expert.objects.count() == 1  # only the fixture's
    labels = column_labels()
    report = [(e["row"], e["column"]) for e in job.error_report]
    assert report == [
        (3, labels["id_number"]),
        (4, labels["specialties"]),
        (5, labels["id_number"]),
        (6, labels["id_number"]),
        (7, labels["region"]),
        (7, labels["can_lead"]),
        (7, labels["term_until"]),
    ]
    messages = {(e["row"]): e["message"] for e in job.error_report}
    assert "check digit" in messages[3]
    assert "占星术" in messages[4]
    assert "row 2" in messages[5]
    assert "already in the pool" in messages[6]
    assert "5 rows" in job.result["message"]


def test_missing_columns_and_non_xlsx_fail_the_job(login, personas, django_capture_on_commit_callbacks):
    client = login(personas.city_officer)
    workbook = build_workbook(["姓名"], [["某人"]])
    job = run(
        client,
        SimpleUploadedFile("x.xlsx", workbook_bytes(workbook), content_type=XLSX),
        django_capture_on_commit_callbacks,
    )
    assert job.status == Job.Status.FAILED
    assert "missing" in job.result["message"]
    response = client.post(URL, {"file": SimpleUploadedFile("x.xls", b"old")})
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_bureau_leader_cannot_upload(login, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(personas.bureau_leader).post(URL, {"file": upload([row(1)])})
    assert response.status_code == 403
    assert not Job.objects.exists() and not Expert.objects.exists()


def test_template_has_the_columns_an_example_and_valid_values(login, personas):
    response = login(personas.city_officer).get(reverse("experts:import_template"))
    assert response.status_code == 200
    workbook = open_xlsx(response.content)
    data = workbook.worksheets[0]
    assert [c.value for c in data[1]] == list(column_labels().values())
    assert data["C2"].value == EXAMPLE_ID_NUMBER
    values = workbook.worksheets[1]
    column = [c.value for c in values["B"]][1:]
    assert "站前区" in column and "鲅鱼圈区" in column
    specialties = [c.value for c in values["D"] if c.value]
    assert str(Specialty.SAFETY_MANAGEMENT.label) in specialties


def test_the_template_downloaded_reads_back(login, personas, django_capture_on_commit_callbacks):
    """Fill the downloaded template's example row with a real person: it imports."""
    client = login(personas.city_officer)
    workbook = open_xlsx(client.get(reverse("experts:import_template")).content)
    sheet = workbook.worksheets[0]
    sheet["A3"], sheet["B3"], sheet["C3"] = "模板专家", sheet["B2"].value, make_id_number(720)
    sheet["I3"], sheet["J3"], sheet["N3"] = 8, sheet["J2"].value, sheet["N2"].value
    file = SimpleUploadedFile("模板.xlsx", workbook_bytes(workbook), content_type=XLSX)
    job = run(client, file, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.SUCCEEDED, job.error_report
    assert Expert.objects.get().specialties == ["safety_management", "equipment_facilities"]
