"""One truth per number: for random selections of the demo network, the headline cards,
``/api/v1/summary``, ``skills-roadmap summary --json`` and the export's ``summary.csv`` give
the same numbers, and these equal a recomputation from the stored rows written here in plain
Python (no pandas, no analysis layer)."""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from typer.testing import CliRunner

from dashboard.components.formats import percent
from skills_roadmap.analysis import AnalysisSettings, Filters, load_frames
from skills_roadmap.analysis.pace import NOT_BEFORE_DEADLINE
from skills_roadmap.cli import app as cli_app
from skills_roadmap.reports import report_content, write_csv_folder
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine

SELECTIONS = 50
LEVELS = ("basic", "intermediate", "expert")
PARAMETERS = {
    "regions": "region",
    "clusters": "cluster",
    "levels": "level",
    "funding_sources": "funding",
    "delivery_modes": "delivery",
}


@dataclass(frozen=True)
class Stored:
    """The demo network's stored rows, as plain tuples and dicts."""

    programmes: dict[str, dict[str, Any]]
    clusters: dict[str, str]  # cluster id -> home region
    targets: list[dict[str, Any]]
    progress: list[dict[str, Any]]

    @classmethod
    def read(cls, path: Path) -> Stored:
        with sqlite3.connect(path) as connection:
            connection.row_factory = sqlite3.Row

            def rows(query: str) -> list[dict[str, Any]]:
                return [dict(row) for row in connection.execute(query)]

            return cls(
                programmes={row["id"]: row for row in rows("SELECT * FROM programmes")},
                clusters={row["id"]: row["region_code"] for row in rows("SELECT * FROM clusters")},
                targets=rows("SELECT * FROM targets"),
                progress=rows("SELECT * FROM progress"),
            )


def random_selections(stored: Stored, count: int, seed: int = 14) -> Iterator[Filters]:
    """Networks, regions, clusters, a cluster with a region it works in, with or without
    levels, funding sources, delivery modes and past months."""
    chance = random.Random(seed)
    programmes = list(stored.programmes.values())
    regions = sorted({p["region_code"] for p in programmes})
    clusters = sorted(stored.clusters)
    funding = sorted({p["funding_source"] for p in programmes})
    modes = sorted({p["delivery_mode"] for p in programmes})
    months = sorted({row["period"] for row in stored.progress})[-24:]
    for number in range(count):
        values: dict[str, Any] = {}
        kind = number % 4
        if kind == 1:
            values["regions"] = tuple(sorted(chance.sample(regions, chance.randint(1, 2))))
        elif kind == 2:
            values["clusters"] = tuple(sorted(chance.sample(clusters, chance.randint(1, 2))))
        elif kind == 3:
            programme = chance.choice(programmes)
            values["clusters"] = (programme["cluster_id"],)
            values["regions"] = (programme["region_code"],)
        if chance.random() < 0.3:
            values["levels"] = tuple(sorted(chance.sample(LEVELS, chance.randint(1, 2))))
        if chance.random() < 0.25:
            values["funding_sources"] = (chance.choice(funding),)
        if chance.random() < 0.25:
            values["delivery_modes"] = (chance.choice(modes),)
        if chance.random() < 0.4:
            values["as_of"] = chance.choice(months)
        yield Filters(**values)


def recompute(stored: Stored, filters: Filters) -> list[dict[str, Any]]:
    """Per selected level: headline targets, their sum, achieved and whether a part, by the
    rules of docs/analysis.md, from the stored rows."""
    as_of = filters.as_of or max(row["period"] for row in stored.progress)
    levels = [level for level in LEVELS if not filters.levels or level in filters.levels]
    regions = set(filters.regions)
    clusters = set(filters.clusters)

    def chosen(programme: dict[str, Any]) -> bool:
        return (
            (not regions or programme["region_code"] in regions)
            and (not clusters or programme["cluster_id"] in clusters)
            and programme["level"] in levels
            and (
                not filters.funding_sources
                or programme["funding_source"] in filters.funding_sources
            )
            and (
                not filters.delivery_modes
                or programme["delivery_mode"] in {str(mode) for mode in filters.delivery_modes}
            )
        )

    selected = {id_ for id_, programme in stored.programmes.items() if chosen(programme)}
    own = [t for t in stored.targets if t["scope"] == "cluster" and t["scope_id"] in clusters]
    places: Sequence[str | None]
    if clusters and any(t["level"] in levels for t in own):
        scope, places = "cluster", sorted(clusters)
    elif regions or clusters:
        scope, places = "region", sorted(regions or {stored.clusters[c] for c in clusters})
    else:
        scope, places = "network", [None]
    key = {"cluster": "cluster_id", "region": "region_code", "network": None}[scope]
    year = int(as_of[:4])
    answer = []
    for level in levels:
        picked = []
        for place in places:
            candidates = [
                t
                for t in stored.targets
                if t["scope"] == scope and t["scope_id"] == place and t["level"] == level
            ]
            if not candidates:
                continue
            current = [t for t in candidates if t["deadline_year"] >= year]
            if current:
                target = min(current, key=lambda t: (t["deadline_year"], t["id"]))
            else:
                target = min(candidates, key=lambda t: (-t["deadline_year"], t["id"]))
            covered = {
                id_
                for id_, p in stored.programmes.items()
                if p["level"] == level and (key is None or p[key] == place)
            }
            counted = sum(
                row[target["metric"]] or 0
                for row in stored.progress
                if row["programme_id"] in covered & selected
                and f"{target['baseline_year']}-01" <= row["period"] <= as_of
            )
            picked.append((target, counted, not covered <= selected))
        part = any(in_part for _, _, in_part in picked)
        answer.append(
            {
                "level": level,
                "targets": len(picked),
                "part": part,
                "target": sum(t["value"] for t, _, _ in picked) if picked else None,
                "achieved": (
                    sum(n + (0 if part else t["baseline_value"]) for t, n, _ in picked)
                    if picked
                    else None
                ),
            }
        )
    return answer


