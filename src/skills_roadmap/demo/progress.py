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
    return pd.DataFrame(
        {
            "programme_id": programmes["id"].to_numpy()[owner],
            "period": PERIODS[month],
            "enrolled": enrolled[kept],
            "completed": completed[kept],
            **optional,
            "notes": notes,
        }
    )
