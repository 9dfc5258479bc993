"""Why a selection shows nothing: nothing there yet, or which filters to clear."""

from __future__ import annotations

import pandas as pd
import pytest

from skills_roadmap.analysis import Filters, Frames, build_frames
from skills_roadmap.analysis.emptiness import Emptiness, Kind, Narrowing, why_empty

# Three regions: Alpha runs an online ERDF basic programme and an in-person ESF+ basic
# programme (the first reports from 2024-03, the second never); Beta has a target but no
# programme; Gamma has nothing at all.
PROGRAMMES = pd.DataFrame(
    {
        "programme_id": ["online-erdf", "in-person-esf"],
        "cluster_id": ["c1", "c1"],
        "region_code": ["AA11", "AA11"],
        "level": ["basic", "basic"],
        "delivery_mode": ["online", "in-person"],
        "funding_source": ["ERDF", "ESF+"],
        "start": "2024-01-01",
        "end": "2025-12-31",
    }
)


@pytest.fixture(scope="module")
def frames() -> Frames:
    return build_frames(
        regions=pd.DataFrame({"region_code": ["AA11", "BB22", "CC33"]}),
        clusters=pd.DataFrame({"cluster_id": ["c1"], "region_code": ["AA11"]}),
        programmes=PROGRAMMES,
        targets=pd.DataFrame(
            {
                "target_id": ["aa", "bb"],
                "scope": "region",
                "scope_id": ["AA11", "BB22"],
                "level": "basic",
                "deadline_year": 2027,
                "value": 100,
                "baseline_year": 2024,
            }
        ),
        progress=pd.DataFrame(
            {
                "programme_id": ["online-erdf", "online-erdf"],
                "period": ["2024-03", "2024-04"],
                "enrolled": 5,
                "completed": 1,
            }
        ),
    )


FUNDING = Narrowing("funding_sources", ("ERDF",))
IN_PERSON = Narrowing("delivery_modes", ("in-person",))
EXPERT = Narrowing("levels", ("expert",))
EARLY = Narrowing("as_of", ("2024-02",))


@pytest.mark.parametrize(
    ("filters", "kind", "expected"),
    [
        # Something to show: no reason needed.
        (Filters(regions=("AA11",)), "programmes", None),
        (Filters(regions=("AA11",), funding_sources=("ERDF",)), "progress", None),
        # Gamma holds nothing at all, whatever the filters.
        (Filters(regions=("CC33",)), "programmes", Emptiness()),
        (Filters(regions=("CC33",), levels=("expert",)), "targets", Emptiness()),
        # Beta has a target but no programme: nothing yet, even filtered by funding.
        (Filters(regions=("BB22",), funding_sources=("ERDF",)), "programmes", Emptiness()),
        (Filters(regions=("BB22",)), "targets", None),
        # A filter that matches nothing in the place is named.
        (Filters(regions=("AA11",), levels=("expert",)), "programmes", Emptiness(((EXPERT,),))),
        (Filters(regions=("AA11",), levels=("expert",)), "targets", Emptiness(((EXPERT,),))),
        # The month is a filter of progress: before 2024-03 nobody had reported.
        (Filters(regions=("AA11",), as_of="2024-02"), "progress", Emptiness(((EARLY,),))),
        (Filters(regions=("AA11",), as_of="2024-02"), "programmes", None),
        # ERDF and in-person each match a programme, never the same one: clear either.
        (
            Filters(regions=("AA11",), funding_sources=("ERDF",), delivery_modes=("in-person",)),
            "programmes",
            Emptiness(((FUNDING,), (IN_PERSON,))),
        ),
        # In-person matches a programme that never reported: only clearing it shows progress.
        (
            Filters(regions=("AA11",), funding_sources=("ERDF",), delivery_modes=("in-person",)),
            "progress",
            Emptiness(((IN_PERSON,),)),
        ),
        # Expert and an early month: both stand in the way, so both are to be cleared.
        (
            Filters(regions=("AA11",), levels=("expert",), as_of="2024-02"),
            "progress",
            Emptiness(((EXPERT, EARLY),)),
        ),
        # The whole network, filtered to a level nobody trains.
        (Filters(levels=("expert",)), "programmes", Emptiness(((EXPERT,),))),
    ],
)
def test_why_a_selection_is_empty(
    frames: Frames, filters: Filters, kind: Kind, expected: Emptiness | None
) -> None:
    assert why_empty(frames, filters, kind) == expected


def test_nothing_at_all_is_nothing_yet() -> None:
    empty = build_frames(
        regions=pd.DataFrame({"region_code": ["AA11"]}),
        clusters=pd.DataFrame({"cluster_id": [], "region_code": []}),
        programmes=PROGRAMMES.iloc[:0],
    )

    reasons = [
        why_empty(empty, Filters(regions=("AA11",), levels=("basic",)), kind)
        for kind in ("programmes", "progress", "targets")
    ]

    assert reasons == [Emptiness()] * 3
    assert all(reason is not None and reason.nothing_yet for reason in reasons)
