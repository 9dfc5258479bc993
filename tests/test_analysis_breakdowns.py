"""ESF+ participant breakdowns: people and share per band, and the share of enrolments reported."""

from __future__ import annotations

import pandas as pd

from skills_roadmap.analysis import Filters, Frames, apply_filters, build_frames, esf_breakdowns
from skills_roadmap.analysis.inclusion import inclusion
from skills_roadmap.demo.layout import network_layout
from skills_roadmap.demo.programmes import generate_programmes
from skills_roadmap.demo.progress import simulate_progress
from skills_roadmap.fields import BREAKDOWN_MEASURES, BREAKDOWNS

COLUMNS = ["programme_id", "period", "enrolled", "completed", "women", "men", "non_binary"]
COLUMNS += ["age_under_18", "age_18_29", "unemployed", "long_term_unemployed", "isced_5_8"]
N = None
PROGRESS = pd.DataFrame(
    [
        ("a", "2024-01", 100, 0, 40, 55, 5, 10, 60, 30, 12, N),
        ("a", "2024-02", 50, 0, N, N, N, N, 20, N, N, N),  # only one age band reported
        ("b", "2024-01", 50, 0, 20, 30, N, N, N, 10, N, 25),
        ("b", "2024-02", 0, 0, N, N, N, N, N, N, N, N),  # nothing enrolled, nothing reported
    ],
    columns=COLUMNS,
)


def frames(progress: pd.DataFrame = PROGRESS) -> Frames:
    return build_frames(
        regions=pd.DataFrame({"region_code": ["ES24"]}),
        clusters=pd.DataFrame({"cluster_id": ["ai"], "region_code": ["ES24"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["a", "b"],
                "cluster_id": "ai",
                "region_code": "ES24",
                "level": ["basic", "expert"],
                "start": "2024-01-01",
                "end": "2024-12-31",
            }
        ),
        progress=progress,
    )


def rows(table: pd.DataFrame) -> list[tuple[object, ...]]:
    return [
        tuple(None if isinstance(v, float) and v != v else v for v in row)
        for row in table.itertuples(index=False)
    ]


def test_each_band_counts_its_people_over_the_months_that_reported_it() -> None:
    """All enrolled: 200. Hand-computed: e.g. aged 18-29 is 60 + 20 = 80 of the 150 enrolled
    in the months that reported it, which are 150 / 200 = 75 % of all enrolments."""
    assert rows(esf_breakdowns(frames())) == [
        ("Gender", "women", "Women", 60.0, 0.4, 150.0, 0.75),
        ("Gender", "men", "Men", 85.0, 85 / 150, 150.0, 0.75),
        ("Gender", "non_binary", "Non-binary", 5.0, 0.05, 100.0, 0.5),
        ("Age", "age_under_18", "Under 18", 10.0, 0.1, 100.0, 0.5),
        ("Age", "age_18_29", "Aged 18-29", 80.0, 80 / 150, 150.0, 0.75),
        ("Age", "age_30_54", "Aged 30-54", None, None, None, 0.0),
        ("Age", "age_55_over", "Aged 55 and over", None, None, None, 0.0),
        ("Labour-market status", "employed", "Employed", None, None, None, 0.0),
        ("Labour-market status", "unemployed", "Unemployed", 40.0, 40 / 150, 150.0, 0.75),
        (
            "Labour-market status",
            "long_term_unemployed",
            "Long-term unemployed",
            12.0,
            0.12,
            100.0,
            0.5,
        ),
        ("Labour-market status", "inactive", "Inactive", None, None, None, 0.0),
        ("Education", "isced_0_2", "ISCED 0-2", None, None, None, 0.0),
        ("Education", "isced_3_4", "ISCED 3-4", None, None, None, 0.0),
        ("Education", "isced_5_8", "ISCED 5-8", 25.0, 0.5, 50.0, 0.25),
    ]


def test_the_share_of_women_is_the_inclusion_share() -> None:
    """One number, one function's definition: the gender band of women agrees with inclusion."""
    table = esf_breakdowns(frames()).set_index("band")
    whole = inclusion(frames(), by=()).iloc[0]
    assert (table.loc["women", "share"], table.loc["women", "reported_share"]) == (
        whole["women_share"],
        whole["reported_share"],
    )


def test_a_selection_and_an_as_of_month_narrow_the_bands() -> None:
    """Programme b's level only, and January only for the whole network."""
    expert = esf_breakdowns(apply_filters(frames(), Filters(levels=("expert",)))).set_index("band")
    assert rows(expert.loc[["men", "isced_5_8", "age_18_29"], ["people", "reported_share"]]) == [
        (30.0, 1.0),
        (25.0, 1.0),
        (None, 0.0),
    ]
    january = esf_breakdowns(apply_filters(frames(), Filters(as_of="2024-01")))
    assert list(january.set_index("band").loc["age_18_29", ["people", "reported_share"]]) == [
        60.0,
        100 / 150,
    ]


def test_nothing_reported_gives_no_people_and_a_reported_share_of_zero() -> None:
    bare = PROGRESS[["programme_id", "period", "enrolled", "completed"]]
    table = esf_breakdowns(frames(bare))
    assert table["people"].isna().all() and table["share"].isna().all()
    assert table["reported_share"].tolist() == [0.0] * 14
    assert frames(bare).breakdowns.empty


def test_without_progress_nothing_can_be_reported() -> None:
    table = esf_breakdowns(frames(PROGRESS.iloc[:0]))
    assert table["reported_share"].isna().all()


def test_the_demo_reports_breakdowns_for_a_few_programmes_that_add_up_to_enrolled() -> None:
    """Twelve ESF+ programmes, every breakdown summing to exactly Enrolled, long-term
    unemployed within the unemployed; every other row blank."""
    programmes = generate_programmes(network_layout(), 42)
    progress = simulate_progress(programmes, 42)
    reported = progress[progress["men"].notna()]
    funding = programmes.set_index("id")["funding_source"]
    assert reported["programme_id"].nunique() == 12
    assert set(funding[reported["programme_id"].unique()]) == {"ESF+"}
    for bands in BREAKDOWNS.values():
        summed = [band.key for band in bands if not band.within]
        assert (reported[summed].sum(axis=1) == reported["enrolled"]).all()
    assert (reported["long_term_unemployed"] <= reported["unemployed"]).all()
    keys = [field.key for field in BREAKDOWN_MEASURES]
    assert progress.loc[progress["men"].isna(), keys].isna().all().all()
