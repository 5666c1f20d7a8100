"""News briefs are stored once per exchange (in the script they are written in) and shown
in the reader's: versions are numbered per exchange, no longer per script. Existing
versions are renumbered per exchange in the order they were saved."""

from django.db import migrations, models


def renumber(apps, schema_editor):
    NewsBrief = apps.get_model("documents", "NewsBrief")
    exchanges = NewsBrief.objects.values_list("exchange_id", flat=True).distinct()
    for exchange_id in exchanges:
        rows = list(NewsBrief.objects.filter(exchange_id=exchange_id).order_by("created_at", "id"))
        # Out of the way of the numbers given below first (the old numbers repeat per script).
        for row in rows:
            row.number = row.number + 1_000_000
            row.save(update_fields=["number"])
        for i, row in enumerate(rows, start=1):
            row.number = i
            row.save(update_fields=["number"])


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="newsbrief", name="newsbrief_unique_version"),
        migrations.RunPython(renumber, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="newsbrief",
            options={
                "ordering": ["exchange_id", "-number"],
                "verbose_name": "news brief version",
                "verbose_name_plural": "news brief versions",
            },
        ),
        migrations.AddConstraint(
            model_name="newsbrief",
            constraint=models.UniqueConstraint(
                fields=("exchange", "number"), name="newsbrief_one_version"
            ),
        ),
    ]
