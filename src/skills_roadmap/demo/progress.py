"""Vectorised monthly progress: enrolment by season, completion after the course, drop-out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.demo.calendar import LAST_MONTH, PERIODS
from skills_roadmap.demo.profiles import SEASONALITY

MISSING_SHARE = {  # optional fields left blank ("not reported") in otherwise reported months
    "certified": 0.03,
    "dropped_out": 0.04,
    "women": 0.03,
    "spend_eur": 0.05,
}
FIXED_SPEND_SHARE = 0.3  # of a budget spent evenly over the months; the rest follows enrolment
SUMMER_BREAK_NOTE = "Summer break: no new cohort"
LAGGARD_NOTE = "Recruitment below plan; outreach campaign under way"
# A few ESF+-funded programmes report the ESF+ participant breakdowns (few: at EU scale too).
ESF_REPORTERS = 12
AGE_SHARES = (0.04, 0.36, 0.46, 0.14)  # under 18, 18-29, 30-54, 55 and over
STATUS_SHARES = (0.5, 0.32, 0.18)  # employed, unemployed, inactive
LONG_TERM_SHARE = 0.4  # of the unemployed
ISCED_SHARES = (0.18, 0.44, 0.38)  # ISCED 0-2, 3-4, 5-8
NON_BINARY_SHARE = 0.01  # of those enrolled who are not women


def simulate_progress(programmes: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Monthly progress rows (flows, not running totals) of every programme, as reported.

    The model, per programme: people enrol in the months before the last course must start,
    ``capacity × uptake`` in expectation, spread by the level's seasonality (Poisson counts).
    Each monthly cohort loses a binomial share of drop-outs, reported half-way through the
    course; the rest complete ``course_months`` after enrolling. Certified and women are
    binomial shares of completed and enrolled, so certified ≤ completed and women ≤ enrolled
    by construction. Spend follows a fixed monthly share of the budget plus enrolment.

    Rows run from the programme's start through its end or ``DEMO_LAST_PERIOD``, whichever
    comes first, minus the unreported ``late_months`` of late reporters. Optional fields are
    sometimes ``NA`` (not reported), always so for programmes that never report them.
    """
    rng = np.random.default_rng([seed, 3])
    span = programmes["span_months"].to_numpy()
    course = programmes["course_months"].to_numpy()
    start = programmes["start_month"].to_numpy()
    owner = np.repeat(np.arange(len(programmes)), span)
    offset = np.arange(owner.size) - np.repeat(np.cumsum(span) - span, span)
    month = start[owner] + offset

    enrolling = offset < (span - course)[owner]
    weight = SEASONALITY[programmes["level_index"].to_numpy()[owner], month % 12] * enrolling
    weight_share = weight / np.bincount(owner, weights=weight)[owner]
    capacity = programmes["capacity"].to_numpy()
    enrolled = rng.poisson(capacity[owner] * programmes["uptake"].to_numpy()[owner] * weight_share)
    drops = rng.binomial(enrolled, programmes["drop_rate"].to_numpy()[owner])

    cohort = np.flatnonzero(enrolling)
    completed = np.zeros(owner.size, dtype=np.int64)
    completed[cohort + course[owner[cohort]]] = (enrolled - drops)[cohort]
    dropped_out = np.zeros(owner.size, dtype=np.int64)
    dropped_out[cohort + (course[owner[cohort]] + 1) // 2] = drops[cohort]
    certified = rng.binomial(completed, programmes["certified_share"].to_numpy()[owner])
    women = rng.binomial(enrolled, programmes["women_share"].to_numpy()[owner])
    spend = (
        programmes["budget_eur"].to_numpy()[owner]
        * (FIXED_SPEND_SHARE / span[owner] + (1 - FIXED_SPEND_SHARE) * weight_share)
        * rng.lognormal(0.0, 0.15, owner.size)
    ).round(2)

    last_reported = np.minimum(start + span - 1, LAST_MONTH - programmes["late_months"].to_numpy())
    kept = month <= last_reported[owner]
    owner, month = owner[kept], month[kept]
    notes = np.full(owner.size, None, dtype=object)
    summer = np.isin(month % 12, (6, 7)) & enrolling[kept] & (enrolled[kept] == 0)
    notes[summer] = SUMMER_BREAK_NOTE
    laggard_last_row = programmes["laggard"].to_numpy()[owner] & (month == last_reported[owner])
    notes[laggard_last_row] = LAGGARD_NOTE

    never = {
        "certified": ~programmes["reports_certified"].to_numpy()[owner],
        "women": ~programmes["reports_women"].to_numpy()[owner],
    }
    values = {
        "certified": certified[kept],
        "dropped_out": dropped_out[kept],
        "women": women[kept],
        "spend_eur": spend[kept],
    }
    optional = {}
    for column, share in MISSING_SHARE.items():
        missing = rng.random(owner.size) < share
        if column in never:
            missing |= never[column]
        masked = pd.arrays.FloatingArray if column == "spend_eur" else pd.arrays.IntegerArray
        optional[column] = masked(values[column], missing)
    reporters = _esf_reporters(programmes)[owner]
    return pd.DataFrame(
        {
            "programme_id": programmes["id"].to_numpy()[owner],
            "period": PERIODS[month],
            "enrolled": enrolled[kept],
            "completed": completed[kept],
            **optional,
            "notes": notes,
            **_esf_bands(enrolled[kept], optional["women"], reporters, seed),
        }
    )


def _esf_reporters(programmes: pd.DataFrame) -> np.ndarray:
    """The first ``ESF_REPORTERS`` ESF+-funded programmes by ID that report women."""
    candidates = (programmes["funding_source"] == "ESF+") & programmes["reports_women"]
    chosen = programmes.loc[candidates, "id"].sort_values().head(ESF_REPORTERS)
    return programmes["id"].isin(chosen).to_numpy()


def _esf_bands(
    enrolled: np.ndarray,
    women: pd.arrays.IntegerArray | pd.arrays.FloatingArray,
    reporters: np.ndarray,
    seed: int,
) -> dict[str, pd.arrays.IntegerArray]:
    """The ESF+ bands of the rows of ``reporters`` (blank elsewhere, and where women are):
    multinomial splits of the enrolled, so every breakdown adds up to Enrolled exactly. Drawn
    from a stream of their own, so the other demo numbers do not depend on them."""
    rng = np.random.default_rng([seed, 4])
    women_known = ~women.isna()
    given = reporters & women_known
    women_count = np.where(women_known, women.to_numpy(dtype=np.int64, na_value=0), 0)
    others = np.where(given, enrolled - women_count, 0)
    non_binary = rng.binomial(others, NON_BINARY_SHARE)
    counts = np.where(given, enrolled, 0)
    age = rng.multinomial(counts, AGE_SHARES)
    status = rng.multinomial(counts, STATUS_SHARES)
    long_term = rng.binomial(status[:, 1], LONG_TERM_SHARE)
    isced = rng.multinomial(counts, ISCED_SHARES)
    columns = {
        "men": others - non_binary,
        "non_binary": non_binary,
        **dict(zip(("age_under_18", "age_18_29", "age_30_54", "age_55_over"), age.T, strict=True)),
        "employed": status[:, 0],
        "unemployed": status[:, 1],
        "long_term_unemployed": long_term,
        "inactive": status[:, 2],
        **dict(zip(("isced_0_2", "isced_3_4", "isced_5_8"), isced.T, strict=True)),
    }
    return {
        key: pd.arrays.IntegerArray(values.astype(np.int64), ~given)
        for key, values in columns.items()
    }
