"""The executive summary: three to six plain sentences generated from the report's numbers,
in the current language."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from skills_roadmap.analysis.pace import NOT_BEFORE_DEADLINE, REACHED
from skills_roadmap.analysis.status import Status
from skills_roadmap.i18n import N_, PSEUDO_LANGUAGE, current_language, formats, gettext, ngettext
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.languages import DEFAULT_LANGUAGE
from skills_roadmap.text import capitalised

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


ENGLISH = (DEFAULT_LANGUAGE, PSEUDO_LANGUAGE)
"""Languages that write the summary in English's own style: small numbers in words, "62 %"."""
LEVEL_WORDS = {"basic": N_("basic"), "intermediate": N_("intermediate"), "expert": N_("expert")}
METRIC_WORDS = {
    "enrolled": N_("enrolled"),
    "completed": N_("completed"),
    "certified": N_("certified"),
}


def _english() -> bool:
    return current_language() in ENGLISH


def _say(message: str, **values: object) -> str:
    """``message`` (already translated) with ``values`` in, numbers in the language's style."""
    return Message(message).format(**values)


def percent(value: float) -> str:
    """A share as a whole percentage, as the summary writes it: ``62 %`` in English, the
    language's own style otherwise (``62 %`` in French, ``62%`` in Spanish)."""
    return f"{value * 100:.0f} %" if _english() else formats.percent(value)


def count_words(count: int) -> str:
    """Small numbers in words ("two") in English, else digits with thousands separators
    (words would have to agree in gender with their noun)."""
    if _english() and 0 <= count < len(_SMALL_NUMBERS):
        return _SMALL_NUMBERS[count]
    return f"{count:,}" if _english() else formats.number(count)


def euro(amount: float) -> str:
    """An amount in euro, in millions from one million on."""
    if not _english():
        return formats.money(amount, short=True)
    return f"€{amount / 1e6:,.1f} million" if amount >= 1e6 else f"€{amount:,.0f}"


def month_words(period: str) -> str:
    """A ``YYYY-MM`` month as the summary writes it: as it is in English, in words otherwise
    ("junio de 2026")."""
    return period if _english() else formats.month(period)


def level_words(level: object) -> str:
    """A training level in the sentence's language ("basic", "básico")."""
    return gettext(LEVEL_WORDS[str(level)]) if str(level) in LEVEL_WORDS else str(level)


def metric_words(metric: object) -> str:
    """A target's metric in the sentence's language ("completed")."""
    return gettext(METRIC_WORDS[str(metric)]) if str(metric) in METRIC_WORDS else str(metric)


def _uncapitalised(words: str) -> str:
    """``words`` to go mid-sentence: "Off track" → "off track" (only the first letter: a
    German noun keeps its capital)."""
    return words[:1].lower() + words[1:]


def _trajectory(points: float, plural: bool) -> str:
    rounded = round(points)
    if rounded == 0:
        return gettext("on their trajectory") if plural else gettext("on its trajectory")
    count = abs(rounded)
    if rounded > 0 and plural:
        words = ngettext(
            "{points} point behind their trajectory",
            "{points} points behind their trajectory",
            count,
        )
    elif rounded > 0:
        words = ngettext(
            "{points} point behind its trajectory", "{points} points behind its trajectory", count
        )
    elif plural:
        words = ngettext(
            "{points} point ahead of their trajectory",
            "{points} points ahead of their trajectory",
            count,
        )
    else:
        words = ngettext(
            "{points} point ahead of its trajectory",
            "{points} points ahead of its trajectory",
            count,
        )
    return _say(words, points=count)


