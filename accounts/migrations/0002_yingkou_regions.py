"""Reference data: Liaoning, 营口市 and its six county-level divisions, and the bureaus.

Codes are the national administrative division codes. Admins add towns, zones and other
cities as data; nothing here is needed in code.
"""

from django.db import migrations

PROVINCE = ("210000", "辽宁省")
CITY = ("210800", "营口市")
DIVISIONS = [
    ("210802", "站前区"),
    ("210803", "西市区"),
    ("210804", "鲅鱼圈区"),
    ("210811", "老边区"),
    ("210881", "盖州市"),
    ("210882", "大石桥市"),
]


def forwards(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    Organisation = apps.get_model("accounts", "Organisation")

    def region(code, name, level, parent, order=0):
        path = f"{parent.path if parent else ''}{code}/"
        obj, _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent, "path": path, "sort_order": order}
        )
        return obj

    province = region(*PROVINCE, "province", None)
    city = region(*CITY, "city", province)
    Organisation.objects.get_or_create(
        kind="administration", region=city, name="营口市应急管理局信息中心"
    )
    Organisation.objects.get_or_create(
        kind="city_bureau", region=city, name="营口市应急管理局", defaults={"section": "制造业科"}
    )
    Organisation.objects.get_or_create(kind="expert_pool", region=city, name="营口市应急管理局技术检查员库")
    for order, (code, name) in enumerate(DIVISIONS, start=1):
        division = region(code, name, "county", city, order)
        Organisation.objects.get_or_create(kind="county_bureau", region=division, name=f"{name}应急管理局")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
