"""Random identifiers in bulk."""

from __future__ import annotations

import os
import uuid


def random_uuids(n: int) -> list[uuid.UUID]:
    """``n`` version-4 UUIDs from one read of the system's random source (``uuid.uuid4`` reads it once per
    UUID: a paper import needs hundreds of thousands)."""
    raw = os.urandom(16 * n)
    return [uuid.UUID(bytes=raw[i : i + 16], version=4) for i in range(0, 16 * n, 16)]
