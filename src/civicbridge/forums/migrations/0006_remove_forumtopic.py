from django.db import migrations


class Migration(migrations.Migration):
    """One home for "a topic discussed": 0003 copied every ForumTopic into TopicMention."""

    dependencies = [("forums", "0005_more_topics")]

    operations = [
        migrations.RemoveField(model_name="forum", name="topics"),
        migrations.DeleteModel(name="ForumTopic"),
    ]
