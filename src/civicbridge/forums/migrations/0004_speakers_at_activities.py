import django.db.models.deletion
from django.db import migrations, models


def every_speaker_has_its_activity(apps, schema_editor):
    """0003 filled ``activity`` from the forum; a speaker added since by code that still set
    only ``forum`` gets its forum's activity too."""
    Speaker = apps.get_model("forums", "Speaker")
    for speaker in Speaker.objects.filter(activity__isnull=True).select_related("forum"):
        speaker.activity_id = speaker.forum.activity_id
        speaker.save(update_fields=["activity"])


class Migration(migrations.Migration):
    dependencies = [("forums", "0003_topics_anywhere")]

    operations = [
        migrations.RunPython(every_speaker_has_its_activity, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="speaker",
            options={
                "ordering": ["activity", "order", "id"],
                "verbose_name": "speaker",
                "verbose_name_plural": "speakers",
            },
        ),
        migrations.RemoveField(model_name="speaker", name="forum"),
        migrations.AlterField(
            model_name="speaker",
            name="activity",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="speakers",
                to="exchanges.activity",
            ),
        ),
    ]