def query(filters: Filters) -> list[tuple[str, str]]:
    pairs = [
        (name, str(value))
        for field, name in PARAMETERS.items()
        for value in getattr(filters, field)
    ]
    return pairs + ([("as_of", filters.as_of)] if filters.as_of else [])


def options(filters: Filters) -> list[str]:
    return [f"--{name.replace('_', '-')}={value}" for name, value in query(filters)]


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def same_number(shown: str, value: float | None) -> bool:
    return (shown == "" and value is None) or (
        shown != "" and value is not None and float(shown) == pytest.approx(value)
    )


@pytest.fixture
def client(demo_database: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", f"sqlite:///{demo_database}")
    get_settings.cache_clear()
    from dashboard.app import create_app

    yield create_app().server.test_client()


@pytest.mark.slow  # 50 selections, each through four doors: about half a minute
def test_cards_api_command_and_export_agree_with_a_recomputation_from_stored_rows(
    demo_database: Path, client: FlaskClient, tmp_path: Path
) -> None:
    from dashboard.components import kpi

    stored = Stored.read(demo_database)
    frames = load_frames(get_engine())
    settings = AnalysisSettings.from_settings(get_settings())
    runner = CliRunner()
    kinds = set()
    for number, filters in enumerate(random_selections(stored, SELECTIONS)):
        answer = client.get("/api/v1/summary", query_string=query(filters))
        assert answer.status_code == 200, (filters, answer.get_data(as_text=True))
        api = answer.get_json()
        kinds.add((api["scope"], any(level["part"] for level in api["levels"])))

        printed = runner.invoke(cli_app, ["summary", "--json", *options(filters)])
        assert printed.exit_code == 0, (filters, printed.output)
        assert json.loads(printed.stdout) == api, filters

        expected = recompute(stored, filters)
        assert [
            {name: level[name] for name in ("level", "targets", "part", "target", "achieved")}
            for level in api["levels"]
        ] == expected, filters

        with client.application.test_request_context():
            cards = dict(zip(LEVELS, kpi.kpi_contents(filters), strict=True))
        for level in api["levels"]:
            if level["targets"]:
                assert cards[level["level"]][0] == percent(level["attainment"]), filters

        folder = tmp_path / str(number)
        write_csv_folder(report_content(frames, filters, settings), folder)
        exported = csv_rows(folder / "summary.csv")
        assert [row["level"] for row in exported] == [level["level"] for level in api["levels"]]
        for row, level in zip(exported, api["levels"], strict=True):
            for name in ("targets", "target", "achieved", "expected", "attainment", "run_rate"):
                assert same_number(row[name], level[name]), (filters, name, row[name], level)
            assert (row["status"] or None) == level["status"], filters
            assert (row["forecast"] or None) == level["forecast"], filters
    # The selections met every kind of headline: the network's, regions', clusters', parts.
    assert {scope for scope, _ in kinds} == {"network", "region", "cluster"}
    assert {part for _, part in kinds} == {True, False}


def test_no_level_is_on_track_beside_a_forecast_that_misses_the_deadline(
    client: FlaskClient, demo_database: Path
) -> None:
    """The status rule as a property over many selections and past months."""
    stored = Stored.read(demo_database)
    for filters in random_selections(stored, 40, seed=3):
        for level in client.get("/api/v1/summary", query_string=query(filters)).get_json()[
            "levels"
        ]:
            if level["status"] == "on_track":
                assert level["forecast"] != NOT_BEFORE_DEADLINE, (filters, level)
                assert level["on_time"] == level["targets"], (filters, level)
