"""The EU27 NUTS-2 (2021) regions with names and approximate centroids, read from package data."""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

from pydantic import ValidationError

from skills_roadmap.domain import Region

REGIONS_FILE = "nuts2_regions.csv"


@cache
def _regions() -> tuple[Region, ...]:
    text = files("skills_roadmap.reference").joinpath(REGIONS_FILE).read_text(encoding="utf-8")
    regions = []
    # Line 1 is the header, so data rows start on line 2.
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        try:
            regions.append(Region.model_validate(row))
        except ValidationError as error:
            raise ValueError(f"{REGIONS_FILE}, line {line}: {error}") from error
    return tuple(regions)


def load_regions() -> list[Region]:
    """Every EU27 NUTS-2 region of the 2021 classification, ordered by code.

    The file ships inside the package so maps and the demo work from any folder without a
    download. Each row passes through the ``Region`` model, so a broken row fails loudly
    here rather than as a misplaced marker on a map. ``lat``/``lon`` are approximate
    centroids (two decimals), moved to a point inside the region where the centroid of an
    island group or a ring-shaped region falls outside it. Greece is ``EL`` in NUTS codes and
    ``GR`` as its ISO 3166 country.
    """
    return list(_regions())
