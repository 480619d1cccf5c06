from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from standards.formats import write_standard
from standards.models import Item, ScoringStandard
from standards.selectors import standard_parsed, standard_spec
from standards.services import standard_import, standard_publish
from standards.tests.helpers import DATA, warehousing_parsed


def test_command_imports_164_items_and_1000_points(personas):
    assert personas.admin  # the command records the import against a system admin
    call_command("import_standard", str(DATA), code="CCWL", name="仓储物流", publish=True)
    standard = ScoringStandard.objects.get(code="CCWL")
    assert standard.status == ScoringStandard.Status.PUBLISHED
    assert standard.items.count() == 164
    assert standard_spec(standard).total_points == Decimal("1000")
    assert AuditEvent.objects.filter(action="standard.publish", target_id=str(standard.pk)).exists()
    # Default specialties of the 13-element layout (domain.md §7).
    assert Item.objects.get(standard=standard, code="6.2.29").specialty == "equipment_facilities"
    assert Item.objects.get(standard=standard, code="7.3.1").specialty == "equipment_facilities"
    assert Item.objects.get(standard=standard, code="7.1.1").specialty == "process_technology"
    assert Item.objects.get(standard=standard, code="1.1.1").specialty == "safety_management"


def test_command_refuses_a_bad_folder_and_imports_nothing(personas, tmp_path):
    assert personas.admin
    (tmp_path / "elements.csv").write_text(
        (DATA / "elements.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    items = (DATA / "items.csv").read_text(encoding="utf-8").replace(",2,无该项制度的", ",3,无该项制度的", 1)
    (tmp_path / "items.csv").write_text(items, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_standard", str(tmp_path), code="BAD", name="坏标准")
    assert not ScoringStandard.objects.filter(code="BAD").exists()


def test_database_round_trip_reproduces_the_files(personas):
    standard = standard_import(
        actor=personas.city_officer, parsed=warehousing_parsed(), code="CCWL", name="仓储物流"
    )
    elements_csv, items_csv = write_standard(standard_parsed(standard))
    assert elements_csv == (DATA / "elements.csv").read_text(encoding="utf-8")
    assert items_csv == (DATA / "items.csv").read_text(encoding="utf-8")


def test_a_reimport_is_a_new_version_and_leaves_the_old_one(personas):
    first = standard_import(
        actor=personas.city_officer, parsed=warehousing_parsed(), code="CCWL", name="仓储物流"
    )
    standard_publish(actor=personas.city_officer, standard=first)
    second = standard_import(
        actor=personas.city_officer, parsed=warehousing_parsed(), code="CCWL", name="仓储物流"
    )
    assert (first.version, second.version) == (1, 2)
    assert second.status == ScoringStandard.Status.DRAFT
    first.refresh_from_db()
    assert first.status == ScoringStandard.Status.PUBLISHED
    assert standard_spec(first).key == "CCWL@1"


def test_only_the_city_and_admins_import(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        standard_import(actor=personas.county_officer, parsed=warehousing_parsed(), code="X", name="X")
