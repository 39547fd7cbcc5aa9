"""Load the regions, agencies and the top of the organisation tree from core/data/*.yaml."""

from django.db import migrations


def load(apps, schema_editor):
    from core.reference_loader import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
