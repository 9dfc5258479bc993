"""One programme reporting a month before the others moves nothing: the default as-of month,
every status and run rate stay; the API and the command line name the provisional month with
its completeness, and show it only when it is picked."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from upload_helpers import progress_csv

from dashboard.app import create_app
from skills_roadmap.analysis import load_frames
from skills_roadmap.analysis.filters import Filters
from skills_roadmap.analysis.periods import month_to_period
from skills_roadmap.cli import app as cli_app
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.ingest import commit_upload
from skills_roadmap.settings import Settings, get_settings
from skills_roadmap.storage import make_engine

QUERIES = ["", "region=ES24", "cluster=aragon-ai&level=basic", "funding=ERDF"]


def summaries(database: Path) -> dict[str, dict[str, Any]]:
    """``/api/v1/summary`` of each query, from a new app on ``database`` (log-in off)."""
    engine = make_engine(f"sqlite:///{database}")
    settings = Settings(database_url=f"sqlite:///{database}", auth_enabled=False)
    client = create_app(settings, engine).server.test_client()
    answers = {query: client.get(f"/api/v1/summary?{query}") for query in QUERIES}
    engine.dispose()
    assert [answer.status_code for answer in answers.values()] == [200] * len(QUERIES)
    return {query: answer.get_json() for query, answer in answers.items()}


def trend_lines(database: Path) -> dict[str, str]:
    """The overview trend's lines, by name, with the last month each one draws a number at."""
    engine = make_engine(f"sqlite:///{database}")
    settings = Settings(database_url=f"sqlite:///{database}", auth_enabled=False)
    application = create_app(settings, engine)
    from dashboard.components.sections import trend_for  # registered once an app exists

    with application.server.test_request_context("/_dash-update-component", method="POST"):
        figure = trend_for(Filters(), {}).figure
    engine.dispose()
    assert figure is not None
    return {
        trace.name: str(max(x for x, y in zip(trace.x, trace.y, strict=True) if y == y))[:7]
        for trace in figure.data
    }


def test_one_early_report_moves_no_number_and_is_named_provisional(
    demo_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "demo.sqlite"
    shutil.copy(demo_database, database)
    engine = make_engine(f"sqlite:///{database}")
    frames = load_frames(engine)
    assert frames.as_of is not None and frames.default_as_of == frames.as_of
    next_month = month_to_period(frames.as_of + 1)
    running = frames.programmes[frames.programmes["end_month"] > frames.as_of]
    programme = str(running["programme_id"].iloc[0])
    before = summaries(database)

    year, month = map(int, next_month.split("-"))
    sheet = progress_csv([(programme, next_month, 40, 35, "", "", "", "", "")])
    result = commit_upload(
        engine, sheet, "early.csv", today=date(year + month // 12, month % 12 + 1, 2)
    )
    assert result.outcome is UploadOutcome.COMMITTED, result.message
    after = summaries(database)

    due = len(running[running["start_month"] <= frames.as_of + 1])
    for query in QUERIES:
        provisional = after[query].pop("provisional")
        assert after[query] == before[query], query
        assert provisional == {
            "period": next_month,
            "completeness": pytest.approx(1 / due),
            "reported": 1,
            "due": due,
        }
    assert all("provisional" not in answer for answer in before.values())
    deadline = f"{frames.targets['deadline_year'].max()}-12"
    lines = trend_lines(database)
    trajectories = {name: month for name, month in lines.items() if name.endswith("trajectory")}
    assert {name: month for name, month in lines.items() if name not in trajectories} == {
        f"{level}: {line}": month
        for level in ("Basic", "Intermediate", "Expert")
        for line, month in [("achieved", before[""]["as_of"]), ("provisional", next_month)]
    }
    assert set(trajectories.values()) == {deadline}

    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", f"sqlite:///{database}")
    get_settings.cache_clear()
    printed = CliRunner().invoke(cli_app, ["summary", "--json"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout)["as_of"] == before[""]["as_of"]
    picked = CliRunner().invoke(cli_app, ["summary", "--json", "--as-of", next_month])
    assert json.loads(picked.stdout)["as_of"] == next_month
    engine.dispose()
