"""Recompute a stored panel draw from its recorded inputs and say whether it matches (纪检)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reviews.models import PanelDraw
from reviews.services import replay_panel_draw


class Command(BaseCommand):
    help = "Recompute panel draw <id> from its stored inputs and seed; exit 1 if the result differs."

    def add_arguments(self, parser):
        parser.add_argument("draw_id", type=int)

    def handle(self, *args, draw_id: int, **options):
        record = PanelDraw.objects.select_related("application").filter(pk=draw_id).first()
        if record is None:
            raise CommandError(_("No panel draw with id %(id)s.") % {"id": draw_id})
        try:
            matches, recomputed = replay_panel_draw(record)
        except ValueError as exc:
            raise CommandError(_("The stored inputs cannot be replayed: %(error)s") % {"error": exc}) from exc
        self.stdout.write(
            _("Draw %(id)s of %(number)s, seed %(seed)s, algorithm %(algorithm)s")
            % {
                "id": record.pk,
                "number": record.application.number,
                "seed": record.seed,
                "algorithm": record.algorithm_version,
            }
        )
        self.stdout.write(_("Stored hash:     %(hash)s") % {"hash": record.result_hash})
        self.stdout.write(_("Recomputed hash: %(hash)s") % {"hash": recomputed})
        if not matches:
            raise CommandError(_("MISMATCH: the stored result is not what its inputs give."))
        self.stdout.write(self.style.SUCCESS(_("Match: the stored result is what its inputs give.")))
