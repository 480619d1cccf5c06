from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from standards.formats import StandardFormatError, parse_standard, read_folder, read_xlsx_tables
from standards.services import standard_import


class Command(BaseCommand):
    help = (
        "Import a scoring standard from a folder (elements.csv + items.csv) or an .xlsx as the next version."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--code", required=True, help="Standard code, e.g. CCWL")
        parser.add_argument(
            "--name", required=True, help="Standard name, e.g. 仓储物流企业安全生产标准化评定标准"
        )
        parser.add_argument("--industries", default="", help="Comma-separated industry codes")
        parser.add_argument("--source-note", default="")
        parser.add_argument("--publish", action="store_true")
        parser.add_argument("--actor", default="", help="Username recorded in the audit log (a system admin)")

    def handle(self, *args, path, code, name, industries, source_note, publish, actor, **options):
        try:
            tables = read_xlsx_tables(path) if path.lower().endswith(".xlsx") else read_folder(path)
            parsed = parse_standard(*tables)
        except StandardFormatError as exc:
            for e in exc.errors:
                self.stderr.write(
                    _("%(file)s row %(row)d, column %(column)s: %(message)s")
                    % {"file": e.file, "row": e.row, "column": e.column, "message": e.message}
                )
            raise CommandError(_("%(n)d errors; nothing was imported.") % {"n": len(exc.errors)}) from exc
        user = (
            User.objects.get(username=actor)
            if actor
            else User.objects.filter(role=Role.SYSTEM_ADMIN, is_active=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError(_("A system administrator account is needed for the audit log (--actor)."))
        with transaction.atomic():
            standard = standard_import(
                actor=user,
                parsed=parsed,
                code=code,
                name=name,
                industries=[i for i in industries.split(",") if i],
                source_note=source_note,
                publish=publish,
            )
        total = sum(i.points for i in parsed.items)
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported %(standard)s: %(elements)d elements, %(items)d items, %(total)s points.")
                % {
                    "standard": standard,
                    "elements": len(parsed.elements),
                    "items": len(parsed.items),
                    "total": total,
                }
            )
        )
