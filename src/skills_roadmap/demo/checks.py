"""Invariant checks of demo data: vectorised for progress rows, pydantic for network objects."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import BaseModel

from skills_roadmap.demo.calendar import DEMO_LAST_PERIOD
from skills_roadmap.demo.programmes import PROGRAMME_COLUMNS
from skills_roadmap.domain import Cluster, Facility, Milestone, Programme, Region, Target

COUNT_COLUMNS = ["enrolled", "completed", "certified", "dropped_out", "women"]


def progress_violations(progress: pd.DataFrame, programmes: pd.DataFrame) -> list[str]:
    """Every rule of the progress-sheet contract that some rows break, with how many rows.

    Checked on whole columns at once (a million rows take about a second): counts and spend
    are not negative, certified ≤ completed, women ≤ enrolled, each period lies inside its
    programme's start..end and not after ``DEMO_LAST_PERIOD``, one row per programme and
    month, the programme exists, and cumulative completed never exceeds cumulative enrolled.
    Works on generated frames and on frames read back from the database (NULL = not
    reported, never a violation).

    Returns:
        One line per broken rule; an empty list when the data is sound.
    """
    problems: list[str] = []

    def check(broken: pd.Series, rule: str) -> None:
        count = int(broken.fillna(False).astype(bool).sum())
        if count:
            problems.append(f"{rule}: {count:,} rows")

    for column in COUNT_COLUMNS:
        check(progress[column] < 0, f"{column} is negative")
    check(progress["spend_eur"] < 0, "spend_eur is negative")
    check(progress["certified"] > progress["completed"], "certified exceeds completed")
    check(progress["women"] > progress["enrolled"], "women exceeds enrolled")

    known = programmes.set_index("id")
    first = pd.to_datetime(known["start"]).dt.strftime("%Y-%m")
    last = pd.to_datetime(known["end"]).dt.strftime("%Y-%m")
    check(~progress["programme_id"].isin(known.index), "programme does not exist")
    check(progress["period"] < progress["programme_id"].map(first), "period before the start")
    check(progress["period"] > progress["programme_id"].map(last), "period after the end")
    check(progress["period"] > DEMO_LAST_PERIOD, f"period after {DEMO_LAST_PERIOD}")
    check(progress.duplicated(["programme_id", "period"]), "programme and period repeated")

    ordered = progress.sort_values(["programme_id", "period"])
    running = ordered.groupby("programme_id", sort=False)[["enrolled", "completed"]].cumsum()
    check(running["completed"] > running["enrolled"], "cumulative completed exceeds enrolled")
    return problems


def validate_network(
    regions: pd.DataFrame,
    clusters: pd.DataFrame,
    cluster_regions: pd.DataFrame,
    programmes: pd.DataFrame,
    targets: pd.DataFrame,
    milestones: pd.DataFrame,
    facilities: pd.DataFrame,
) -> None:
    """Pass every object of the network-scale demo through its domain model.

    Why: the demo is what users see first, so it must obey the same invariants as data
    entered by hand (NUTS codes, ids, end after start, milestones inside the target's years,
    opening dates only for operational facilities, programmes in a region their cluster works
    in). Raises pydantic's ``ValidationError`` on the first broken object, ``ValueError`` on a
    programme outside its cluster's regions.
    """
    _validate(Region, regions[["code", "name", "country", "lat", "lon", "adults"]])
    others = cluster_regions.groupby("cluster_id")["region_code"].agg(tuple).to_dict()
    works_in = {}
    for record in _records(clusters):
        cluster = Cluster.model_validate(
            {
                **record,
                "also_works_in": others.get(record["id"], ()),
                "helix_roles": tuple(record["helix_roles"].split(",")),
            }
        )
        works_in[cluster.id] = cluster.regions
    _validate(Programme, programmes[PROGRAMME_COLUMNS])
    outside = [
        programme_id
        for programme_id, cluster_id, code in programmes[
            ["id", "cluster_id", "region_code"]
        ].itertuples(index=False)
        if code not in works_in[cluster_id]
    ]
    if outside:
        raise ValueError(f"programmes outside their cluster's regions: {', '.join(outside[:5])}")
    by_target: dict[str, list[Milestone]] = {}
    for record in _records(milestones.sort_values(["target_id", "year"])):
        milestone = Milestone(year=record["year"], value=record["value"])
        by_target.setdefault(record["target_id"], []).append(milestone)
    for record in _records(targets):
        Target.model_validate({**record, "milestones": tuple(by_target.get(record["id"], []))})
    _validate(Facility, facilities)


def _validate(model: type[BaseModel], frame: pd.DataFrame) -> None:
    for record in _records(frame):
        model.model_validate(record)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, ``None`` for missing ones."""
    plain = frame.astype(object)
    return plain.where(plain.notna(), None).to_dict("records")  # type: ignore[return-value]
