"""E11 from the hazard ledger: "hazards screened; no open major hazard" (domain.md §4).

Registered with ``grading.eligibility.register_check`` from ``RectificationConfig.ready``, it
replaces the county's manual confirmation: an open 重大 hazard in the enterprise's ledger fails
the condition and names it; none passes.
"""

from datetime import date

from django.utils.translation import gettext as _

from grading import domain
from grading.models import GradingApplication
from rectification.domain import OPEN_STATES
from rectification.models import Hazard


def major_hazards_check(application: GradingApplication, on: date) -> domain.Check:
    open_major = Hazard.objects.filter(
        enterprise_id=application.enterprise_id, level=Hazard.Level.MAJOR, status__in=OPEN_STATES
    ).order_by("deadline")
    count = open_major.count()
    label = _("Hazards screened; no open major hazard")
    if count:
        first = open_major.first()
        return domain.Check(
            "E11",
            label,
            domain.FAIL,
            _("%(n)s major hazards are open in the ledger, the first due %(date)s: %(text)s")
            % {"n": count, "date": first.deadline.isoformat(), "text": first.description[:60]},
        )
    return domain.Check("E11", label, domain.PASS, _("No open major hazard in the ledger."))
