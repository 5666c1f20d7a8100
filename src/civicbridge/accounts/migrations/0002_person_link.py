# The directory entry (Person) a user account belongs to: messages are signed with it.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('directory', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                ('person', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='account_link', to='directory.person', verbose_name='person')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='person_link', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': "account's person",
                'verbose_name_plural': "accounts' people",
            },
        ),
    ]
