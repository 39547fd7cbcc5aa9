"""A step's description and record title are read from the case's protocol version, not copied per task."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_protocol_version'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='casetask',
            name='description',
        ),
        migrations.RemoveField(
            model_name='casetask',
            name='record_title',
        ),
    ]
