"""Hourly: close ended publicity windows, flag certificates for revocation, send certificate reminders."""

from django.core.management.base import BaseCommand

from results.services import publicity_windows_close, revocation_scan, send_certificate_reminders


class Command(BaseCommand):
    help = (
        "Move applications with open objections to the objection check when their publicity has ended, "
        "flag valid certificates whose records meet a revocation ground, and send expiry and yearly "
        "self-assessment reminders. Idempotent."
    )

    def handle(self, *args, **options):
        moved = publicity_windows_close()
        flagged = revocation_scan()
        sent = send_certificate_reminders()
        self.stdout.write(
            f"objection checks opened: {moved}; certificates flagged: {len(flagged)}; reminders: {sent}"
        )
