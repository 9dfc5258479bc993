"""Generate the demo network and write it to an empty database in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from skills_roadmap.demo.calendar import DEMO_LAST_PERIOD
from skills_roadmap.demo.checks import progress_violations, validate_network
from skills_roadmap.demo.facilities import generate_facilities
from skills_roadmap.demo.layout import EuSize, eu_layout, network_layout
from skills_roadmap.demo.programmes import PROGRAMME_COLUMNS, generate_programmes
from skills_roadmap.demo.progress import simulate_progress
from skills_roadmap.demo.targets import calibrate_targets
from skills_roadmap.exceptions import DatabaseError
from skills_roadmap.i18n.words import _
from skills_roadmap.storage.bulk import insert_frame
from skills_roadmap.storage.database import require_initialised, session_scope
from skills_roadmap.storage.status import first_table_with_rows
from skills_roadmap.text import counted

Scale = Literal["network", "eu"]
Report = Callable[[str], None]

REGION_COLUMNS = ["code", "name", "country", "lat", "lon", "adults"]
# Tables the demo fills; any row in them means the database is already in use.
OCCUPIED_TABLES = ("regions", "clusters", "programmes")


@dataclass(frozen=True)
class DemoSummary:
    """How many objects of each kind the demo wrote."""

    regions: int
    clusters: int
    programmes: int
    targets: int
    progress_rows: int
    facilities: int


@dataclass(frozen=True)
class DemoTables:
    """One generated demo network, each frame shaped like the table it is written to."""

    seed: int
    scale: Scale
    regions: pd.DataFrame
    clusters: pd.DataFrame
    cluster_regions: pd.DataFrame
    programmes: pd.DataFrame
    progress: pd.DataFrame
    targets: pd.DataFrame
    target_milestones: pd.DataFrame
    facilities: pd.DataFrame

    def summary(self) -> DemoSummary:
        return DemoSummary(
            regions=len(self.regions),
            clusters=len(self.clusters),
            programmes=len(self.programmes),
            targets=len(self.targets),
            progress_rows=len(self.progress),
            facilities=len(self.facilities),
        )


def generate_demo(
    seed: int = 7, scale: Scale = "network", eu_size: EuSize | None = None
) -> DemoTables:
    """The demo network as DataFrames, without touching a database.

    The same ``seed`` and ``scale`` always give identical frames: every random draw comes
    from ``numpy.random.default_rng([seed, stage])`` and nothing depends on today's date.
    The network scale (14 regions, 33 clusters, about 200 programmes) passes every object
    through the domain models; both scales check the progress invariants vectorised.

    Args:
        seed: Random seed.
        scale: ``"network"`` for the demo users see, ``"eu"`` for benchmarks.
        eu_size: Size of the EU scale (default: all 242 regions); tests pass a smaller one.

    Raises:
        RuntimeError: When the generator broke an invariant of the progress contract (a bug).
    """
    layout = network_layout() if scale == "network" else eu_layout(seed, eu_size or EuSize())
    programmes = generate_programmes(layout, seed)
    progress = simulate_progress(programmes, seed)
    problems = progress_violations(progress, programmes)
    if problems:
        raise RuntimeError(f"the demo generator broke the progress rules: {'; '.join(problems)}")
    targets, milestones = calibrate_targets(layout, programmes, progress, seed)
    tables = DemoTables(
        seed=seed,
        scale=scale,
        regions=layout.regions[REGION_COLUMNS],
        clusters=layout.clusters,
        cluster_regions=layout.cluster_regions,
        programmes=programmes[PROGRAMME_COLUMNS],
        progress=progress,
        targets=targets,
        target_milestones=milestones,
        facilities=generate_facilities(layout, seed),
    )
    if scale == "network":
        validate_network(
            tables.regions,
            tables.clusters,
            tables.cluster_regions,
            tables.programmes,
            tables.targets,
            tables.target_milestones,
            tables.facilities,
        )
    return tables


def write_demo(engine: Engine, tables: DemoTables, progress: Report | None = None) -> DemoSummary:
    """Write ``tables`` into an empty, migrated database as a single transaction.

    Records ``demo_seed``, ``demo_scale`` and ``demo_last_period`` in ``schema_info`` so
    anyone can tell a demo database from real data.

    Raises:
        DatabaseError: The database is not initialised or already holds data.
    """
    report = progress or _silent
    require_initialised(engine)
    summary = tables.summary()
    with session_scope(engine, write=True) as session:
        _refuse_if_occupied(session)
        report(
            _(
                "writing {regions}, {clusters} and {programmes}…",
                regions=counted(summary.regions, "region"),
                clusters=counted(summary.clusters, "cluster"),
                programmes=counted(summary.programmes, "programme"),
            )
        )
        insert_frame(session, "regions", tables.regions)
        insert_frame(session, "clusters", tables.clusters)
        insert_frame(session, "cluster_regions", tables.cluster_regions)
        insert_frame(session, "programmes", tables.programmes)
        report(_("writing {rows}…", rows=counted(summary.progress_rows, "progress row")))
        insert_frame(session, "progress", tables.progress)
        report(
            _(
                "writing {targets} and {facilities}…",
                targets=counted(summary.targets, "target"),
                facilities=counted(summary.facilities, "facility", "facilities"),
            )
        )
        insert_frame(session, "targets", tables.targets)
        insert_frame(session, "target_milestones", tables.target_milestones)
        insert_frame(session, "facilities", tables.facilities)
        insert_frame(
            session,
            "schema_info",
            pd.DataFrame(
                {
                    "key": ["demo_seed", "demo_scale", "demo_last_period"],
                    "value": [str(tables.seed), tables.scale, DEMO_LAST_PERIOD],
                }
            ),
        )
    return summary


def build_demo(
    engine: Engine,
    *,
    seed: int = 7,
    scale: Scale = "network",
    progress: Report | None = None,
) -> DemoSummary:
    """Fill an empty database with the deterministic synthetic demo network.

    The same seed gives byte-identical database contents: the demo's calendar is fixed
    (2024-01 to ``DEMO_LAST_PERIOD`` = 2026-10) rather than relative to today. ``scale="eu"``
    writes every EU NUTS-2 region, about 2,000 clusters, 69,000 programmes and 1.6 million
    progress rows for benchmarks (about 20 s and 170 MB on SQLite).

    Args:
        engine: A migrated database (``skills-roadmap init``) without regions or programmes.
        seed: Random seed.
        scale: ``"network"`` (about 200 programmes) or ``"eu"``.
        progress: Called with short messages while the demo is built, e.g. for the CLI.

    Raises:
        DatabaseError: The database is not initialised or already holds data.
    """
    report = progress or _silent
    require_initialised(engine)
    with session_scope(engine) as session:
        _refuse_if_occupied(session)
    report(_("generating the {scale} demo (seed {seed})…", scale=scale, seed=str(seed)))
    return write_demo(engine, generate_demo(seed, scale), report)


def _refuse_if_occupied(session: Session) -> None:
    table = first_table_with_rows(session, OCCUPIED_TABLES)
    if table is not None:
        raise DatabaseError(
            "the database already holds data; use a new database: set "
            "SKILLS_ROADMAP_DATABASE_URL to an empty one and run `skills-roadmap init` "
            f"(table {table} already has rows)"
        )


def _silent(_message: str) -> None:
    """A progress callback that shows nothing."""
