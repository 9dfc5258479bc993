"""Spreadsheets written by other tools (tests/fixtures/corpus, from other libraries' public test
suites) through `skills-roadmap import FILE --dry-run --json`: an exit code of 0, 1 or 2, JSON on
stdout, one line saying why, and never more memory than the parse's limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from skills_roadmap.cli import app
from skills_roadmap.storage import get_engine

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
CLI = [sys.executable, "-m", "skills_roadmap.cli"]
PARSE_MEMORY_MB = 256
runner = CliRunner()

# Each file's exit code and the start of its one-line message. None of them is a progress
# sheet: workbooks are read and refused for what they hold (no header, several sheets), the
# others for what they are, named, with how to save them as .xlsx.
EXPECTED: dict[str, tuple[int, str]] = {
    "calamine-biff5_write.xls": (2, "no header row in the first 10 rows of sheet 'SheetJS'; expec"),
    "calamine-date.ods": (2, "no header row in the first 10 rows of sheet 'Sheet1'; expect"),
    "calamine-date.xls": (2, "no header row in the first 10 rows of sheet 'Sheet1'; expect"),
    "calamine-date.xlsb": (2, "no header row in the first 10 rows of sheet 'Sheet1'; expect"),
    "calamine-date.xlsx": (2, "no header row in the first 10 rows of sheet 'Sheet1'; expect"),
    "calamine-empty_sheet.xlsx": (
        2,
        "no header row in the first 10 rows of sheet 'Sheet1'; expect",
    ),
    "calamine-issue127.ods": (2, "the workbook has 8 visible sheets ('Sheet1', 'Sheet2', 'Shee"),
    "calamine-issue127.xls": (2, "the workbook has 8 visible sheets ('Sheet1', 'Sheet2', 'Shee"),
    "calamine-issue127.xlsb": (2, "the workbook has 8 visible sheets ('Sheet1', 'Sheet2', 'Shee"),
    "calamine-issue127.xlsx": (2, "the workbook has 8 visible sheets ('Sheet1', 'Sheet2', 'Shee"),
    "calamine-issue221.xlsm": (2, "no header row in the first 10 rows of sheet 'Sheet1'; expect"),
    "calamine-issue3.xlsm": (2, "the workbook has 3 visible sheets ('Sheet1', 'Sheet2', 'Shee"),
    "calamine-issue_261.xlsx": (2, "no header row in the first 10 rows of sheet 'Some Sheet'; ex"),
    "calamine-issue_594_dos.ods": (
        2,
        "sheet 'Sheet1' has values as far right as column CFDGSXK (co",
    ),
    "calamine-issue_643_biff5_formula.xls": (
        2,
        "no header row in the first 10 rows of sheet 'SheetJS'; expec",
    ),
    "calamine-issue_666_panic.xlsb": (
        2,
        "no header row in the first 10 rows of sheet 'Sheet1'; expect",
    ),
    "calamine-minimal_package.xlsx": (
        2,
        "no header row in the first 10 rows of sheet 'Sheet1'; expect",
    ),
    "calamine-misc_biff5_parsing.xls": (
        2,
        "the workbook has 11 visible sheets ('Sheet1', 'Sheet2', 'She",
    ),
    "calamine-nonstandard-xml-ns-prefix.xlsx": (
        2,
        "no header row in the first 10 rows of sheet 'Sheet1'; expect",
    ),
    "calamine-number_rows_repeated.ods": (
        2,
        "the workbook has 3 visible sheets ('Sheet1', 'Sheet2', 'Shee",
    ),
    "calamine-single-empty.ods": (
        2,
        "no header row in the first 10 rows of sheet 'Test'; expected",
    ),
    "calamine-strict_iso_paths.xlsx": (
        2,
        "no header row in the first 10 rows of sheet 'ml_out'; expect",
    ),
    "poi-49609.xlsx": (2, "the workbook has 2 visible sheets ('FAM', 'VIC') and none is"),
    "poi-clusterfuzz-POIHSSFFuzzer-4819588401201152.xls": (
        2,
        "the .xls workbook cannot be read (Cannot detect file format)",
    ),
    "poi-clusterfuzz-POIHSSFFuzzer-6137883240824832.xls": (
        2,
        "the file is a damaged Office file (Exceeds the limit (4300 d",
    ),
    "poi-clusterfuzz-POIXSSFFuzzer-5265527465181184.xlsx": (
        2,
        "part _rels/.rels of the workbook is damaged (Bad CRC-32 for ",
    ),
    "poi-clusterfuzz-XLSX2CSVFuzzer-6594557414080512.xlsx": (
        2,
        "the file is a damaged zip archive (File is not a zip file): ",
    ),
    "poi-crash-9bf3cd4bd6f50a8a9339d363c2c7af14b536865c.xlsx": (
        2,
        "the workbook is protected by a password: open it, remove the",
    ),
    "poi-poi-fuzz.xls": (2, "the workbook has 3 visible sheets ('Tabelle1', 'Tabelle2', '"),
    "poi-xlsx-corrupted.xlsx": (2, "the .xlsx workbook cannot be read (Cannot detect file format"),
    "sheetjs-AutoFilter.xlsx": (2, "the workbook has 11 visible sheets ('No Filter', 'Just Filte"),
    "sheetjs-ErrorTypes.csv": (2, "no header row in the first 10 rows of sheet 'Progress'; expe"),
    "sheetjs-ErrorTypes.dif": (2, "this file is a DIF spreadsheet (.dif), which cannot be read "),
    "sheetjs-ErrorTypes.slk": (2, "this file is a SYLK spreadsheet (.slk), which cannot be read"),
    "sheetjs-author_snowman.xls5": (
        2,
        "no header row in the first 10 rows of sheet 'Sheet1'; expect",
    ),
    "sheetjs-column_width.biff5": (
        2,
        "no header row in the first 10 rows of sheet 'Sheet1'; expect",
    ),
    "sheetjs-column_width.htm": (2, "this file is a web page (HTML), not a workbook, which cannot"),
    "sheetjs-column_width.xml": (2, "this file is an Excel 2003 XML spreadsheet (SpreadsheetML), "),
    "sheetjs-crlf.fods": (2, "this file is a flat OpenDocument spreadsheet (.fods), which "),
    "sheetjs-minimal_112.numbers": (
        2,
        "this file is an Apple Numbers spreadsheet, which cannot be r",
    ),
    "sheetjs-write_L1.wks": (2, "this file is a Lotus 1-2-3 worksheet (.wks), which cannot be"),
    "sheetjs-write_L2.wk1": (2, "this file is a Lotus 1-2-3 worksheet (.wk1), which cannot be"),
    "sheetjs-write_L3.wk3": (2, "this file is a Lotus 1-2-3 workbook (.wk3), which cannot be "),
    "sheetjs-write_L45.wk4": (2, "this file is a Lotus 1-2-3 workbook (.wk4), which cannot be "),
    "sheetjs-write_qpdos.wq1": (2, "this file is a Quattro Pro spreadsheet (.wq1), which cannot "),
    "xlrd-Formate.xls": (2, "the workbook has 4 visible sheets ('Blätt1', 'ÖÄÜ', 'Blätt3'"),
    "xlrd-biff4_no_format_no_window2.xls": (
        2,
        "this file is an Excel 4.0 worksheet (1992), which cannot be ",
    ),
    "xlrd-ragged.xls": (2, "the workbook has 3 visible sheets ('Sheet1', 'Sheet2', 'Shee"),
    "xlrd-sample.ods": (2, "no header row in the first 10 rows of sheet 'Sheet1'; expect"),
    "xlrd-sample.xlsb": (2, "no header row in the first 10 rows of sheet 'Sheet1'; expect"),
    "xlrd-sample.xlsx": (2, "no header row in the first 10 rows of sheet 'Sheet1'; expect"),
}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """An initialised, empty database for the whole corpus, and its environment."""
    folder = tmp_path_factory.mktemp("corpus")
    env = {"SKILLS_ROADMAP_DATA_DIR": str(folder), "SKILLS_ROADMAP_PARSE_MEMORY_MB": "256"}
    done = subprocess.run([*CLI, "init"], env=env | _path_env(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    yield env


def _path_env() -> dict[str, str]:
    """This environment without the settings of the test around it."""
    return {key: value for key, value in os.environ.items() if not key.startswith("SKILLS_")}


def test_the_corpus_is_listed_with_its_sources() -> None:
    """Every file has its expected outcome here and its source and licence in the README."""
    files = sorted(p.name for p in CORPUS.iterdir() if p.is_file() and p.name != "README.md")
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert files == sorted(EXPECTED)
    assert [name for name in files if f"| `{name}` |" not in readme] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_file_from_another_tool_gets_an_exit_code_json_and_one_line(
    name: str, database: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in database.items():
        monkeypatch.setenv(key, value)
    get_engine.cache_clear()
    result = runner.invoke(app, ["import", str(CORPUS / name), "--dry-run", "--json"])
    get_engine.cache_clear()
    code, message = EXPECTED[name]
    document = json.loads(result.stdout)
    assert result.exit_code == code
    if code == 2:  # refused: the reason as JSON on stdout and as one line on stderr
        assert document == {"error": document["error"], "exit_code": 2}
        assert document["error"].startswith(message)
        assert "\n" not in document["error"]
        assert result.stderr == f"error: {document['error']}\n"
    else:  # read: the report
        assert {"new", "changed", "unchanged", "errors", "warnings"} <= set(document)


# A denial-of-service .ods, a fuzzed .xls and an Excel 2003 XML file, through the command in
# a process of its own.
SUBPROCESS_SAMPLE = (
    "calamine-issue_594_dos.ods",
    "poi-clusterfuzz-POIHSSFFuzzer-6137883240824832.xls",
    "sheetjs-column_width.xml",
)


@pytest.mark.slow  # a process per file: a few seconds each
def test_the_command_reads_the_corpus_within_the_parse_memory_limit(
    database: dict[str, str], tmp_path: Path
) -> None:
    """The peak memory of the import process and its parse child stays under what the command
    needs for a one-line CSV plus the parse's memory limit."""
    baseline_file = tmp_path / "one.csv"
    baseline_file.write_text("Programme ID,Period,Enrolled,Completed\n", encoding="utf-8")
    baseline, _ = _peak_of_import(baseline_file, database)
    for name in SUBPROCESS_SAMPLE:
        peak, done = _peak_of_import(CORPUS / name, database)
        code, message = EXPECTED[name]
        assert (done["exit_code"], done["stdout"]["error"][: len(message)]) == (code, message)
        assert len(done["stderr"].splitlines()) == 1
        assert peak < baseline + PARSE_MEMORY_MB * 1024, f"{name}: {peak} KB"


DRIVER = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"exit_code": done.returncode, "stdout": json.loads(done.stdout or "null"),
                  "stderr": done.stderr,
                  "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def _peak_of_import(path: Path, env: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """Run the import in a process of its own; the peak resident memory (KB) of that process
    and the children it waited for, and what it printed."""
    command = [sys.executable, "-c", DRIVER, *CLI, "import", str(path), "--dry-run", "--json"]
    done = subprocess.run(
        command, env=env | _path_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return int(report["peak_kb"]), report
