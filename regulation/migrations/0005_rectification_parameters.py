"""Parameters of the hazard ledger (issue 6, domain.md §8): reminders, escalation, the gate.

- ``hazard_remind_before``: the enterprise hears this many working days before a deadline [D];
- ``hazard_escalate_city_after``: an overdue hazard reaches the city after this many working
  days (the county hears the first day) [D];
- ``rectification_gate_allows_general``: 1 lets an application go on to publicity with 一般
  hazards still open (none overdue); 0, the default, requires every hazard closed [D].
"""

from datetime import date

from django.db import migrations

PARAMETERS = [
    ("hazard_remind_before", "隐患整改：到期前提醒（工作日）", "3", "working_days", "D", "issue 6; design default"),
    ("hazard_escalate_city_after", "隐患逾期：逾期后报市局（工作日）", "5", "working_days", "D", "issue 6; design default"),
    (
        "rectification_gate_allows_general",
        "整改未全部销号时，仅余未逾期一般隐患可进入公示（1=允许，0=不允许）",
        "0",
        "flag",
        "D",
        "issue 6: where a parameter allows",
    ),
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
    dependencies = [("regulation", "0004_consolidation_margin")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
