"""Seed the major-hazard clause table from rectification/clauses.py (Art. 3 in full, heads of 4–14)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from rectification.clauses import CLAUSES, EFFECTIVE_FROM, VERSION

    Clause = apps.get_model("rectification", "MajorHazardClause")
    for article, item, industries, text in CLAUSES:
        Clause.objects.get_or_create(
            version=VERSION,
            article=article,
            item=item,
            defaults={"industries": industries, "text": text, "effective_from": EFFECTIVE_FROM},
        )


class Migration(migrations.Migration):
    dependencies = [("rectification", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
