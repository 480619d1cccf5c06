"""E12's second half from the certificates (domain.md §4): "no valid same-level grade outside the
renewal window". Registered with ``grading.eligibility.register_check`` from ``ResultsConfig.ready``.

It adds a line only when it fails (grading's own E12 line says whether another application is
open): an enterprise whose certificate of the grade applied for is valid and not yet in its
renewal window may not apply again; inside the window it files a renewal.
"""

from datetime import date

from django.utils.translation import gettext as _

from grading import domain as grading_domain
from grading.models import GradingApplication
from regulation.selectors import param_int
from results import domain
from results.models import Certificate


def valid_grade_check(application: GradingApplication, on: date) -> grading_domain.Check | None:
    window = param_int("renewal_window", on)
    certificates = Certificate.objects.filter(
        enterprise_id=application.enterprise_id,
        status=Certificate.Status.ACTIVE,
        grade_level=application.grade_level,
        expires_on__gte=on,
    ).exclude(application_id=application.pk)
    for certificate in certificates.order_by("expires_on"):
        opens = domain.renewal_window_opens(certificate.expires_on, window)
        if on < opens:
            return grading_domain.Check(
                "E12",
                _("No valid grade of the same level outside the renewal window"),
                grading_domain.FAIL,
                _("Certificate %(number)s is valid until %(until)s; a renewal can be filed from %(opens)s.")
                % {
                    "number": certificate.number,
                    "until": certificate.expires_on.isoformat(),
                    "opens": opens.isoformat(),
                },
            )
    return None
