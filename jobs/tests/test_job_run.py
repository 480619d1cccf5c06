import pytest

from jobs.models import Job
from jobs.services import JobStateError, job_run, job_transition
from jobs.tasks import run_job
from jobs.tests.conftest import handler_calls


def _job(user, kind="test_ok", **fields) -> Job:
    return Job.objects.create(kind=kind, created_by=user, **fields)


def test_success_records_result_times_and_progress(personas):
    job = job_run(job_id=_job(personas.city_officer).pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert (job.progress_done, job.progress_total) == (2, 2)
    assert job.progress_percent == 100


def test_running_twice_runs_the_handler_once(personas):
    job = _job(personas.city_officer)
    run_job.enqueue(job_id=job.pk)
    result = run_job.enqueue(job_id=job.pk)
    assert handler_calls == [job.pk]
    assert result.return_value == "skipped"
    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED


def test_a_job_claimed_by_another_worker_is_left_alone(personas):
    job = _job(personas.city_officer)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)  # another worker claimed it
    assert job_run(job_id=job.pk) is None
    assert handler_calls == []


def test_missing_job_is_skipped(db):
    assert job_run(job_id=123456) is None


def test_expected_failure_keeps_the_message_and_the_row_report(personas):
    job = job_run(job_id=_job(personas.city_officer, kind="test_fail").pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.result == {"message": "bad file"}
    assert job.error_report == [{"row": 3, "column": "统一社会信用代码", "message": "校验位错误"}]


def test_unexpected_error_fails_the_job_with_a_generic_message(personas, caplog):
    job = job_run(job_id=_job(personas.city_officer, kind="test_crash").pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.result["message"]
    assert "boom" not in job.result["message"]
    assert "boom" in caplog.text


def test_output_file_is_stored(personas, settings):
    job = job_run(job_id=_job(personas.city_officer, params={"output": True}).pk)
    job.refresh_from_db()
    assert job.output_file.name.startswith("jobs/")
    assert job.params["output_filename"] == "结果.txt"
    assert job.output_file.read() == "完成".encode()


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (Job.Status.QUEUED, Job.Status.RUNNING, True),
        (Job.Status.QUEUED, Job.Status.FAILED, True),
        (Job.Status.RUNNING, Job.Status.SUCCEEDED, True),
        (Job.Status.QUEUED, Job.Status.SUCCEEDED, False),
        (Job.Status.SUCCEEDED, Job.Status.RUNNING, False),
        (Job.Status.FAILED, Job.Status.QUEUED, False),
    ],
)
def test_transitions_guard(personas, start, to, allowed):
    job = _job(personas.city_officer, status=start)
    if allowed:
        job_transition(job, to)
        assert Job.objects.get(pk=job.pk).status == to
    else:
        with pytest.raises(JobStateError):
            job_transition(job, to)
        assert Job.objects.get(pk=job.pk).status == start


def test_compare_and_set_refuses_a_stale_copy(personas):
    job = _job(personas.city_officer)
    stale = Job.objects.get(pk=job.pk)
    job_transition(job, Job.Status.RUNNING)
    with pytest.raises(JobStateError):
        job_transition(stale, Job.Status.RUNNING)
