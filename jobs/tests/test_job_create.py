import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from jobs.models import Job
from jobs.services import job_create
from jobs.tests.conftest import handler_calls


def test_job_is_queued_and_runs_only_after_commit(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_create(actor=personas.city_officer, kind="test_ok", params={"n": 3})
    assert job.status == Job.Status.QUEUED
    assert handler_calls == []  # nothing ran inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the immediate backend runs the task now
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"message": "done", "n": 3}
    assert handler_calls == [job.pk]


def test_input_file_is_stored_under_jobs_with_its_name_in_params(
    personas, settings, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("企业导入.xlsx", b"data")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(actor=personas.city_officer, kind="test_ok", input_file=upload)
    assert job.input_file.name.startswith("jobs/")
    assert job.input_file.name.endswith(".xlsx")
    assert job.params["filename"] == "企业导入.xlsx"
    assert (settings.MEDIA_ROOT / job.input_file.name).read_bytes() == b"data"


def test_creation_is_audited(personas):
    job = job_create(actor=personas.county_officer, kind="test_ok")
    event = AuditEvent.objects.get(action="job.create")
    assert event.target_id == str(job.pk)
    assert event.actor == personas.county_officer


def test_unknown_kind_is_refused(personas):
    with pytest.raises(LookupError):
        job_create(actor=personas.city_officer, kind="no_such_kind")
    assert not Job.objects.exists()
