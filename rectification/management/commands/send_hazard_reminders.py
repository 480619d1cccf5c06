"""Hourly: hazard reminders before and at the deadline, escalation when overdue, 督办 for 重大."""

from django.core.management.base import BaseCommand

from rectification.reminders import run


class Command(BaseCommand):
    help = (
        "Send the hazard reminders and escalations that are due today; open 督办 for overdue major hazards."
    )

    def handle(self, *args, **options):
        report = run()
        self.stdout.write(
            f"sent {report.sent} notifications, opened {report.escalated} supervision orders"
            + (f"; calendar missing for hazards {report.calendar_missing}" if report.calendar_missing else "")
        )
