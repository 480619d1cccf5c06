from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.scale import DEFAULT_SIZES, SeedTaken, seed_scale


class Command(BaseCommand):
    help = (
        "Fill the database with province-scale, valid, clearly fictional data fast (bulk inserts): "
        "enterprises, users, applications in every state, hazards, accidents, certificates and audit events "
        "on an intact hash chain. Works on top of existing data; each --seed may be used once."
    )

    def add_arguments(self, parser):
        sizes = (
            ("--enterprises", "enterprises", "Number of enterprises"),
            ("--applications", "applications", "Number of grading applications"),
            ("--hazards", "hazards", "Number of hazards"),
            ("--accidents", "accidents", "Number of accidents"),
            ("--audit-events", "audit_events", "Number of audit events"),
            ("--users", "users", "Number of users (at least the 15 regulators of the run)"),
        )
        for flag, key, text in sizes:
            parser.add_argument(
                flag, type=int, default=DEFAULT_SIZES[key], help=f"{text} (default {DEFAULT_SIZES[key]})."
            )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Rows per insert batch (default 5000)."
        )

    def handle(self, *args, **options):
        def progress(phase: str, rows: int, seconds: float) -> None:
            rate = rows / seconds if seconds > 0 else 0
            self.stdout.write(f"  {phase:<14} {rows:>10,} rows  {seconds:8.1f} s  {rate:>10,.0f} rows/s")

        try:
            report = seed_scale(
                enterprises=options["enterprises"],
                applications=options["applications"],
                hazards=options["hazards"],
                accidents=options["accidents"],
                audit_events=options["audit_events"],
                users=options["users"],
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=progress,
            )
        except (SeedTaken, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        created = ", ".join(f"{name} {count:,}" for name, count in report.counts.items())
        total = sum(report.timings.values())
        self.stdout.write(self.style.SUCCESS(_("Scale data created: %(created)s.") % {"created": created}))
        self.stdout.write(_("Total time: %(seconds).1f s.") % {"seconds": total})
