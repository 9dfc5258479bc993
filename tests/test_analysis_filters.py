"""Filters: which programmes count, which targets are shown, and the as-of month."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from skills_roadmap.analysis import AnalysisSettings, Filters, Frames, apply_filters, build_frames
from skills_roadmap.analysis.headline import headline
from skills_roadmap.exceptions import NotFoundError

TARGETS = pd.DataFrame(
    [
        ("net", "network", None, "basic"),
        ("es", "region", "ES24", "basic"),
        ("es-expert", "region", "ES24", "expert"),
        ("ro", "region", "RO11", "basic"),
        ("ai", "cluster", "ai", "basic"),
        ("it", "cluster", "it", "basic"),
    ],
    columns=["target_id", "scope", "scope_id", "level"],
).assign(deadline_year=2027, value=100, baseline_year=2024)


PROGRAMMES = pd.DataFrame(
    {
        "programme_id": ["a", "b", "c", "d"],
        "cluster_id": ["ai", "data", "it", "ai"],
        "region_code": ["ES24", "ES24", "RO11", "ES24"],
        "level": ["basic", "basic", "basic", "expert"],
        "delivery_mode": ["online", "in-person", "online", "blended"],
        "funding_source": ["ERDF", "ESF+", "ERDF", "national"],
        "provider_helix": ["academia", "industry", "academia", "public"],
    }
)


def frames(*extra_programmes: tuple[str, str, str, str]) -> Frames:
    """The small network; ``extra_programmes`` (id, cluster, region, level) join it."""
    extra = pd.DataFrame(
        extra_programmes, columns=["programme_id", "cluster_id", "region_code", "level"]
    )
    return build_frames(
        regions=pd.DataFrame({"region_code": ["ES24", "RO11"]}),
        clusters=pd.DataFrame(
            {"cluster_id": ["ai", "it", "data"], "region_code": ["ES24", "RO11", "ES24"]}
        ),
        programmes=pd.concat(
            [
                PROGRAMMES,
                extra.assign(
                    delivery_mode="online", funding_source="ERDF", provider_helix="industry"
                ),
            ],
            ignore_index=True,
        ).assign(start="2024-01-01", end="2025-12-31"),
        targets=TARGETS,
        progress=pd.DataFrame(
            {
                "programme_id": ["a", "a", "b", "c", "d"],
                "period": ["2024-01", "2024-02", "2024-02", "2024-03", "2024-03"],
                "enrolled": 1,
                "completed": 1,
            }
        ),
        facilities=pd.DataFrame(
            {
                "facility_id": ["f-es", "f-ro"],
                "kind": "testing",
                "region_code": ["ES24", "RO11"],
                "cluster_id": ["ai", None],
                "status": "planned",
                "planned_open": "2025-01-01",
            }
        ),
    )


def ids(frame: pd.DataFrame, column: str) -> list[str]:
    return sorted(frame[column].astype(str))


@pytest.mark.parametrize(
    ("filters", "programmes", "targets", "regions", "clusters"),
    [
        (
            Filters(),
            ["a", "b", "c", "d"],
            sorted(TARGETS["target_id"]),
            ["ES24", "RO11"],
            ["ai", "data", "it"],
        ),
        # a region: its programmes, its own and its clusters' targets, never the network's
        (
            Filters(regions=("ES24",)),
            ["a", "b", "d"],
            ["ai", "es", "es-expert"],
            ["ES24"],
            ["ai", "data"],
        ),
        # a cluster: its programmes; its home region's targets count only its contribution
        (Filters(clusters=("ai",)), ["a", "d"], ["ai", "es", "es-expert"], ["ES24"], ["ai"]),
        (Filters(levels=("expert",)), ["d"], ["es-expert"], ["ES24", "RO11"], ["ai", "data", "it"]),
        (
            Filters(funding_sources=("ERDF",)),
            ["a", "c"],
            sorted(TARGETS["target_id"]),
            ["ES24", "RO11"],
            ["ai", "data", "it"],
        ),
        (
            Filters(delivery_modes=("online", "blended")),
            ["a", "c", "d"],
            sorted(TARGETS["target_id"]),
            ["ES24", "RO11"],
            ["ai", "data", "it"],
        ),
        # the provider helix narrows the programmes counted, never the places or targets
        (
            Filters(provider_helices=("academia",)),
            ["a", "c"],
            sorted(TARGETS["target_id"]),
            ["ES24", "RO11"],
            ["ai", "data", "it"],
        ),
        (
            Filters(regions=("ES24",), provider_helices=("academia", "public")),
            ["a", "d"],
            ["ai", "es", "es-expert"],
            ["ES24"],
            ["ai", "data"],
        ),
    ],
)
def test_filters_narrow_programmes_targets_regions_and_clusters(
    filters: Filters,
    programmes: list[str],
    targets: list[str],
    regions: list[str],
    clusters: list[str],
) -> None:
    narrowed = apply_filters(frames(), filters)
    assert ids(narrowed.programmes, "programme_id") == programmes
    assert sorted(set(narrowed.progress["programme_id"].astype(str))) == programmes
    assert ids(narrowed.targets, "target_id") == targets
    assert ids(narrowed.regions, "region_code") == regions
    assert ids(narrowed.clusters, "cluster_id") == clusters


def test_as_of_drops_later_progress() -> None:
    narrowed = apply_filters(frames(), Filters(as_of="2024-02"))
    assert narrowed.as_of_period == "2024-02"
    assert len(narrowed.progress) == 3


def test_facilities_follow_regions_and_clusters() -> None:
    assert ids(apply_filters(frames(), Filters(regions=("RO11",))).facilities, "facility_id") == [
        "f-ro"
    ]
    assert ids(apply_filters(frames(), Filters(clusters=("ai",))).facilities, "facility_id") == [
        "f-es"
    ]


def test_no_filters_returns_the_frames_unchanged() -> None:
    original = frames()
    assert apply_filters(original, None) is original
    assert apply_filters(original, Filters()).progress is original.progress


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (Filters(regions=("FR10",)), "unknown region FR10"),
        (Filters(clusters=("nope",)), "unknown cluster nope"),
        (Filters(funding_sources=("Horizon",)), "unknown funding source Horizon"),
    ],
)
def test_unknown_names_say_what_exists(filters: Filters, message: str) -> None:
    with pytest.raises(NotFoundError, match=message):
        apply_filters(frames(), filters)


@pytest.mark.parametrize(
    "fields",
    [
        {"regions": ("es24",)},
        {"levels": ("advanced",)},
        {"provider_helices": ("government",)},  # not one of the quadruple helix
        {"as_of": "2024-13"},
        {"year": 2024},
    ],
)
def test_filters_refuse_malformed_values(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Filters.model_validate(fields)


def test_narrowed_frames_can_be_narrowed_again() -> None:
    aragon = apply_filters(frames(), Filters(regions=("ES24",)))
    assert ids(apply_filters(aragon, Filters()).progress, "programme_id") == ["a", "a", "b", "d"]
    basic = apply_filters(aragon, Filters(levels=("basic",)))
    assert ids(basic.progress, "programme_id") == ["a", "a", "b"]
    february = apply_filters(aragon, Filters(as_of="2024-02"))
    assert ids(february.progress, "programme_id") == ["a", "a", "b"]


def test_an_as_of_month_after_the_latest_report_keeps_every_report() -> None:
    original = frames()
    later = apply_filters(original, Filters(as_of="2025-06"))
    assert later.as_of_period == "2025-06"
    pd.testing.assert_frame_equal(later.progress, original.progress)


def test_a_cluster_working_outside_its_home_region_is_one_of_that_regions_clusters() -> None:
    """ai, based in ES24, runs programme e in RO11: RO11's page offers ai, and RO11 with ai
    selected together is ai's programme there (with RO11's and ai's targets)."""
    network = frames(("e", "ai", "RO11", "basic"))
    region = apply_filters(network, Filters(regions=("RO11",)))
    both = apply_filters(network, Filters(regions=("RO11",), clusters=("ai",)))

    assert ids(region.clusters, "cluster_id") == ["ai", "it"]
    assert (ids(both.programmes, "programme_id"), ids(both.clusters, "cluster_id")) == (
        ["e"],
        ["ai"],
    )
    assert ids(both.targets, "target_id") == ["ai", "ro"]


