from django.db import migrations


def add_topics(apps, schema_editor):
    from civicbridge.forums.topics import TOPICS

    Topic = apps.get_model("forums", "Topic")
    for order, (code, hans, hant, en) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            code=code, defaults={"name_hans": hans, "name_hant": hant, "name_en": en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