def _level_sentence(facts: SummaryFacts, row: pd.Series) -> str:
    lead = f"{facts.qualifier}, " if facts.qualifier else ""
    values = {
        "subject": facts.subject,
        "share": percent(row["attainment"]),
        "year": str(int(row["deadline_year"])),
        "level": level_words(row["level"]),
        "achieved": float(row["achieved"]),
        "target": float(row["target"]),
        "metric": metric_words(row["metric"]),
    }
    if row["part"]:  # a contribution: the whole target's status is not this part's to tell
        return capitalised(
            lead
            + _say(
                gettext(
                    "these programmes contributed {achieved:,.0f} people {metric}, {share} of "
                    "{subject}'s {year} {level}-level target of {target:,.0f}."
                ),
                **values,
            )
        )
    status = (
        _uncapitalised(Status(row["status"]).label)
        if pd.notna(row["status"])
        else gettext("not judged yet")
    )
    if facts.plural:
        message = gettext(
            "{subject} have reached {share} of their {year} {level}-level target ({achieved:,.0f} "
            "of {target:,.0f} people {metric}), {trajectory}: {status}."
        )
    else:
        message = gettext(
            "{subject} has reached {share} of its {year} {level}-level target ({achieved:,.0f} "
            "of {target:,.0f} people {metric}), {trajectory}: {status}."
        )
    trajectory = _trajectory(row["points_behind"], facts.plural)
    return capitalised(lead + _say(message, trajectory=trajectory, status=status, **values))


def _forecast_sentence(levels: pd.DataFrame) -> str | None:
    """The forecast of the level furthest behind its trajectory."""
    judged = levels[levels["ratio"].notna()]
    if judged.empty:
        return None
    row = judged.sort_values("ratio", kind="stable").iloc[0]
    level, rate, needed = level_words(row["level"]), row["run_rate"], row["required_run_rate"]
    if row["targets"] > 1:
        return _say(
            gettext(
                "At the recent run rate, {on_time} of the {targets} {level}-level targets will be "
                "reached by their deadline; together they need {needed:,.0f} people a month "
                "against {rate:,.0f} now."
            ),
            on_time=count_words(int(row["on_time"])),
            targets=count_words(int(row["targets"])),
            level=level,
            needed=float(needed),
            rate=float(rate),
        )
    if row["forecast"] == REACHED:
        return gettext("The {level}-level target is already reached.").format(level=level)
    if pd.isna(row["forecast"]) or pd.isna(rate):
        return None
    if row["forecast"] == NOT_BEFORE_DEADLINE:
        return _say(
            gettext(
                "At the recent run rate of {rate:,.0f} people a month, the {level}-level target "
                "will not be reached by the end of {year}; it needs {needed:,.0f} a month from "
                "now on."
            ),
            rate=float(rate),
            level=level,
            year=str(int(row["deadline_year"])),
            needed=float(needed),
        )
    return _say(
        gettext(
            "At the recent run rate of {rate:,.0f} people a month, the {level}-level target "
            "will be reached in {month}."
        ),
        rate=float(rate),
        level=level,
        month=month_words(str(row["forecast"])),
    )


def _regions_sentence(regions: pd.DataFrame) -> str:
    """The regions off track, furthest behind their trajectory first."""
    off = regions[regions["status"] == Status.OFF_TRACK.value].sort_values("ratio", kind="stable")
    total = regions["name"].nunique()
    if off.empty:
        return gettext("None of the {total} regions is off track at any level.").format(
            total=count_words(total)
        )
    levels = off.groupby("name", sort=False)["level"].agg(lambda s: ", ".join(map(level_words, s)))
    named = [f"{name} ({levels_text})" for name, levels_text in levels.items()]
    shown = named[:NAMES_LISTED]
    if len(named) > NAMES_LISTED:
        shown.append(gettext("{count} more").format(count=count_words(len(named) - NAMES_LISTED)))
    if total == 1:
        return gettext("{name} is off track.").format(name=named[0])
    if len(named) == total:
        message = gettext("all {total} regions are off track at one level or more: {names}.")
    else:
        message = ngettext(
            "{count} of the {total} regions is off track at one level or more: {names}.",
            "{count} of the {total} regions are off track at one level or more: {names}.",
            len(named),
        )
    return capitalised(
        message.format(
            count=count_words(len(named)), total=count_words(total), names=formats.listing(shown)
        )
    )


