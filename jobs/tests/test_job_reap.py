from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from jobs.models import Job
from jobs.services import job_reap_stale


def _job(user, status, started_minutes_ago):
    return Job.objects.create(
        kind="test_ok",
        created_by=user,
        status=status,
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
    )


def test_only_long_running_jobs_are_failed(personas):
    stale = _job(personas.city_officer, Job.Status.RUNNING, 90)
    fresh = _job(personas.city_officer, Job.Status.RUNNING, 5)
    done = _job(personas.city_officer, Job.Status.SUCCEEDED, 300)
    assert job_reap_stale(older_than_minutes=60) == [stale.pk]
    stale.refresh_from_db(), fresh.refresh_from_db(), done.refresh_from_db()
    assert stale.status == Job.Status.FAILED and stale.result["message"]
    assert fresh.status == Job.Status.RUNNING
    assert done.status == Job.Status.SUCCEEDED
    assert job_reap_stale(older_than_minutes=60) == []  # a second run changes nothing


def test_dry_run_changes_nothing(personas, capsys):
    stale = _job(personas.city_officer, Job.Status.RUNNING, 90)
    call_command("reap_stale_jobs", "--dry-run")
    stale.refresh_from_db()
    assert stale.status == Job.Status.RUNNING
    assert str(stale.pk) in capsys.readouterr().out


def test_the_scheduler_runs_each_periodic_command_once(personas, settings):
    stale = _job(personas.city_officer, Job.Status.RUNNING, 90)
    settings.PERIODIC_COMMANDS = [("reap_stale_jobs", 600, ["--minutes", "60"])]
    call_command("run_scheduler", "--once")
    stale.refresh_from_db()
    assert stale.status == Job.Status.FAILED
