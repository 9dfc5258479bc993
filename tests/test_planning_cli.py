"""`skills-roadmap plan` on the demo network: the same plan as the library, as JSON and Excel."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from pseudo_text import escaped_words
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


def test_plan_prints_its_lines_json_sentences_and_workbook_in_the_commands_language(
    demo_cli: Path, tmp_path: Path
) -> None:
    """In the pseudo-language every word the command prints is marked, but for the plan's own
    codes (region, level, type, funding source); the JSON's sentences and the workbook's Plan
    sheet are marked alike, and the JSON's keys and codes stay."""
    workbook = tmp_path / "plan.xlsx"
    options = ["--region", "ES24", "--budget", "ERDF=2000000"]
    printed = CliRunner().invoke(
        cli_app, ["--lang", "en-XA", "plan", *options, "--xlsx", str(workbook)]
    )
    as_json = CliRunner().invoke(cli_app, ["--lang", "en-XA", "plan", *options, "--json"])
    assert (printed.exit_code, as_json.exit_code) == (0, 0), printed.output + as_json.output
    data = json.loads(as_json.stdout)
    header, *rows = printed.stdout.splitlines()
    notes = rows[len(data["rows"]) :]
    rows = rows[: len(data["rows"])]

    assert rows  # ES24 has gaps the budget can close at least in part
    assert (data["mode"], data["optimality"]) == ("least-cost", "⟦prövén thé bést plån pössîblé⟧")
    assert notes == [f"⟦nöté: {words}⟧" for words in data["words"]]
    assert escaped_words(header, [data["mode"]]) == []  # the --mode as typed
    assert [escaped_words(words) for words in data["words"]] == [[]] * len(data["words"])
    keys = ["start", "region_code", "level", "delivery_mode", "provider_helix", "funding_source"]
    for line, row in zip(rows, data["rows"], strict=True):
        # A row: its codes, then numbers and euros in marked words.
        codes, figures = line.split()[:6], " ".join(line.split()[6:])
        assert codes == [str(row[key]) for key in keys]
        assert escaped_words(figures) == [], line
    sheet = openpyxl.load_workbook(workbook, read_only=True).worksheets[0]
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert [cell for cell in cells if escaped_words(str(cell))] == []
