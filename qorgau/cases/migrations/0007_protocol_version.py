"""Each case's protocol is stored once per distinct definition (ProtocolVersion), not copied into every case."""

import hashlib
import json
import uuid

import django.db.models.deletion
from django.db import migrations, models


def _digest(definition):
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def move_protocols(apps, schema_editor):
    """Every distinct stored protocol becomes one ProtocolVersion; each case points at its own."""
    Case = apps.get_model("cases", "Case")
    ProtocolVersion = apps.get_model("cases", "ProtocolVersion")
    versions = {}
    for pk, definition in Case.objects.exclude(protocol_json={}).values_list("pk", "protocol_json").iterator():
        digest = _digest(definition)
        if digest not in versions:
            versions[digest] = ProtocolVersion.objects.create(
                digest=digest,
                code=definition.get("code", ""),
                version=definition.get("version", ""),
                definition=definition,
            ).pk
        Case.objects.filter(pk=pk).update(protocol_id=versions[digest])


def restore_protocols(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    ProtocolVersion = apps.get_model("cases", "ProtocolVersion")
    for version in ProtocolVersion.objects.all():
        Case.objects.filter(protocol_id=version.pk).update(protocol_json=version.definition)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_taskescalation_no_db_constraint"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProtocolVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("code", models.SlugField(max_length=40, verbose_name="code")),
                ("version", models.CharField(blank=True, max_length=20, verbose_name="version")),
                ("digest", models.CharField(editable=False, max_length=64, unique=True)),
                ("definition", models.JSONField(verbose_name="definition")),
            ],
            options={
                "verbose_name": "protocol version",
                "verbose_name_plural": "protocol versions",
                "ordering": ["code", "-created_at"],
            },
        ),
        migrations.RenameField(model_name="case", old_name="protocol", new_name="protocol_json"),
        migrations.AddField(
            model_name="case",
            name="protocol",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="cases.protocolversion",
                verbose_name="protocol as started",
            ),
        ),
        migrations.RunPython(move_protocols, restore_protocols),
        migrations.RemoveField(model_name="case", name="protocol_json"),
    ]
