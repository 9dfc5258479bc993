"""Why a selection shows nothing: nothing there yet, or filters that match nothing together."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import numpy as np

from skills_roadmap.analysis.filters import Filters, apply_filters
from skills_roadmap.analysis.frames import Frames

__all__ = ["NARROWING_FIELDS", "Emptiness", "Kind", "Narrowing", "why_empty"]

Kind = Literal["programmes", "progress", "targets"]
NarrowingField = Literal["levels", "funding_sources", "delivery_modes", "provider_helices", "as_of"]
# The filters that narrow a selection inside its places (its regions and clusters), in the
# order the filter bar shows them.
NARROWING_FIELDS: tuple[NarrowingField, ...] = (
    "levels",
    "funding_sources",
    "delivery_modes",
    "provider_helices",
    "as_of",
)


@dataclass(frozen=True)
class Narrowing:
    """One filter of a selection: its field of :class:`Filters` and the values chosen."""

    field: NarrowingField
    values: tuple[str, ...]


@dataclass(frozen=True)
class Emptiness:
    """Why a selection has no programmes, progress or targets.

    ``clear`` holds the smallest sets of filters that would each, cleared together, show
    something; any one set will do. It is empty when nothing exists yet in the places
    selected, whatever the filters.
    """

    clear: tuple[tuple[Narrowing, ...], ...] = ()

    @property
    def nothing_yet(self) -> bool:
        """Nothing exists in the places selected: no filter is to blame."""
        return not self.clear


def _narrowings(filters: Filters) -> tuple[Narrowing, ...]:
    """The filters of ``filters`` that are set, as narrowings."""
    chosen = []
    for field in NARROWING_FIELDS:
        value = getattr(filters, field)
        if value:
            values = (value,) if isinstance(value, str) else tuple(str(item) for item in value)
            chosen.append(Narrowing(field, values))
    return tuple(chosen)


def _has(frames: Frames, filters: Filters, kind: Kind, first_months: np.ndarray) -> bool:
    """Whether the selection ``filters`` holds any ``kind``."""
    selected = apply_filters(frames, filters, progress=False)
    if kind == "targets":
        return not selected.targets.empty
    if kind == "programmes":
        return not selected.programmes.empty
    if selected.programmes.empty or selected.as_of is None:
        return False
    # Programme ids share one set of categories across the frames (see ``build_frames``).
    codes = selected.programmes["programme_id"].cat.codes.to_numpy()
    return bool((first_months[codes] <= selected.as_of).any())


_NEVER = np.iinfo(np.int64).max  # the first month of a programme that never reported


def _first_months(frames: Frames, kind: Kind) -> np.ndarray:
    """The first month each programme reported progress, by programme id code (for
    progress only; a vectorised minimum, several times faster than a group-by)."""
    categories = frames.programmes["programme_id"].cat.categories
    first = np.full(len(categories), _NEVER, dtype=np.int64)
    if kind == "progress":
        progress = frames.progress
        codes = progress["programme_id"].cat.codes.to_numpy()
        np.minimum.at(first, codes, progress["month"].to_numpy().astype(np.int64))
    return first


def why_empty(frames: Frames, filters: Filters, kind: Kind) -> Emptiness | None:
    """Why the selection ``filters`` of the unfiltered ``frames`` holds no ``kind``, or
    ``None`` when it holds some.

    The places selected (regions and clusters) are where the user looks; the other filters
    (level, funding source, delivery mode, provider helix, as-of month) narrow what is shown
    there. When even the places with every narrowing cleared hold nothing, nothing exists there yet.
    Otherwise the filters are why: the answer names the smallest sets of them to clear (each
    set alone would show something), so two filters that each match something but not
    together give two answers, one per filter. "Progress" means progress reported by the
    selected programmes up to the as-of month, as the charts count it.

    Raises:
        NotFoundError: a region, cluster or funding source in ``filters`` does not exist.
    """
    first_months = _first_months(frames, kind)
    if _has(frames, filters, kind, first_months):
        return None
    narrowings = _narrowings(filters)

    def cleared(fields: tuple[Narrowing, ...]) -> Filters:
        return filters.model_copy(
            update={n.field: None if n.field == "as_of" else () for n in fields}
        )

    if not _has(frames, cleared(narrowings), kind, first_months):
        return Emptiness()
    for size in range(1, len(narrowings) + 1):
        found = tuple(
            chosen
            for chosen in combinations(narrowings, size)
            if _has(frames, cleared(chosen), kind, first_months)
        )
        if found:
            return Emptiness(found)
    raise AssertionError("clearing every filter shows something, so a smaller set does")
