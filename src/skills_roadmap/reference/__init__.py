"""Reference data shipped inside the package: the NUTS-2 regions the product can place on a map."""

from skills_roadmap.reference.regions import REGIONS_FILE, load_regions

__all__ = ["REGIONS_FILE", "load_regions"]
