"""Seed the numbering patterns and the 抄送 list of domain.md §9 (both editable in the admin).

The certificate pattern follows the legacy style [M]: AQB + level + industry code + province +
year + serial, e.g. AQBⅢSM辽20260001. Confirm the bureau's own pattern before go-live.
"""

from django.db import migrations

RULES = [
    ("certificate", "AQB{level}{industry}{province}{year}{seq:04d}"),
    ("publicity", "营应急公示〔{year}〕{seq}号"),
    ("announcement", "营应急公告〔{year}〕{seq}号"),
    ("revocation", "营应急撤告〔{year}〕{seq}号"),
    ("objection", "YY{year}{seq:05d}"),
]
CC = [
    "市工业和信息化局",
    "市人力资源和社会保障局",
    "市人民政府国有资产监督管理委员会",
    "市市场监督管理局",
    "市总工会",
    "国家金融监督管理总局营口监管分局",
    "中国证券监督管理委员会辽宁监管局",
]


def forwards(apps, schema_editor):
    Rule = apps.get_model("results", "NumberingRule")
    Cc = apps.get_model("results", "CcRecipient")
    for kind, pattern in RULES:
        Rule.objects.get_or_create(kind=kind, defaults={"pattern": pattern, "province": "辽"})
    for order, name in enumerate(CC, start=1):
        Cc.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
