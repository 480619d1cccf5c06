"""The margin beyond which the panel members' deductions on an item count as divergent.

domain.md §5.4 asks for a reason "where the experts diverge beyond a set margin" [D]; issue 5
asks the leader to see "every item that two members scored differently", so the default is 0:
any difference is a divergence. A bureau that tolerates small differences raises it.
"""

from datetime import date

from django.db import migrations


def forwards(apps, schema_editor):
    Parameter = apps.get_model("regulation", "RegulationParameter")
    Parameter.objects.get_or_create(
        key="consolidation_margin",
        effective_from=date(2021, 10, 27),
        defaults={
            "label": "汇总：专家扣分差异超过该分值即列为分歧项（0=任何差异）",
            "value": "0",
            "unit": "points",
            "confidence": "D",
            "source_note": "issue 5; domain.md §5.4 [D]",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("regulation", "0003_panel_draw_parameters")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
