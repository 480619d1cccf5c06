"""A small scheduler for `make demo`: run the periodic management commands on their intervals.

In production cron runs the same commands (they are idempotent and claim rows with
compare-and-set, so an overlap is harmless). The list is settings.PERIODIC_COMMANDS:
(command name, interval in seconds, arguments).
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Run settings.PERIODIC_COMMANDS on their intervals until stopped (for development and the demo)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every command once and exit.")

    def handle(self, *args, once: bool, **options):
        next_run = {name: 0.0 for name, _interval, _args in settings.PERIODIC_COMMANDS}
        while True:
            now = time.monotonic()
            for name, interval, arguments in settings.PERIODIC_COMMANDS:
                if once or now >= next_run[name]:
                    try:
                        call_command(name, *arguments)
                    except Exception as exc:  # keep the scheduler alive; the next round retries
                        self.stderr.write(
                            _("%(command)s failed: %(error)s") % {"command": name, "error": exc}
                        )
                    next_run[name] = now + interval
            if once:
                return
            time.sleep(5)
