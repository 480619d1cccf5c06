"""The enterprise name's two-character windows, and on PostgreSQL their GIN index.

The index is on ``string_to_array(name_grams, ' ')`` (array containment, ``@>``): SQLite has no
GIN index and searches by a plain scan, which is what it did before.
"""

from django.db import migrations, models

INDEX = "ent_name_grams_gin"


def backfill(apps, schema_editor):
    from enterprises.domain import name_grams

    Enterprise = apps.get_model("enterprises", "Enterprise")
    rows = Enterprise.objects.only("pk", "name", "short_name").order_by("pk")
    batch = []
    for row in rows.iterator(chunk_size=2000):
        row.name_grams = name_grams(row.name, row.short_name)
        batch.append(row)
        if len(batch) == 2000:
            Enterprise.objects.bulk_update(batch, ["name_grams"])
            batch = []
    if batch:
        Enterprise.objects.bulk_update(batch, ["name_grams"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON enterprises_enterprise "
            "USING gin (string_to_array(name_grams, ' '))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_enterprise_ent_list_order")]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="name_grams",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
