"""`skills-roadmap plan` on the demo network: the same plan as the library, as JSON and Excel."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from skills_roadmap.analysis import AnalysisSettings, load_frames
from skills_roadmap.cli import app as cli_app
from skills_roadmap.planning import PlanRequest, plan
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import make_engine


@pytest.fixture
def demo_cli(demo_database: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", f"sqlite:///{demo_database}")
    get_settings.cache_clear()
    return demo_database


def test_plan_json_is_the_librarys_plan_of_the_same_request(demo_cli: Path, tmp_path: Path) -> None:
    workbook = tmp_path / "plan.xlsx"
    printed = CliRunner().invoke(
        cli_app,
        [
            "plan",
            "--region",
            "ES24",
            "--budget",
            "ERDF=2,000,000",
            "--json",
            "--xlsx",
            str(workbook),
        ],
    )
    assert printed.exit_code == 0, printed.output
    data = json.loads(printed.stdout)

    engine = make_engine(f"sqlite:///{demo_cli}")
    settings = AnalysisSettings.from_settings(get_settings())
    frames = load_frames(engine, complete_month_share=settings.complete_month_share)
    expected = plan(frames, PlanRequest(regions=("ES24",), budgets={"ERDF": 2e6}), settings)
    engine.dispose()
    solver_free = {key: value for key, value in data.items() if key != "solver"}
    expected_data = json.loads(json.dumps(expected.to_dict(), allow_nan=False))
    assert solver_free == {key: value for key, value in expected_data.items() if key != "solver"}
    assert data["totals"]["cost"] <= 2e6
    assert data["totals"]["cost"] == pytest.approx(sum(row["cost"] for row in data["rows"]))

    sheets = openpyxl.load_workbook(workbook, read_only=True)
    assert sheets.sheetnames == [
        "Plan",
        "Cohorts",
        "Targets",
        "Budgets",
        "Marginal costs",
        "Programme types",
    ]
    summary = list(sheets["Plan"].iter_rows(min_row=3, max_row=9, max_col=2, values_only=True))
    assert summary[-1] == ("Optimality", data["optimality"])
    assert data["optimality"] == "proven the best plan possible"  # one region: solved exactly
    cohorts = list(sheets["Cohorts"].iter_rows(values_only=True))
    assert len(cohorts) == len(data["rows"]) + 1
    assert [row[7] for row in cohorts[1:]] == [row["cohorts"] for row in data["rows"]]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--budget", "ERDF"],
            "--budget 'ERDF' is not SOURCE=EUR: write e.g. --budget ERDF=2000000",
        ),
        (["--mode", "most-people"], "the most-people mode needs a budget"),
    ],
)
def test_plan_refusals_are_json_under_json(
    demo_cli: Path, options: list[str], message: str
) -> None:
    printed = CliRunner().invoke(cli_app, ["plan", "--json", *options])
    assert printed.exit_code == 1
    assert json.loads(printed.stdout)["error"].startswith(message)


def test_plan_what_ifs_are_the_librarys(demo_cli: Path) -> None:
    printed = CliRunner().invoke(
        cli_app,
        [
            "plan",
            "--region",
            "ES24",
            "--cost-factor",
            "1.5",
            "--completion-factor",
            "0.8",
            "--json",
        ],
    )
    assert printed.exit_code == 0, printed.output
    engine = make_engine(f"sqlite:///{demo_cli}")
    settings = AnalysisSettings.from_settings(get_settings())
    frames = load_frames(engine, complete_month_share=settings.complete_month_share)
    request = PlanRequest(regions=("ES24",), cost_factor=1.5, completion_factor=0.8)
    expected = json.loads(json.dumps(plan(frames, request, settings).to_dict(), allow_nan=False))
    engine.dispose()
    data = json.loads(printed.stdout)
    assert {key: value for key, value in data.items() if key != "solver"} == {
        key: value for key, value in expected.items() if key != "solver"
    }
    plain = plan(frames, PlanRequest(regions=("ES24",)), settings)
    assert data["totals"] != plain.totals  # the what-ifs changed the plan
