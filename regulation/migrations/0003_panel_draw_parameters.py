"""Parameters of the panel draw that issue 5 names and domain.md §6 leaves open.

The reserve list is 2 (the issue's figure; domain.md proposed 3 as a design default, so
the seeded row is corrected in place: nobody has edited it yet on a fresh install, and an
edited row is left alone).
"""

from datetime import date

from django.db import migrations

YEARS, PERSONS, POINTS, FLAG = "years", "persons", "points", "flag"

PARAMETERS = [
    # key, label, value, unit, confidence, source note
    ("coi_previous_review", "回避：参加过该企业上次评审（1=回避，0=不回避）", "1", FLAG, "L", "issue 5; domain.md §6"),
    ("coi_same_division", "回避：工作单位与企业同在一个区县（1=回避，0=不回避）", "0", FLAG, "D", "issue 5: a parameter"),
    ("leader_min_rating", "组长：最低平均评分", "80", POINTS, "D", "design default; confirm with the bureau"),
    ("leader_min_experience", "组长：最少从业年限", "10", YEARS, "D", "design default; confirm with the bureau"),
]


def forwards(apps, schema_editor):
    Parameter = apps.get_model("regulation", "RegulationParameter")
    for key, label, value, unit, confidence, note in PARAMETERS:
        Parameter.objects.get_or_create(
            key=key,
            effective_from=date(2021, 10, 27),
            defaults={"label": label, "value": value, "unit": unit, "confidence": confidence, "source_note": note},
        )
    Parameter.objects.filter(
        key="panel_reserves", effective_from=date(2021, 10, 27), value="3", created_by__isnull=True
    ).update(value="2", source_note="issue 5: a reserve list of 2 (domain.md proposed 3 [D])")


class Migration(migrations.Migration):
    dependencies = [("regulation", "0002_parameters_from_domain")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
