"""Reference data: the special-risk tags and the GB/T 4754 → 工贸 industry mapping."""

import csv
from pathlib import Path

from django.db import migrations

RISK_TAGS = [
    ("dust_explosion", "粉尘涉爆"),
    ("ammonia_refrigeration", "涉氨制冷"),
    ("confined_space", "有限空间作业"),
    ("metal_smelting", "金属冶炼"),
    ("hazardous_chemicals", "危险化学品使用"),
]


def forwards(apps, schema_editor):
    RiskTag = apps.get_model("enterprises", "RiskTag")
    IndustryMapping = apps.get_model("enterprises", "IndustryMapping")
    for order, (code, name) in enumerate(RISK_TAGS, start=1):
        RiskTag.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    path = Path(__file__).resolve().parent.parent / "data" / "industry_mapping.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            IndustryMapping.objects.get_or_create(
                code_prefix=row["code_prefix"],
                defaults={"industry": row["industry"], "description": row["description"]},
            )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
