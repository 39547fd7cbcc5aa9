"""Store the five shipped instruments (asq, phq_a, gad7, bullying, ucla3) as their first versions."""

from django.db import migrations


def load(apps, schema_editor):
    from screening.library_loader import load_instruments

    load_instruments(apps)


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
