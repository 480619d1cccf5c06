from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Walk the audit hash chain and report the first broken link (exit status 1 when broken)."

    def handle(self, *args, **options):
        broken = audit_chain_verify()
        if broken is None:
            count = AuditEvent.objects.count()
            self.stdout.write(
                self.style.SUCCESS(_("Audit chain intact: %(count)d events.") % {"count": count})
            )
            return
        raise CommandError(
            _("Audit chain broken at event #%(seq)d: %(reason)s.")
            % {"seq": broken.seq, "reason": broken.reason_text}
        )
