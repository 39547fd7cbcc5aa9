"""Store the shipped instruments (``screening/instruments/library``) as instrument versions.

Called by a data migration (historical models) and by ``manage.py load_instruments``. A version is
never changed once stored: a new file version is added beside the old one, and a stored version whose
file changed without a new version number is reported instead of being overwritten.
"""

from __future__ import annotations

from typing import Any

from screening.instruments import load_library


def load_instruments(apps: Any = None) -> dict[str, list[str]]:
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    InstrumentVersion = apps.get_model("screening", "InstrumentVersion")
    report: dict[str, list[str]] = {"added": [], "unchanged": [], "conflicts": []}
    for code, inst in sorted(load_library().items()):
        definition = inst.to_json()
        label = f"{code} {inst.version}"
        existing = InstrumentVersion.objects.filter(code=code, version=inst.version).first()
        if existing is None:
            InstrumentVersion.objects.create(
                code=code,
                version=inst.version,
                title=inst.title,
                source=inst.source,
                licence=inst.licence,
                translations=inst.translations,
                definition=definition,
                origin_file=f"screening/instruments/library/{code}.md",
            )
            report["added"].append(label)
        elif existing.definition == definition:
            report["unchanged"].append(label)
        else:
            report["conflicts"].append(label)
    return report
