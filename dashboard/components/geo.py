"""Region shapes for the map from an administrator's NUTS GeoJSON file, if one is configured."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from skills_roadmap.exceptions import ConfigurationError

logger = logging.getLogger(__name__)

# Eurostat GISCO files name the code NUTS_ID; others use id or NUTS_CODE.
CODE_KEYS = ("NUTS_ID", "nuts_id", "NUTS_CODE", "id")


@lru_cache(maxsize=2)
def _features(path: str, modified: float) -> dict[str, dict[str, Any]]:
    """Every feature of the file by region code (cached per file version)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        features = document["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigurationError(
            f"the NUTS GeoJSON file {path} cannot be read ({error}): set "
            "SKILLS_ROADMAP_NUTS_GEOJSON to a GeoJSON FeatureCollection, or unset it to draw "
            "regions as markers"
        ) from None
    shapes: dict[str, dict[str, Any]] = {}
    for feature in features:
        properties = feature.get("properties") or {}
        code = next(
            (properties[key] for key in CODE_KEYS if properties.get(key)), feature.get("id")
        )
        if code:
            shapes[str(code)] = {**feature, "id": str(code)}
    return shapes


def region_shapes(path: Path | None, codes: Iterable[str]) -> dict[str, Any] | None:
    """A FeatureCollection of the regions ``codes`` (each feature's ``id`` its code), or None
    when no file is configured, it cannot be read, or it holds none of the regions.

    Only the regions shown are sent to the browser, so a Europe-wide file stays cheap.
    """
    if path is None:
        return None
    try:
        shapes = _features(str(path), path.stat().st_mtime)
    except (OSError, ConfigurationError) as error:
        logger.warning("drawing regions as markers: %s", error)
        return None
    wanted = [shapes[code] for code in dict.fromkeys(codes) if code in shapes]
    return {"type": "FeatureCollection", "features": wanted} if wanted else None
