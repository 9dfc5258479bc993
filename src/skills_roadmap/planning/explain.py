"""Why a gap cannot be closed, in words: too little time, too slow a pace or too little money."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.periods import month_to_period

_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def month_words(month: int) -> str:
    """A month index as "December 2027".

    >>> from skills_roadmap.analysis.periods import period_to_month
    >>> month_words(period_to_month("2027-12"))
    'December 2027'
    """
    year, number = month_to_period(month).split("-")
    return f"{_MONTH_NAMES[int(number) - 1]} {year}"


def euros(value: float) -> str:
    """An amount as "EUR 1,234,000" (whole euros)."""
    return f"EUR {value:,.0f}"


def target_words(target: pd.Series | dict) -> str:
    """ "the expert target of ES24" (or "of the network")."""
    place = "the network" if target["scope"] == "network" else str(target["scope_id"])
    return f"the {target['level']} target of {place}"


def reachable(
    targets: pd.DataFrame, cells: pd.DataFrame, variables_types: pd.DataFrame, as_of: int
) -> pd.DataFrame:
    """Per target: the quickest cohort of its plannable types (``duration_months``, missing
    when no type is plannable) and the most people new cohorts could
    bring to completion by its deadline at each region's pace, whatever they cost.

    At most K cohorts start in a region each month; the s-th month from now is best spent on
    the type with the most completers among those that still finish in time, so the most
    completers of a cell are K x the sum over months of that best yield (the types sorted by
    how many months they may start in, with a running maximum of their yields).
    """
    pairs = cells.merge(variables_types, on=["region_code", "level"])
    months_left = pairs["deadline_month"] - as_of
    window = months_left - pairs["duration_months"] + 1
    pairs = pairs.assign(window=window)[window >= 1].sort_values(
        ["target_id", "region_code", "window"], ascending=[True, True, False], kind="stable"
    )
    grouped = pairs.groupby(["target_id", "region_code"], sort=False)
    best = grouped["completers_per_cohort"].cummax()
    following = grouped["window"].shift(-1).fillna(0)
    pairs = pairs.assign(most=best * (pairs["window"] - following) * pairs["cohorts_per_month"])
    most = pairs.groupby("target_id")["most"].sum()
    quickest = (
        cells.merge(variables_types, on=["region_code", "level"])
        .groupby("target_id")["duration_months"]
        .min()
    )
    per_target = targets.set_index("target_id")
    pace = (
        cells.merge(
            variables_types[["region_code", "level", "cohorts_per_month"]].drop_duplicates(),
            on=["region_code", "level"],
        )
        .groupby("target_id")["cohorts_per_month"]
        .max()
    )
    return pd.DataFrame(
        {
            "quickest_months": quickest.reindex(per_target.index),
            "most_people": most.reindex(per_target.index).fillna(0.0),
            "cohorts_per_month": pace.reindex(per_target.index),
        }
    ).reset_index()


def unreachable(targets: pd.DataFrame, reach: pd.DataFrame) -> pd.DataFrame:
    """Per target with a gap that no plan can close (``target_id, reason, most_people,
    words``): why, in words.

    Three reasons, checked in this order: ``history``, no programme of its level has
    completions to learn from; ``time``, the quickest cohort needs more months than are left;
    ``pace``, even as many cohorts every month as the region has ever started at once would
    not bring enough people to completion (the plan then brings as many as it can).
    """
    table = targets.merge(reach, on="target_id")  # with the forecast's months_left
    table = table[table["gap"] > 0]
    found = []
    for row in table.to_dict("records"):
        deadline = month_words(int(row["deadline_month"]))
        who = target_words(row)
        if np.isnan(row["quickest_months"]):
            reason, words = (
                "history",
                (
                    f"{who} cannot be planned: no {row['level']} programme of the network has "
                    "reported completions to learn from yet"
                ),
            )
        elif row["quickest_months"] > row["months_left"]:
            reason, words = (
                "time",
                (
                    f"{who} cannot be met by {deadline} at any cost: a cohort needs "
                    f"{row['quickest_months']:.0f} months and {max(row['months_left'], 0):.0f} "
                    "are left"
                ),
            )
        elif row["most_people"] + 1e-9 < row["gap"]:
            pace = (
                f"{row['cohorts_per_month']:.0f} new "
                f"{'cohort' if row['cohorts_per_month'] == 1 else 'cohorts'} a month"
                if row["scope"] == "region"
                else "each region's pace of new cohorts"
            )
            reason, words = (
                "pace",
                (
                    f"{who} cannot be met by {deadline} at any cost: at most "
                    f"{np.floor(row['most_people'] + 1e-9):,.0f} more people can complete by "
                    f"then at {pace}, and {row['gap']:,.0f} are missing; the plan brings "
                    "as many as it can"
                ),
            )
        else:
            continue
        found.append((row["target_id"], reason, row["most_people"], words))
    return pd.DataFrame(found, columns=["target_id", "reason", "most_people", "words"])


# Where the places go in a sentence said for several targets (a character no words contain).
_PLACES = "\x00"


def grouped_words(beyond: pd.DataFrame, targets: pd.DataFrame) -> list[str]:
    """The words of :func:`unreachable`, the region targets that miss one deadline for the same
    lack of time said once: "the expert targets of ES21, ES24 and SE11 cannot be met by
    December 2027 at any cost: a cohort needs 18 months and 14 are left" (a network of many
    regions would otherwise list the same sentence for each).

    >>> targets = pd.DataFrame({"target_id": ["a", "b", "c"], "scope": "region",
    ...     "scope_id": ["ES24", "SE11", "RO11"], "level": "expert"})
    >>> beyond = pd.DataFrame({"target_id": ["a", "b", "c"], "reason": ["time", "time", "pace"],
    ...     "words": ["the expert target of ES24 x", "the expert target of SE11 x", "y"]})
    >>> grouped_words(beyond, targets)
    ['the expert targets of ES24 and SE11 x', 'y']
    """
    table = beyond.merge(targets[["target_id", "scope", "scope_id", "level"]], on="target_id")
    words: list[str] = []
    places: dict[str, list[str]] = {}  # the words after the place -> the places, in order
    for row in table.to_dict("records"):
        prefix = f"the {row['level']} target of {row['scope_id']}"
        if (
            row["reason"] != "time"
            or row["scope"] != "region"
            or not row["words"].startswith(prefix)
        ):
            words.append(row["words"])
            continue
        rest = f"the {row['level']} targets of {_PLACES}{row['words'][len(prefix) :]}"
        if rest not in places:
            places[rest] = []
            words.append(rest)
        places[rest].append(str(row["scope_id"]))
    return [_with_places(text, places[text]) if text in places else text for text in words]


def _with_places(text: str, places: list[str]) -> str:
    """``text`` with its place marker replaced by the places ("ES24, SE11 and RO11"), and
    "targets" back to "target" for a single place."""
    if len(places) == 1:
        return text.replace(f" targets of {_PLACES}", f" target of {places[0]}", 1)
    listed = ", ".join(places[:-1]) + f" and {places[-1]}"
    return text.replace(_PLACES, listed, 1)


def budget_words(needed: float, budgets: dict[str, float], *, every_gap: bool = True) -> str:
    """Why the budgets cannot close every gap: the least the gaps need beside what there is
    (``every_gap`` false: closing them as far as the regions' pace allows)."""
    if len(budgets) == 1:
        ((source, amount),) = budgets.items()
        have = f"the {source} budget is {euros(amount)}"
    else:
        each = ", ".join(f"{source} {euros(amount)}" for source, amount in budgets.items())
        have = f"the budgets total {euros(sum(budgets.values()))} ({each})"
    what = "every gap" if every_gap else "the gaps as far as each region's pace allows"
    return (
        f"closing {what} needs at least {euros(needed)}; {have}: raise a budget, or plan "
        "in the most-people mode to train the most people within it"
    )


def optimality_words(solver: dict) -> str:
    """How close the plan is proven to the best possible, from the plan's ``solver`` figures
    (``optimal``, ``gap``, ``gap_tolerance``, ``variables``): a coordinator reading an
    EU-scale plan must know that its cost may be a fraction of a percent above the least.

    >>> optimality_words({"optimal": True, "gap": 0.0, "gap_tolerance": 0.0, "variables": 16})
    'proven the best plan possible'
    >>> optimality_words(
    ...     {"optimal": True, "gap": 0.0002, "gap_tolerance": 0.005, "variables": 2866})
    'proven within 0.02 % of the best plan possible (a plan of 2,866 choices is solved to 0.5 %)'
    """
    if not solver.get("optimal"):
        return "not proven the best plan possible: the solver stopped early"
    gap, tolerance = float(solver.get("gap", 0.0)), float(solver.get("gap_tolerance", 0.0))
    if tolerance <= 0 or gap <= 0:
        return "proven the best plan possible"
    return (
        f"proven within {gap:.2%} of the best plan possible (a plan of "
        f"{solver['variables']:,} choices is solved to {tolerance:.1%})"
    ).replace("%", " %")
