"""The executive summary: three to six plain sentences generated from the report's numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from skills_roadmap.analysis.pace import NOT_BEFORE_DEADLINE, REACHED
from skills_roadmap.analysis.status import Status

MAX_SENTENCES = 6
NAMES_LISTED = 3
_SMALL_NUMBERS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class SummaryFacts:
    """The numbers the summary speaks about, all from the analysis layer.

    Attributes:
        subject: who the targets belong to, e.g. "the network", "Aragón".
        plural: whether ``subject`` is several places ("the 3 selected regions").
        qualifier: a phrase narrowing what counts, e.g. "Counting only ESF+ programmes".
        as_of: the as-of month, or ``None`` when nothing has been reported.
        levels: rows of the Summary table: the selection's headline per level.
        regions: one row per selected region and level (``name``, ``level``, ``status``,
            ``ratio``) when the selection spans regions; ``None`` for one region or clusters.
        lagging: ``name`` and ``capacity_use`` of the clusters (or programmes) compared
            against their capacity, when ``regions`` is ``None``.
        lagging_noun: "cluster" or "programme".
        due_programmes / late_programmes: programmes due to report, and those late.
        enrolled / completed: people enrolled and completed so far in the selection.
        budget_eur / spend_eur: the selection's budget and spend so far.
        programmes / targets: how many the selection holds.
    """

    subject: str
    plural: bool
    qualifier: str | None
    as_of: str | None
    levels: pd.DataFrame
    regions: pd.DataFrame | None
    lagging: pd.DataFrame | None
    lagging_noun: str
    due_programmes: int
    late_programmes: int
    enrolled: float
    completed: float
    budget_eur: float
    spend_eur: float
    programmes: int
    targets: int


def percent(value: float) -> str:
    """A share as a whole percentage with a space, as the summary writes it: ``62 %``."""
    return f"{value * 100:.0f} %"


def count_words(count: int) -> str:
    """Small numbers in words ("two"), larger ones in digits with thousands separators."""
    return _SMALL_NUMBERS[count] if 0 <= count < len(_SMALL_NUMBERS) else f"{count:,}"


def euro(amount: float) -> str:
    """An amount in euro, in millions from one million on."""
    return f"€{amount / 1e6:,.1f} million" if amount >= 1e6 else f"€{amount:,.0f}"


def listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _trajectory(points: float, possessive: str) -> str:
    rounded = round(points)
    if rounded == 0:
        return f"on {possessive} trajectory"
    unit = "point" if abs(rounded) == 1 else "points"
    side = "behind" if rounded > 0 else "ahead of"
    return f"{abs(rounded)} {unit} {side} {possessive} trajectory"


def _level_sentence(facts: SummaryFacts, row: pd.Series) -> str:
    possessive = "their" if facts.plural else "its"
    verb = "have" if facts.plural else "has"
    lead = f"{facts.qualifier}, " if facts.qualifier else ""
    if row["part"]:  # a contribution: the whole target's status is not this part's to tell
        return _capitalised(
            f"{lead}these programmes contributed {row['achieved']:,.0f} people "
            f"{row['metric']}, {percent(row['attainment'])} of {facts.subject}'s "
            f"{int(row['deadline_year'])} {row['level']}-level target of {row['target']:,.0f}."
        )
    status = Status(row["status"]).label.lower() if pd.notna(row["status"]) else "not judged yet"
    return _capitalised(
        f"{lead}{facts.subject} {verb} reached {percent(row['attainment'])} of {possessive} "
        f"{int(row['deadline_year'])} {row['level']}-level target "
        f"({row['achieved']:,.0f} of {row['target']:,.0f} people {row['metric']}), "
        f"{_trajectory(row['points_behind'], possessive)}: {status}."
    )


def _forecast_sentence(levels: pd.DataFrame) -> str | None:
    """The forecast of the level furthest behind its trajectory."""
    judged = levels[levels["ratio"].notna()]
    if judged.empty:
        return None
    row = judged.sort_values("ratio", kind="stable").iloc[0]
    level, rate, needed = row["level"], row["run_rate"], row["required_run_rate"]
    if row["targets"] > 1:
        return (
            f"At the recent run rate, {count_words(int(row['on_time']))} of the "
            f"{count_words(int(row['targets']))} {level}-level targets will be reached by their "
            f"deadline; together they need {needed:,.0f} people a month against {rate:,.0f} now."
        )
    if row["forecast"] == REACHED:
        return f"The {level}-level target is already reached."
    if pd.isna(row["forecast"]) or pd.isna(rate):
        return None
    if row["forecast"] == NOT_BEFORE_DEADLINE:
        return (
            f"At the recent run rate of {rate:,.0f} people a month, the {level}-level target "
            f"will not be reached by the end of {int(row['deadline_year'])}; it needs "
            f"{needed:,.0f} a month from now on."
        )
    return (
        f"At the recent run rate of {rate:,.0f} people a month, the {level}-level target "
        f"will be reached in {row['forecast']}."
    )


def _regions_sentence(regions: pd.DataFrame) -> str:
    """The regions off track, furthest behind their trajectory first."""
    off = regions[regions["status"] == Status.OFF_TRACK.value].sort_values("ratio", kind="stable")
    total = regions["name"].nunique()
    if off.empty:
        return f"None of the {count_words(total)} regions is off track at any level."
    levels = off.groupby("name", sort=False)["level"].agg(lambda s: ", ".join(map(str, s)))
    named = [f"{name} ({levels_text})" for name, levels_text in levels.items()]
    shown = named[:NAMES_LISTED]
    if len(named) > NAMES_LISTED:
        shown.append(f"{count_words(len(named) - NAMES_LISTED)} more")
    if total == 1:
        return f"{named[0]} is off track."
    if len(named) == total:
        who = f"all {count_words(total)} regions are"
    else:
        verb = "is" if len(named) == 1 else "are"
        who = f"{count_words(len(named))} of the {count_words(total)} regions {verb}"
    return _capitalised(f"{who} off track at one level or more: {listing(shown)}.")


def _lagging_sentence(lagging: pd.DataFrame, noun: str) -> str:
    behind = lagging[lagging["capacity_use"] < 1].sort_values("capacity_use", kind="stable")
    if behind.empty:
        return f"Every {noun} has enrolled at least the share of its capacity expected by now."
    worst = behind.head(2)
    named = [
        f"{row['name']} ({percent(row['capacity_use'])} of expected)" for _, row in worst.iterrows()
    ]
    if len(named) == 1:
        return f"The {noun} furthest behind its expected enrolment is {named[0]}."
    return f"The two {noun}s furthest behind their expected enrolment are {listing(named)}."


def _reporting_sentence(facts: SummaryFacts) -> str:
    if facts.late_programmes == 0:
        return f"Every programme due to report has reported through {facts.as_of}."
    verb = "is" if facts.late_programmes == 1 else "are"
    return _capitalised(
        f"{count_words(facts.late_programmes)} of {count_words(facts.due_programmes)} "
        f"programmes {verb} late with their monthly reports (as of {facts.as_of})."
    )


def _people_sentence(facts: SummaryFacts) -> str:
    return (
        f"{facts.enrolled:,.0f} people have enrolled and {facts.completed:,.0f} completed "
        f"in {count_words(facts.programmes)} programme{'' if facts.programmes == 1 else 's'} "
        "so far."
    )


def _money_sentence(facts: SummaryFacts) -> str | None:
    if not facts.budget_eur > 0 or math.isnan(facts.spend_eur):
        return None
    share = percent(facts.spend_eur / facts.budget_eur)
    return (
        f"Spend so far is {euro(facts.spend_eur)}, {share} of the {euro(facts.budget_eur)} budget."
    )


def executive_summary(facts: SummaryFacts) -> tuple[str, ...]:
    """Three to six sentences: attainment per level, the forecast of the level furthest
    behind, who lags, late reporting, people trained and spend, in that order of importance.

    The same sentences appear in the Excel Summary sheet, the HTML and the PDF report.
    """
    if facts.as_of is None:
        return (
            "No progress has been reported for this selection yet.",
            f"It holds {facts.programmes:,} programmes and {facts.targets:,} targets.",
            "Figures appear once programme managers upload their monthly progress.",
        )
    with_targets = facts.levels[facts.levels["targets"] > 0]
    sentences: list[str | None] = [
        _level_sentence(facts, row) for _, row in with_targets.iterrows()
    ]
    if with_targets.empty:
        sentences.append("No targets are set for this selection.")
    sentences.append(_forecast_sentence(facts.levels))
    if facts.regions is not None:
        sentences.append(_regions_sentence(facts.regions))
    elif facts.lagging is not None and not facts.lagging.empty:
        sentences.append(_lagging_sentence(facts.lagging, facts.lagging_noun))
    sentences.append(_reporting_sentence(facts))
    sentences.append(_people_sentence(facts))
    sentences.append(_money_sentence(facts))
    return tuple(sentence for sentence in sentences if sentence)[:MAX_SENTENCES]
