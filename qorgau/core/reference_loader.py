"""Load the reference data (regions, agencies, the top of the organisation tree) into the database.

Called by a data migration (with historical models) and by ``manage.py load_reference`` after the
YAML files in ``core/data/`` change. Idempotent: rows are matched by p-code / code and updated.
"""

from __future__ import annotations

from typing import Any

from core import reference
from core.models.territory import path_segment

COUNTRY_NAMES = {
    "name_kk": "Қазақстан Республикасы",
    "name_ru": "Республика Казахстан",
    "name_en": "Republic of Kazakhstan",
}


def load_reference_data(apps: Any = None) -> dict[str, int]:
    """Upsert regions, agencies and their aliases, the country and one tree node per region."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Region = apps.get_model("core", "Region")
    Agency = apps.get_model("core", "Agency")
    AgencyAlias = apps.get_model("core", "AgencyAlias")
    Organisation = apps.get_model("core", "Organisation")

    for rec in reference.region_records():
        Region.objects.update_or_create(
            pcode=rec["pcode"],
            defaults={k: rec[k] for k in ("kind", "name_kk", "name_ru", "name_en")} | {"aliases": rec["aliases"]},
        )
    successors: dict[str, str] = {}
    for rec in reference.agency_records():
        agency, _ = Agency.objects.update_or_create(
            code=rec["code"], defaults={k: rec[k] for k in ("kind", "name_kk", "name_ru", "name_en")}
        )
        if rec.get("successor"):
            successors[rec["code"]] = rec["successor"]
        seen: set[str] = set()
        for alias in rec["aliases"]:
            norm = reference.normalize(alias["text"])
            if norm in seen:
                continue
            seen.add(norm)
            AgencyAlias.objects.update_or_create(
                normalized=norm,
                defaults={
                    "agency": agency,
                    "text": alias["text"],
                    "lang": alias.get("lang", ""),
                    "former": bool(alias.get("former")),
                },
            )
    for code, successor in successors.items():
        Agency.objects.filter(code=code).update(successor=Agency.objects.get(code=successor))

    # Organisation nodes are written with the raw queryset API: this runs in migrations and in
    # `load_reference`, both system actions recorded by the caller.
    qs = Organisation._base_manager
    country = qs.filter(kind="country").first()
    if country is None:
        country = qs.create(kind="country", path="~country", **COUNTRY_NAMES)
        qs.filter(pk=country.pk).update(path=path_segment(country.pk))
        country.path = path_segment(country.pk)
    for region in Region.objects.all():
        names = {"name_kk": region.name_kk, "name_ru": region.name_ru, "name_en": region.name_en}
        node = qs.filter(kind="region", region=region).first()
        if node is None:
            node = qs.create(kind="region", region=region, parent=country, path=f"~{region.pcode}", **names)
            qs.filter(pk=node.pk).update(path=country.path + path_segment(node.pk))
        else:
            qs.filter(pk=node.pk).update(**names)
    return {
        "regions": Region.objects.count(),
        "agencies": Agency.objects.count(),
        "aliases": AgencyAlias.objects.count(),
    }
