# A message is signed by its author's person (accounts.PersonLink) and side.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0001_initial'),
        ('pairings', '0002_channel'),
    ]

    operations = [
        migrations.AddField(
            model_name='message',
            name='author_person',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='directory.person', verbose_name='signed by'),
        ),
    ]
