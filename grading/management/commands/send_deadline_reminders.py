from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from grading.reminders import deadline_reminders_send


class Command(BaseCommand):
    help = (
        "Remind the responsible people of application deadlines (80 %, due, overdue; publicity minimum run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="on", help="Act as if today were this day (YYYY-MM-DD, Beijing).")
        parser.add_argument("--dry-run", action="store_true", help="Only list the reminders due.")

    def handle(self, *args, on: str | None = None, dry_run: bool = False, **options):
        today = _parse(on)
        with translation.override(settings.LANGUAGE_CODE):  # messages in the site's language
            run = deadline_reminders_send(today, dry_run=dry_run)
            message = (
                _("Would send %(n)d deadline reminders.") if dry_run else _("Sent %(n)d deadline reminders.")
            )
            self.stdout.write(message % {"n": run.sent})
            for reminder in run.reminders if dry_run else ():
                self.stdout.write(f"  {reminder.application.number} {reminder.level}")
            if run.calendar_missing:
                self.stdout.write(
                    self.style.WARNING(
                        _(
                            "The working-day calendar does not reach the deadline of %(numbers)s; no reminder was "
                            "sent for them. Record next year's holidays on the regulation pages."
                        )
                        % {"numbers": "、".join(run.calendar_missing)}
                    )
                )
            if run.nobody_to_tell:
                self.stdout.write(
                    self.style.WARNING(
                        _("Nobody is responsible for %(numbers)s; no reminder was sent for them.")
                        % {"numbers": "、".join(run.nobody_to_tell)}
                    )
                )


def _parse(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("Give the date as YYYY-MM-DD.")) from exc
