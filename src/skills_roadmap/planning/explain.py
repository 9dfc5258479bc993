"""Why a gap cannot be closed, in words: too little time, too slow a pace or too little money."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skills_roadmap.analysis.periods import month_to_period
from skills_roadmap.i18n import N_, formats, gettext, ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.words import _
from skills_roadmap.text import counted

# A target's name, said whole per level so that a language can make the level agree with
# "target" ("the expert target of ES24"): one region's, the network's, several regions'.
REGION_TARGET = {
    "basic": N_("the basic target of {region}"),
    "intermediate": N_("the intermediate target of {region}"),
    "expert": N_("the expert target of {region}"),
}
NETWORK_TARGET = {
    "basic": N_("the basic target of the network"),
    "intermediate": N_("the intermediate target of the network"),
    "expert": N_("the expert target of the network"),
}
REGION_TARGETS = {
    "basic": N_("the basic targets of {regions}"),
    "intermediate": N_("the intermediate targets of {regions}"),
    "expert": N_("the expert targets of {regions}"),
}
# Why a target cannot be planned: no programme of its level has completions to learn from.
NO_HISTORY = {
    "basic": N_(
        "{target} cannot be planned: no basic programme of the network has reported "
        "completions to learn from yet"
    ),
    "intermediate": N_(
        "{target} cannot be planned: no intermediate programme of the network has reported "
        "completions to learn from yet"
    ),
    "expert": N_(
        "{target} cannot be planned: no expert programme of the network has reported "
        "completions to learn from yet"
    ),
}


def month_words(month: int) -> str:
    """A month index in words, in the current language: "December 2027", "diciembre de 2027".

    >>> from skills_roadmap.analysis.periods import period_to_month
    >>> month_words(period_to_month("2027-12"))
    'December 2027'
    """
    return formats.month(month_to_period(month))


def euros(value: float) -> str:
    """An amount in whole euros, in the current language: "€1,234,000", "1.234.000 €"."""
    return formats.money(value, cents=False)


def target_words(target: pd.Series | dict) -> str:
    """A target's name in the current language: "the expert target of ES24" (or "of the
    network")."""
    level = str(target["level"])
    if target["scope"] == "network":
        return gettext(NETWORK_TARGET[level])
    return _(REGION_TARGET[level], region=str(target["scope_id"]))


def _say(message: str, **values: object) -> str:
    """``message`` (already translated, such as ``ngettext``'s form for a count) filled in
    with ``values``, numbers in the language's conventions."""
    return Message(message).format(**values)


def cohorts_words(count: int) -> str:
    """New cohorts counted in the current language: "1 cohort", "12 cohorts"."""
    return _say(ngettext("{count:,} cohort", "{count:,} cohorts", count), count=count)


def completers_words(count: int) -> str:
    """People completing counted in the current language: "1 completer", "40 completers"."""
    return _say(ngettext("{count:,} completer", "{count:,} completers", count), count=count)


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


UNREACHABLE_COLUMNS = ["target_id", "reason", "most_people", "quickest_months", "months_left"]


def unreachable(targets: pd.DataFrame, reach: pd.DataFrame) -> pd.DataFrame:
    """Per target with a gap that no plan can close (:data:`UNREACHABLE_COLUMNS` and
    ``words``): why, in words in the current language.

    Three reasons, checked in this order: ``history``, no programme of its level has
    completions to learn from; ``time``, the quickest cohort needs more months than are left;
    ``pace``, even as many cohorts every month as the region has ever started at once would
    not bring enough people to completion (the plan then brings as many as it can).
    """
    table = targets.merge(reach, on="target_id")  # with the forecast's months_left
    table = table[table["gap"] > 0]
    found = []
    for row in table.to_dict("records"):
        if np.isnan(row["quickest_months"]):
            reason = "history"
            words = _(NO_HISTORY[str(row["level"])], target=target_words(row))
        elif row["quickest_months"] > row["months_left"]:
            reason = "time"
            words = _time_words(row, target_words(row))
        elif row["most_people"] + 1e-9 < row["gap"]:
            reason = "pace"
            words = _pace_words(row)
        else:
            continue
        figures = (row["most_people"], row["quickest_months"], row["months_left"])
        found.append((row["target_id"], reason, *figures, words))
    return pd.DataFrame(found, columns=[*UNREACHABLE_COLUMNS, "words"])


def _time_words(row: dict, named: str, *, several: bool = False) -> str:
    """Why ``named`` (a target, or ``several`` targets of one deadline) cannot be met in time:
    the quickest cohort needs more months than are left."""
    left = int(max(row["months_left"], 0))
    values = {
        "month": month_words(int(row["deadline_month"])),
        "needed": counted(int(row["quickest_months"]), "month"),
        "left": left,
    }
    if several:
        return _say(
            ngettext(
                "{targets} cannot be met by {month} at any cost: a cohort needs {needed} and "
                "{left:,} is left",
                "{targets} cannot be met by {month} at any cost: a cohort needs {needed} and "
                "{left:,} are left",
                left,
            ),
            targets=named,
            **values,
        )
    return _say(
        ngettext(
            "{target} cannot be met by {month} at any cost: a cohort needs {needed} and "
            "{left:,} is left",
            "{target} cannot be met by {month} at any cost: a cohort needs {needed} and "
            "{left:,} are left",
            left,
        ),
        target=named,
        **values,
    )


