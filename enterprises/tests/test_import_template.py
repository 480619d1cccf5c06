import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from enterprises.exports import EXAMPLE_USCC, IMPORT_COLUMNS, column_labels
from enterprises.models import Enterprise
from enterprises.tests.conftest import XLSX, import_row, open_xlsx
from enterprises.tests.factories import make_uscc
from jobs.models import Job

URL = reverse("enterprises:import_template")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 403),
        ("city_officer", 200),
        ("city_chief", 200),
        ("bureau_leader", 403),
        ("county_officer", 200),
        ("county_chief", 200),
        ("other_county_officer", 200),
        ("enterprise_user", 403),
        ("expert", 403),
        ("anonymous", 302),  # to login
    ],
)
def test_template_access(login, personas, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_template_has_the_import_columns_an_example_and_valid_values(login, personas):
    response = login(personas.county_officer).get(URL)
    assert response["Content-Type"] == XLSX
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    workbook = open_xlsx(response.content)
    data, values = workbook.worksheets[0], workbook.worksheets[1]
    with translation.override("zh-hans"):
        labels = column_labels()
        scale_labels = [str(label) for label in Enterprise.Scale.labels]
    assert [c.value for c in data[1]] == [labels[c.key] for c in IMPORT_COLUMNS]
    assert data["A2"].value == EXAMPLE_USCC
    assert data.freeze_panes == "A2"
    columns = {col[0].value: [c.value for c in col[1:] if c.value] for col in values.iter_cols()}
    assert list(columns.values())[0] == ["站前区"]  # only the divisions he may register in
    assert "粉尘涉爆" in list(columns.values())[3]
    assert list(columns.values())[1] == scale_labels
    assert "3130" not in list(columns.values())[4] and "31" in list(columns.values())[4]
    assert len(workbook.worksheets) == 3  # data, valid values, instructions


def test_city_officer_template_lists_all_six_divisions(login, personas):
    workbook = open_xlsx(login(personas.city_officer).get(URL).content)
    divisions = [c.value for c in next(workbook.worksheets[1].iter_cols())[1:] if c.value]
    assert divisions == ["站前区", "西市区", "鲅鱼圈区", "老边区", "盖州市", "大石桥市"]


def test_filled_in_template_imports(login, personas, django_capture_on_commit_callbacks):
    client = login(personas.county_officer)
    workbook = open_xlsx(client.get(URL).content)
    sheet = workbook.worksheets[0]
    row = import_row(1, scale=sheet.cell(row=2, column=13).value)  # the example's (Chinese) scale label
    sheet.append([row[c.key] for c in IMPORT_COLUMNS])  # below the example row, which is skipped
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("模板.xlsx", buffer.getvalue(), content_type=XLSX)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:import"), {"file": upload})
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, (job.result, job.error_report)
    assert list(Enterprise.objects.values_list("uscc", flat=True)) == [make_uscc(901)]


def test_untouched_template_imports_nothing(login, personas, django_capture_on_commit_callbacks):
    client = login(personas.county_officer)
    upload = SimpleUploadedFile("模板.xlsx", client.get(URL).content, content_type=XLSX)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("enterprises:import"), {"file": upload})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert not Enterprise.objects.exists()
