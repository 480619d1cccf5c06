from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from demo.data import DEMO_PASSWORD
from demo.services import demo_seed
from grading.models import Status
from rectification.selectors import enterprise_flagged
from results.domain import ACTIVE, EXPIRED, EXPIRING, REVOKED, SUPERSEDED
from results.selectors import state_label


class Command(BaseCommand):
    help = (
        "Create clearly fictional demo data (enterprises, towns, experts, accidents, one user per role) and print "
        "the demo logins. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises", type=int, default=200, help="Number of enterprises (default 200)."
        )
        parser.add_argument("--experts", type=int, default=50, help="Number of expert profiles (default 50).")
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless something goes wrong.")

    def handle(self, *args, enterprises: int, experts: int, seed: int, quiet: bool, **options):
        if enterprises < 1 or experts < 0:
            raise CommandError("--enterprises must be at least 1 and --experts at least 0.")
        try:
            report = demo_seed(enterprises=enterprises, experts=experts, seed=seed)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if quiet:
            return
        if report.changed:
            created = ", ".join(f"{name} {count}" for name, count in report.created.items())
            self.stdout.write(self.style.SUCCESS(_("Demo data created: %(created)s.") % {"created": created}))
        else:
            self.stdout.write(_("Demo data already present; nothing changed."))
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD})
        rows = [(u.username, str(u.get_role_display()), str(u.organisation or "")) for u in report.users]
        width = max(len(r[0]) for r in rows)
        for username, role, organisation in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role}  ·  {organisation}")
        if report.leaders:
            self.stdout.write("")
            self.stdout.write(_("Panel leaders of the demo's on-site reviews (they open the scoring page):"))
            width = max(len(user.username) for user, _app, _review in report.leaders)
            for user, application, review in report.leaders:
                state = str(application.get_status_display())
                if application.status == Status.ON_SITE_REVIEW and review.conclusion:
                    state += f" · {review.get_conclusion_display()}"  # finalised: the 科长 decides
                self.stdout.write(
                    f"  {user.username.ljust(width)}  {user.full_name}  ·  {application.number}  "
                    f"{application.enterprise.name}  ·  {state}"
                )
        if report.plans:
            self.stdout.write("")
            self.stdout.write(
                _("Rectification plans (一企一策): the enterprise principal of each (its contact is …_user):")
            )
            rows = [
                (user.username if user else "-", application, plan)
                for user, application, plan in report.plans
            ]
            width = max(len(login) for login, _app, _plan in rows)
            for login, application, plan in rows:
                hazards = plan.hazards.all()
                still_open = _("%(open)s of %(total)s hazards open") % {
                    "open": hazards.exclude(status="closed").count(),
                    "total": hazards.count(),
                }
                state = f"{application.get_status_display()} · {still_open}"
                if enterprise_flagged(plan.enterprise_id):
                    state += " · " + _("under supervision (督办)")
                self.stdout.write(
                    f"  {login.ljust(width)}  {application.number}  {application.enterprise.name}  ·  {state}"
                )
        if report.results is not None:
            self._print_results(report.results)

    def _print_results(self, guide) -> None:
        """Where to look at publicity, announcements, certificates, the portal and the dashboard."""
        self.stdout.write("")
        self.stdout.write(_("Publicity, announcements, certificates and the public portal:"))
        lines = [
            (
                reverse("portal:home"),
                _("the public portal (no login): %(n)s articles, the publicity, the announcements")
                % {"n": guide.articles},
            ),
        ]
        if guide.certificate is not None:
            lines.append(
                (
                    f"{reverse('portal:certificate_search')}?q={guide.certificate.number}",
                    _("certificate lookup: %(number)s of %(enterprise)s, announced today")
                    % {"number": guide.certificate.number, "enterprise": guide.certificate.enterprise_name},
                )
            )
        if guide.on_publicity is not None:
            text = _(
                "%(number)s on publicity until %(date)s (city_officer drafted it, city_chief approved it)"
            ) % {
                "number": guide.on_publicity.number,
                "date": guide.on_publicity.ends_on.isoformat() if guide.on_publicity.ends_on else "-",
            }
            if guide.open_objection is not None:
                text += " · " + _("objection %(receipt)s open: city_officer checks it") % {
                    "receipt": guide.open_objection.receipt_number
                }
            lines.append((reverse("results:batch", args=[guide.on_publicity.pk]), text))
        if guide.announcement is not None:
            lines.append(
                (
                    reverse("results:announcement", args=[guide.announcement.pk]),
                    _("announcement %(number)s with its certificate and PDFs")
                    % {"number": guide.announcement.document_number},
                )
            )
        if guide.flagged is not None:
            lines.append(
                (
                    reverse("results:revocation", args=[guide.flagged.pk]),
                    _(
                        "certificate %(number)s flagged by the system after a fatal accident: city_chief decides"
                    )
                    % {"number": guide.flagged.certificate.number},
                )
            )
        if guide.revocation is not None:
            lines.append(
                (
                    reverse("results:announcement", args=[guide.revocation.pk]),
                    _("revocation announcement %(number)s") % {"number": guide.revocation.document_number},
                )
            )
        if guide.states:
            order = [ACTIVE, EXPIRING, EXPIRED, REVOKED, SUPERSEDED]
            states = ", ".join(
                f"{state_label(state)} {guide.states[state]}" for state in order if state in guide.states
            )
            lines.append(
                (
                    reverse("dashboard:home"),
                    _(
                        "the dashboard (leader, city_officer, city_chief; a county officer sees his division): "
                        "certificates %(states)s"
                    )
                    % {"states": states},
                )
            )
        width = max(len(path) for path, _text in lines)
        for path, text in lines:
            self.stdout.write(f"  {path.ljust(width)}  {text}")
