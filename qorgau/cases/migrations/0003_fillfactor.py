"""PostgreSQL: leave room on each page of the task and case tables, so that the escalation sweep's updates
(no indexed column changes) are HOT updates that write no index entries."""

from django.db import migrations


def fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE cases_casetask SET (fillfactor = 70)")
    schema_editor.execute("ALTER TABLE cases_case SET (fillfactor = 80)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_open_due_index")]
    operations = [migrations.RunPython(fillfactor, migrations.RunPython.noop)]
