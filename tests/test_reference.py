"""Reference regions: every EU27 NUTS-2 (2021) region, named, placed inside its country."""

from __future__ import annotations

from collections import Counter

import pytest

from skills_roadmap.domain import Region
from skills_roadmap.reference import load_regions

# NUTS-2 regions per EU27 country in the 2021 classification (ISO 3166 country codes).
REGIONS_PER_COUNTRY = {
    "AT": 9, "BE": 11, "BG": 6, "CY": 1, "CZ": 8, "DE": 38, "DK": 5, "EE": 1, "ES": 19,
    "FI": 5, "FR": 27, "GR": 13, "HR": 4, "HU": 8, "IE": 3, "IT": 21, "LT": 2, "LU": 1,
    "LV": 1, "MT": 1, "NL": 12, "PL": 17, "PT": 7, "RO": 8, "SE": 8, "SI": 2, "SK": 4,
}  # fmt: skip

# Generous boxes (lat min, lat max, lon min, lon max) around each country's territory,
# including the outermost regions (Canarias, Açores, Madeira, the French overseas regions).
COUNTRY_BOXES: dict[str, list[tuple[float, float, float, float]]] = {
    "AT": [(46.3, 49.1, 9.5, 17.2)],
    "BE": [(49.5, 51.6, 2.5, 6.5)],
    "BG": [(41.2, 44.3, 22.3, 28.7)],
    "CY": [(34.5, 35.8, 32.2, 34.7)],
    "CZ": [(48.5, 51.1, 12.0, 18.9)],
    "DE": [(47.2, 55.1, 5.8, 15.1)],
    "DK": [(54.5, 57.8, 8.0, 15.3)],
    "EE": [(57.5, 59.7, 21.7, 28.3)],
    "ES": [(35.2, 43.8, -9.4, 4.4), (27.6, 29.5, -18.2, -13.4)],
    "FI": [(59.7, 70.1, 19.0, 31.6)],
    "FR": [
        (41.3, 51.1, -5.2, 9.6),
        (15.8, 16.6, -61.9, -61.0),  # Guadeloupe
        (14.3, 14.9, -61.3, -60.8),  # Martinique
        (2.1, 5.8, -54.6, -51.6),  # Guyane
        (-21.4, -20.8, 55.2, 55.9),  # La Réunion
        (-13.1, -12.6, 45.0, 45.3),  # Mayotte
    ],
    "GR": [(34.8, 41.8, 19.3, 29.7)],
    "HR": [(42.3, 46.6, 13.4, 19.5)],
    "HU": [(45.7, 48.6, 16.1, 22.9)],
    "IE": [(51.4, 55.4, -10.5, -6.0)],
    "IT": [(36.6, 47.1, 6.6, 18.6)],
    "LT": [(53.9, 56.5, 20.9, 26.9)],
    "LU": [(49.4, 50.2, 5.7, 6.6)],
    "LV": [(55.6, 58.1, 20.9, 28.3)],
    "MT": [(35.8, 36.1, 14.1, 14.6)],
    "NL": [(50.7, 53.6, 3.3, 7.3)],
    "PL": [(49.0, 54.9, 14.1, 24.2)],
    "PT": [(36.9, 42.2, -9.6, -6.1), (36.9, 39.8, -31.3, -24.9), (32.4, 33.2, -17.3, -16.2)],
    "RO": [(43.6, 48.3, 20.2, 29.8)],
    "SE": [(55.3, 69.1, 10.9, 24.2)],
    "SI": [(45.4, 46.9, 13.3, 16.6)],
    "SK": [(47.7, 49.7, 16.8, 22.6)],
}


def test_every_eu27_nuts2_region_is_listed_once() -> None:
    regions = load_regions()
    codes = [region.code for region in regions]
    assert len(regions) == 242
    assert codes == sorted(set(codes))
    assert dict(Counter(region.country for region in regions)) == REGIONS_PER_COUNTRY


@pytest.mark.parametrize(
    ("code", "name", "country"),
    [
        ("ES24", "Aragón", "ES"),
        ("RO11", "Nord-Vest", "RO"),
        ("SE11", "Stockholm", "SE"),
        ("SE12", "Östra Mellansverige", "SE"),
        ("SE22", "Sydsverige", "SE"),
        ("SE23", "Västsverige", "SE"),
        ("EL30", "Attiki", "GR"),  # NUTS says EL, ISO 3166 says GR
        ("PL21", "Małopolskie", "PL"),
        ("FR10", "Île-de-France", "FR"),
        ("NL41", "Noord-Brabant", "NL"),
    ],
)
def test_regions_carry_their_usual_names(code: str, name: str, country: str) -> None:
    region = {region.code: region for region in load_regions()}[code]
    assert (region.name, region.country) == (name, country)


@pytest.mark.parametrize(
    ("code", "lat", "lon"),
    [
        ("ES24", 41.5, -0.7),  # Aragón: around Zaragoza province
        ("RO11", 47.2, 23.4),  # Nord-Vest: north of Cluj-Napoca
        ("SE11", 59.5, 18.2),  # Stockholm county
        ("DE30", 52.5, 13.4),  # Berlin
    ],
)
def test_centroids_are_close_to_where_the_region_is(code: str, lat: float, lon: float) -> None:
    region = {region.code: region for region in load_regions()}[code]
    assert region.lat == pytest.approx(lat, abs=0.3)
    assert region.lon == pytest.approx(lon, abs=0.3)


def test_every_centroid_lies_inside_its_country() -> None:
    outside = [
        region.code
        for region in load_regions()
        if not any(
            lat_min <= region.lat <= lat_max and lon_min <= region.lon <= lon_max
            for lat_min, lat_max, lon_min, lon_max in COUNTRY_BOXES[region.country]
        )
    ]
    assert outside == []


def test_brandenburg_is_not_drawn_on_top_of_berlin() -> None:
    """Ring-shaped regions get a point inside them, not their centroid in the hole."""
    regions = {region.code: region for region in load_regions()}
    berlin, brandenburg = regions["DE30"], regions["DE40"]
    assert abs(berlin.lat - brandenburg.lat) + abs(berlin.lon - brandenburg.lon) > 0.5


def test_load_regions_returns_validated_regions_in_a_fresh_list() -> None:
    first = load_regions()
    first.clear()
    second = load_regions()
    assert len(second) == 242
    assert all(isinstance(region, Region) for region in second)