def _pace_words(row: dict) -> str:
    """Why a target cannot be met even at its regions' pace of new cohorts: how many people
    the pace can bring by the deadline, and how many are missing."""
    values = {
        "target": target_words(row),
        "month": month_words(int(row["deadline_month"])),
        "most": float(np.floor(row["most_people"] + 1e-9)),
        "gap": float(row["gap"]),
    }
    if row["scope"] != "region":
        return _(
            "{target} cannot be met by {month} at any cost: at most {most:,.0f} more people "
            "can complete by then at each region's pace of new cohorts, and {gap:,.0f} are "
            "missing; the plan brings as many as it can",
            **values,
        )
    pace = int(row["cohorts_per_month"])
    return _say(
        ngettext(
            "{target} cannot be met by {month} at any cost: at most {most:,.0f} more people "
            "can complete by then at {pace:,} new cohort a month, and {gap:,.0f} are missing; "
            "the plan brings as many as it can",
            "{target} cannot be met by {month} at any cost: at most {most:,.0f} more people "
            "can complete by then at {pace:,} new cohorts a month, and {gap:,.0f} are "
            "missing; the plan brings as many as it can",
            pace,
        ),
        pace=pace,
        **values,
    )


def grouped_words(beyond: pd.DataFrame, targets: pd.DataFrame) -> list[str]:
    """The words of :func:`unreachable`, the region targets that miss one deadline for the same
    lack of time said once: "the expert targets of ES21, ES24, and SE11 cannot be met by
    December 2027 at any cost: a cohort needs 18 months and 14 are left" (a network of many
    regions would otherwise list the same sentence for each).

    >>> targets = pd.DataFrame({"target_id": ["a", "b", "c"], "scope": "region",
    ...     "scope_id": ["ES24", "SE11", "RO11"], "level": "expert", "deadline_month": 24335})
    >>> beyond = pd.DataFrame({"target_id": ["a", "b", "c"], "reason": ["time", "time", "pace"],
    ...     "most_people": 0.0, "quickest_months": 14.0, "months_left": 12.0,
    ...     "words": ["the expert target of ES24 x", "the expert target of SE11 x", "y"]})
    >>> grouped_words(beyond, targets)  # doctest: +NORMALIZE_WHITESPACE
    ['the expert targets of ES24 and SE11 cannot be met by December 2027 at any cost: a cohort
      needs 14 months and 12 are left', 'y']
    """
    columns = ["target_id", "scope", "scope_id", "level", "deadline_month"]
    table = beyond.merge(targets[columns], on="target_id")
    words: list[str | tuple] = []
    groups: dict[tuple, list[dict]] = {}  # one lack of time -> its region targets, in order
    for row in table.to_dict("records"):
        if row["reason"] != "time" or row["scope"] != "region":
            words.append(row["words"])
            continue
        key = (row["level"], row["deadline_month"], row["quickest_months"], row["months_left"])
        if key not in groups:
            groups[key] = []
            words.append(key)
        groups[key].append(row)
    return [text if isinstance(text, str) else _grouped(groups[text]) for text in words]


def _grouped(rows: list[dict]) -> str:
    """The words of region targets that miss one deadline for the same lack of time."""
    if len(rows) == 1:
        return str(rows[0]["words"])
    places = formats.listing([str(row["scope_id"]) for row in rows])
    named = _(REGION_TARGETS[str(rows[0]["level"])], regions=places)
    return _time_words(rows[0], named, several=True)


def budget_words(needed: float, budgets: dict[str, float], *, every_gap: bool = True) -> str:
    """Why the budgets cannot close every gap: the least the gaps need beside what there is
    (``every_gap`` false: closing them as far as the regions' pace allows)."""
    values = {"needed": euros(needed)}
    if len(budgets) == 1:
        ((source, amount),) = budgets.items()
        values.update(source=source, amount=euros(amount))
        if every_gap:
            return _(
                "closing every gap needs at least {needed}; the {source} budget is {amount}: "
                "raise a budget, or plan in the most-people mode to train the most people "
                "within it",
                **values,
            )
        return _(
            "closing the gaps as far as each region's pace allows needs at least {needed}; the "
            "{source} budget is {amount}: raise a budget, or plan in the most-people mode to "
            "train the most people within it",
            **values,
        )
    each = [f"{source} {euros(amount)}" for source, amount in budgets.items()]
    values.update(total=euros(sum(budgets.values())), each=formats.listing(each))
    if every_gap:
        return _(
            "closing every gap needs at least {needed}; the budgets total {total} ({each}): "
            "raise a budget, or plan in the most-people mode to train the most people within "
            "them",
            **values,
        )
    return _(
        "closing the gaps as far as each region's pace allows needs at least {needed}; the "
        "budgets total {total} ({each}): raise a budget, or plan in the most-people mode to "
        "train the most people within them",
        **values,
    )


def optimality_words(solver: dict) -> str:
    """How close the plan is proven to the best possible, from the plan's ``solver`` figures
    (``optimal``, ``gap``, ``gap_tolerance``, ``variables``), in the current language: a
    coordinator reading an EU-scale plan must know that its cost may be a fraction of a
    percent above the least.

    >>> optimality_words({"optimal": True, "gap": 0.0, "gap_tolerance": 0.0, "variables": 16})
    'proven the best plan possible'
    >>> optimality_words(
    ...     {"optimal": True, "gap": 0.0002, "gap_tolerance": 0.005, "variables": 2866})
    'proven within 0.02% of the best plan possible (a plan of 2,866 choices is solved to 0.5%)'
    """
    if not solver.get("optimal"):
        return gettext("not proven the best plan possible: the solver stopped early")
    gap, tolerance = float(solver.get("gap", 0.0)), float(solver.get("gap_tolerance", 0.0))
    if tolerance <= 0 or gap <= 0:
        return gettext("proven the best plan possible")
    return _(
        "proven within {gap:.2%} of the best plan possible (a plan of {choices:,} choices is "
        "solved to {tolerance:.1%})",
        gap=gap,
        choices=int(solver["variables"]),
        tolerance=tolerance,
    )
