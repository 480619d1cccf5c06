"""The certificate name's two-character windows, and on PostgreSQL their GIN index (lib.search)."""

from django.db import migrations, models

INDEX = "cert_name_grams_gin"


def backfill(apps, schema_editor):
    from lib.search import joined_grams

    Certificate = apps.get_model("results", "Certificate")
    batch = []
    for row in Certificate.objects.only("pk", "enterprise_name").order_by("pk").iterator(chunk_size=2000):
        row.name_grams = joined_grams(row.enterprise_name)
        batch.append(row)
        if len(batch) == 2000:
            Certificate.objects.bulk_update(batch, ["name_grams"])
            batch = []
    if batch:
        Certificate.objects.bulk_update(batch, ["name_grams"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON results_certificate USING gin (string_to_array(name_grams, ' '))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("results", "0003_certificate_cert_list_order")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="name_grams",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
