"""PostgreSQL: the audit table is append-only in the database itself, and subtree queries use an index.

A trigger refuses UPDATE and DELETE on audit rows for every role (including the owner); the privilege
is also revoked from PUBLIC. TRUNCATE stays possible for a database administrator (test teardown).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'audit entries are append-only (' || TG_OP || ' refused)';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
REVOKE UPDATE, DELETE ON core_auditentry FROM PUBLIC;
CREATE INDEX IF NOT EXISTS core_organisation_path_prefix ON core_organisation (path varchar_pattern_ops);
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
DROP INDEX IF EXISTS core_organisation_path_prefix;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_reference_data")]
    operations = [migrations.RunPython(forward, backward)]
