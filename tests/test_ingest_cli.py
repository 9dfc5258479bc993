"""`skills-roadmap import` and `skills-roadmap template`: reports, exit codes, files written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from ingest_helpers import add_network
from typer.testing import CliRunner

from skills_roadmap.cli import app
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine, make_engine, session_scope
from skills_roadmap.storage.tables import ProgressRow

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


@pytest.fixture
def database() -> Iterator[None]:
    """The configured database, initialised and holding the small ingestion network."""
    get_engine.cache_clear()  # the CLI's engine is cached per URL; this test has its own
    assert runner.invoke(app, ["init"]).exit_code == 0
    engine = make_engine(get_settings().effective_database_url)
    add_network(engine)
    engine.dispose()
    yield
    get_engine().dispose()
    get_engine.cache_clear()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.usefixtures("database")
def test_dry_run_prints_the_report_and_stores_nothing() -> None:
    code, out, _ = run("import", str(FIXTURES / "progress_valid.xlsx"), "--dry-run")
    assert code == 0
    assert out.splitlines()[:2] == [
        "progress sheet 'Monthly report' in progress_valid.xlsx "
        "(xlsx, header on row 3, 4 data rows)",
        "new: 4   changed: 0   unchanged: 0   errors: 0   warnings: 0",
    ]
    code, out, _ = run("import", str(FIXTURES / "progress_valid.xlsx"), "--dry-run")
    assert "new: 4" in out


@pytest.mark.usefixtures("database")
def test_json_report_has_counts_and_problem_objects_and_exit_1_on_errors() -> None:
    code, out, _ = run("import", str(FIXTURES / "progress_errors.xlsx"), "--dry-run", "--json")
    assert code == 1
    report = json.loads(out)
    # The command line judges "in the future" by today's date, so the counts depend on it.
    assert all(type(report[key]) is int for key in ("new", "changed", "unchanged"))
    assert report["new"] + len(report["errors"]) == 20 and len(report["warnings"]) == 3
    assert {"sheet", "row", "column", "value", "message"} <= set(report["errors"][0])
    assert report["errors"][1] == {
        "severity": "error",
        "sheet": "Progress",
        "row": 2,
        "column": "Programme ID",
        "cell": "A2",
        "value": "NOPE-1",
        "expected": "the ID of an existing programme (the template lists yours)",
        "message": "no programme has this ID",
    }


@pytest.mark.usefixtures("database")
@pytest.mark.parametrize(
    "name",
    [
        "hostile_encrypted.xlsx",
        "hostile_entities.xlsx",
        "hostile_pdf_renamed.xlsx",
        "hostile_empty.csv",
    ],
)
def test_unreadable_file_is_one_line_and_exit_2(name: str) -> None:
    code, out, err = run("import", str(FIXTURES / name), "--dry-run")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")


@pytest.mark.usefixtures("database")
@pytest.mark.parametrize("name", ["hostile_encrypted.xlsx", "hostile_empty.csv", "nothere.xlsx"])
def test_json_refusal_of_a_file_is_json_on_stdout_with_exit_2(name: str) -> None:
    code, out, err = run("import", str(FIXTURES / name), "--dry-run", "--json")
    refusal = json.loads(out)
    assert (code, set(refusal), refusal["exit_code"]) == (2, {"error", "exit_code"}, 2)
    assert err.strip() == f"error: {refusal['error']}"


@pytest.mark.usefixtures("database")
@pytest.mark.parametrize(
    ("name", "user", "error"),
    [
        (
            "programmes.xlsx",
            "maria",
            "only administrators may upload a Programmes sheet; programme managers upload "
            "Progress sheets",
        ),
        ("progress_valid.xlsx", "nobody", "no account is called 'nobody'"),
    ],
)
def test_json_refusal_of_an_upload_is_json_on_stdout_with_exit_1(
    name: str, user: str, error: str
) -> None:
    code, out, _ = run("import", str(FIXTURES / name), "--user", user, "--json")
    refusal = json.loads(out)
    assert (code, refusal["exit_code"]) == (1, 1)
    assert refusal["error"].startswith(error)


@pytest.mark.usefixtures("database")
def test_json_refusal_to_write_the_marked_up_sheet_is_json(tmp_path: Path) -> None:
    target = tmp_path / "no folder" / "marked.xlsx"
    code, out, _ = run(
        "import",
        str(FIXTURES / "progress_errors.xlsx"),
        "--dry-run",
        "--json",
        "--errors",
        str(target),
    )
    assert (code, json.loads(out)) == (
        1,
        {"error": f"cannot write {target}: No such file or directory", "exit_code": 1},
    )


@pytest.mark.usefixtures("database")
def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run("import", str(tmp_path / "nothere.xlsx"))
    assert code == 2
    assert (
        err.strip() == f"error: cannot read {tmp_path / 'nothere.xlsx'}: No such file or directory"
    )


@pytest.mark.usefixtures("database")
def test_import_commits_once_and_then_says_the_file_was_imported() -> None:
    code, out, _ = run("import", str(FIXTURES / "progress_valid.xlsx"), "--user", "maria")
    # maria manages aragon-ai only: the CLJ-1 row is refused and nothing is stored.
    assert code == 1
    assert (
        out.splitlines()[-1] == "nothing stored: the file has 1 error; fix it and upload it again"
    )
    code, out, _ = run("import", str(FIXTURES / "progress_valid.xlsx"))
    assert (code, out.splitlines()[-1]) == (
        0,
        "stored upload #2: 4 new, 0 changed, 0 unchanged rows",
    )
    code, out, _ = run("import", str(FIXTURES / "progress_valid.xlsx"), "--json")
    report = json.loads(out)
    assert code == 0
    assert {key: report[key] for key in ("new", "changed", "unchanged", "errors", "outcome")} == {
        "new": 0,
        "changed": 0,
        "unchanged": 0,
        "errors": [],
        "outcome": "duplicate",
    }


@pytest.mark.usefixtures("database")
def test_unknown_user_is_refused() -> None:
    code, _, err = run("import", str(FIXTURES / "progress_valid.xlsx"), "--user", "nobody")
    assert code == 1
    assert err.startswith("error: no account is called 'nobody'")


@pytest.mark.usefixtures("database")
def test_errors_option_writes_the_annotated_workbook(tmp_path: Path) -> None:
    out_file = tmp_path / "marked.xlsx"
    code, out, _ = run(
        "import", str(FIXTURES / "progress_errors.xlsx"), "--dry-run", "--errors", str(out_file)
    )
    assert code == 1
    assert out.splitlines()[-1] == f"problems marked in {out_file}"
    assert openpyxl.load_workbook(out_file).sheetnames == ["Progress", "Problems"]


@pytest.mark.usefixtures("database")
def test_kind_option_reads_the_sheet_as_that_kind() -> None:
    code, _, err = run(
        "import", str(FIXTURES / "programmes.xlsx"), "--dry-run", "--kind", "targets"
    )
    assert code == 2
    assert "the workbook has 1 visible sheets" not in err
    assert err.startswith("error: no header row in the first 10 rows of sheet 'Programmes'")


@pytest.mark.usefixtures("database")
def test_template_command_writes_the_clusters_template(tmp_path: Path) -> None:
    out_file = tmp_path / "template.xlsx"
    code, out, _ = run("template", str(out_file), "--cluster", "aragon-ai")
    # No progress is stored, so the template is for the calendar month.
    assert (code, out.strip()) == (0, f"template for {date.today():%Y-%m} written: {out_file}")
    sheet = openpyxl.load_workbook(out_file)["Progress"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["ARA-1", "ARA-2"]


@pytest.mark.usefixtures("database")
def test_template_command_defaults_to_the_month_after_the_clusters_last_report(
    tmp_path: Path,
) -> None:
    engine = make_engine(get_settings().effective_database_url)
    with session_scope(engine, write=True) as session:
        session.add(ProgressRow(programme_id="ARA-2", period="2025-03", enrolled=4, completed=0))
    engine.dispose()
    out_file = tmp_path / "template.xlsx"
    code, out, err = run("template", str(out_file), "--cluster", "aragon-ai")
    assert (code, out, err) == (0, f"template for 2025-04 written: {out_file}\n", "")
    sheet = openpyxl.load_workbook(out_file)["Progress"]
    assert [row[:2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("ARA-1", "2025-04"),
        ("ARA-2", "2025-04"),
    ]


@pytest.mark.usefixtures("database")
def test_template_command_for_a_month_without_programmes_says_which_month_to_take(
    tmp_path: Path,
) -> None:
    out_file = tmp_path / "template.xlsx"
    code, out, err = run("template", str(out_file), "--cluster", "aragon-ai", "--month", "2023-05")
    assert (code, out, err) == (
        0,
        f"template for 2023-05 written: {out_file}\n",
        "note: No programme of Aragón AI runs in May 2023; its programmes start in January 2024: "
        "download the template of January 2024 instead.\n",
    )


@pytest.mark.usefixtures("database")
def test_template_command_refuses_a_malformed_month(tmp_path: Path) -> None:
    code, out, err = run("template", str(tmp_path / "t.xlsx"), "--month", "May 2025")
    assert (code, out, err) == (
        1,
        "",
        "error: 'May 2025' is not a month: expected YYYY-MM, e.g. '2025-03'\n",
    )


@pytest.mark.usefixtures("database")
def test_a_refusal_under_json_prints_json_on_stdout_and_one_line_on_stderr() -> None:
    code, out, err = run("import", str(FIXTURES / "hostile_empty.csv"), "--dry-run", "--json")
    assert code == 2
    assert json.loads(out) == {
        "error": "the file is empty: upload the progress workbook itself",
        "exit_code": 2,
    }
    assert err == "error: the file is empty: upload the progress workbook itself\n"


@pytest.mark.usefixtures("database")
def test_a_file_waiting_for_other_files_says_so_on_stderr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With every parse slot taken, import prints one waiting line on stderr; the slots are
    given back once it has, and the file is then read as usual."""
    from skills_roadmap import cli
    from skills_roadmap.ingest.isolation import parse_slots

    concurrency = get_settings().parse_concurrency
    slots = parse_slots(concurrency)
    assert all(slots.acquire(blocking=False) for _ in range(concurrency))
    said = cli.say_when_queued

    def say_and_free(state: str) -> None:
        said(state)
        if state == "queued":
            for _ in range(concurrency):
                slots.release()

    monkeypatch.setattr(cli, "say_when_queued", say_and_free)
    code, out, err = run("import", str(FIXTURES / "progress_valid.xlsx"), "--dry-run")
    assert code == 0
    assert err == "waiting: other files are being read; this one is read next\n"
    assert "new: 4" in out