def test_a_region_lists_the_clusters_that_work_there_though_based_elsewhere() -> None:
    """ "it" is based in RO11 and also works in ES24, where it runs no programme yet: ES24's
    clusters include it, with the regions it works in; "ai" and "data" are based there."""
    built = frames()
    works_abroad = build_frames(
        regions=built.regions,
        clusters=built.clusters,
        cluster_regions=pd.DataFrame({"cluster_id": ["it"], "region_code": ["ES24"]}),
        programmes=built.programmes,
    )

    narrowed = apply_filters(works_abroad, Filters(regions=("ES24",)))
    works = narrowed.cluster_regions

    assert ids(narrowed.clusters, "cluster_id") == ["ai", "data", "it"]
    assert ids(apply_filters(built, Filters(regions=("ES24",))).clusters, "cluster_id") == [
        "ai",
        "data",
    ]
    pairs = zip(works["cluster_id"].astype(str), works["region_code"].astype(str), strict=True)
    assert sorted(pairs) == [("ai", "ES24"), ("data", "ES24"), ("it", "ES24"), ("it", "RO11")]


def test_a_provider_helix_shows_its_contribution_to_the_regions_targets_never_a_status() -> None:
    """In ES24 only programme ``a`` (basic) is run by academia: 2 completed of the 100 basic."""
    summary = headline(
        frames(), Filters(regions=("ES24",), provider_helices=("academia",)), AnalysisSettings()
    )
    shown = summary.levels[["level", "targets", "part", "achieved", "attainment", "status"]]
    assert shown.to_dict("records") == [
        {
            "level": "basic",
            "targets": 1,
            "part": True,
            "achieved": 2.0,
            "attainment": 0.02,
            "status": None,
        },
        {
            "level": "intermediate",
            "targets": 0,
            "part": False,
            "achieved": pytest.approx(float("nan"), nan_ok=True),
            "attainment": pytest.approx(float("nan"), nan_ok=True),
            "status": None,
        },
        {
            "level": "expert",
            "targets": 1,
            "part": True,
            "achieved": 0.0,
            "attainment": 0.0,
            "status": None,
        },
    ]