def _lagging_sentence(lagging: pd.DataFrame, noun: str) -> str:
    behind = lagging[lagging["capacity_use"] < 1].sort_values("capacity_use", kind="stable")
    clusters = noun == "cluster"
    if behind.empty:
        if clusters:
            return gettext(
                "Every cluster has enrolled at least the share of its capacity expected by now."
            )
        return gettext(
            "Every programme has enrolled at least the share of its capacity expected by now."
        )
    worst = behind.head(2)
    named = [
        gettext("{name} ({share} of expected)").format(
            name=row["name"], share=percent(row["capacity_use"])
        )
        for _, row in worst.iterrows()
    ]
    if len(named) == 1:
        message = (
            gettext("The cluster furthest behind its expected enrolment is {names}.")
            if clusters
            else gettext("The programme furthest behind its expected enrolment is {names}.")
        )
    else:
        message = (
            gettext("The two clusters furthest behind their expected enrolment are {names}.")
            if clusters
            else gettext("The two programmes furthest behind their expected enrolment are {names}.")
        )
    return message.format(names=formats.listing(named))


def _reporting_sentence(facts: SummaryFacts) -> str:
    as_of = month_words(facts.as_of or "")
    if facts.late_programmes == 0:
        return gettext("Every programme due to report has reported through {month}.").format(
            month=as_of
        )
    message = ngettext(
        "{late} of {due} programmes is late with their monthly reports (as of {month}).",
        "{late} of {due} programmes are late with their monthly reports (as of {month}).",
        facts.late_programmes,
    )
    return capitalised(
        message.format(
            late=count_words(facts.late_programmes),
            due=count_words(facts.due_programmes),
            month=as_of,
        )
    )


def _people_sentence(facts: SummaryFacts) -> str:
    message = ngettext(
        "{enrolled:,.0f} people have enrolled and {completed:,.0f} completed in {programmes} "
        "programme so far.",
        "{enrolled:,.0f} people have enrolled and {completed:,.0f} completed in {programmes} "
        "programmes so far.",
        facts.programmes,
    )
    return _say(
        message,
        enrolled=float(facts.enrolled),
        completed=float(facts.completed),
        programmes=count_words(facts.programmes),
    )


def _money_sentence(facts: SummaryFacts) -> str | None:
    if not facts.budget_eur > 0 or math.isnan(facts.spend_eur):
        return None
    return gettext("Spend so far is {spend}, {share} of the {budget} budget.").format(
        spend=euro(facts.spend_eur),
        share=percent(facts.spend_eur / facts.budget_eur),
        budget=euro(facts.budget_eur),
    )


def executive_summary(facts: SummaryFacts) -> tuple[str, ...]:
    """Three to six sentences: attainment per level, the forecast of the level furthest
    behind, who lags, late reporting, people trained and spend, in that order of importance.

    The same sentences appear in the Excel Summary sheet, the HTML and the PDF report.
    """
    if facts.as_of is None:
        return (
            gettext("No progress has been reported for this selection yet."),
            _say(
                gettext("It holds {programmes:,} programmes and {targets:,} targets."),
                programmes=int(facts.programmes),
                targets=int(facts.targets),
            ),
            gettext("Figures appear once programme managers upload their monthly progress."),
        )
    with_targets = facts.levels[facts.levels["targets"] > 0]
    sentences: list[str | None] = [
        _level_sentence(facts, row) for _, row in with_targets.iterrows()
    ]
    if with_targets.empty:
        sentences.append(gettext("No targets are set for this selection."))
    sentences.append(_forecast_sentence(facts.levels))
    if facts.regions is not None:
        sentences.append(_regions_sentence(facts.regions))
    elif facts.lagging is not None and not facts.lagging.empty:
        sentences.append(_lagging_sentence(facts.lagging, facts.lagging_noun))
    sentences.append(_reporting_sentence(facts))
    sentences.append(_people_sentence(facts))
    sentences.append(_money_sentence(facts))
    return tuple(sentence for sentence in sentences if sentence)[:MAX_SENTENCES]
