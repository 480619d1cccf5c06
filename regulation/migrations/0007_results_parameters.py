"""Parameters of results (issue 7, domain.md §9) not yet seeded.

- ``self_assessment_reminder_lead``: a certified enterprise is reminded this many days before each
  anniversary of its certificate to file the yearly self-assessment [D].
"""

from datetime import date

from django.db import migrations

PARAMETERS = [
    ("self_assessment_reminder_lead", "年度自评提醒（证书周年前天数）", "30", "days", "D", "issue 7; design default"),
]


def forwards(apps, schema_editor):
    Parameter = apps.get_model("regulation", "RegulationParameter")
    for key, label, value, unit, confidence, note in PARAMETERS:
        Parameter.objects.get_or_create(
            key=key,
            effective_from=date(2021, 10, 27),
            defaults={"label": label, "value": value, "unit": unit, "confidence": confidence, "source_note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("regulation", "0006_units_points_flag")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
