"""HTML attributes that Python cannot spell as keyword arguments (``aria-label``, ``aria-live``)."""

from __future__ import annotations

from typing import Any


def attributes(**values: str) -> dict[str, Any]:
    """``aria_label="Filters"`` → ``{"aria-label": "Filters"}``, to spread into a component."""
    return {name.replace("_", "-"): value for name, value in values.items()}
