from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jobs.services import job_reap_stale


class Command(BaseCommand):
    help = "Mark background jobs that have been running too long (their worker died) as failed."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=60, help="Running longer than this is stale.")
        parser.add_argument("--dry-run", action="store_true", help="Only list the stale jobs.")

    def handle(self, *args, minutes: int, dry_run: bool, **options):
        ids = job_reap_stale(older_than_minutes=minutes, dry_run=dry_run)
        message = (
            _("Would mark %(n)d stale jobs as failed: %(ids)s")
            if dry_run
            else _("Marked %(n)d stale jobs as failed: %(ids)s")
        )
        self.stdout.write(message % {"n": len(ids), "ids": ", ".join(map(str, ids)) or "—"})
