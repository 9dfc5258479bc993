"""The network workbook on the command line: template, import with its JSON report, export."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from network_helpers import SAMPLE, sheet_values
from typer.testing import CliRunner

from skills_roadmap.cli import app
from skills_roadmap.storage import get_engine

runner = CliRunner()


@pytest.fixture
def database() -> Iterator[None]:
    """The configured database, initialised and empty."""
    get_engine.cache_clear()  # the CLI's engine is cached per URL; this test has its own
    assert runner.invoke(app, ["init"]).exit_code == 0
    yield
    get_engine().dispose()
    get_engine.cache_clear()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.usefixtures("database")
def test_import_json_gives_totals_and_each_sheet(tmp_path: Path) -> None:
    code, out, _ = run("import", str(SAMPLE), "--json")
    report = json.loads(out)
    assert code == 0
    assert {key: report[key] for key in ("kind", "new", "changed", "unchanged", "outcome")} == {
        "kind": "network",
        "new": 63,
        "changed": 0,
        "unchanged": 0,
        "outcome": "committed",
    }
    assert report["sheets"] == [
        {"sheet": "Regions", "kind": "regions", "new": 6, "changed": 0, "unchanged": 0},
        {"sheet": "Clusters", "kind": "clusters", "new": 8, "changed": 0, "unchanged": 0},
        {"sheet": "Programmes", "kind": "programmes", "new": 20, "changed": 0, "unchanged": 0},
        {"sheet": "Targets", "kind": "targets", "new": 21, "changed": 0, "unchanged": 0},
        {"sheet": "Facilities", "kind": "facilities", "new": 8, "changed": 0, "unchanged": 0},
    ]
    code, out, _ = run("import", str(SAMPLE), "--json")
    assert (code, json.loads(out)["outcome"], json.loads(out)["sheets"]) == (0, "duplicate", [])


@pytest.mark.usefixtures("database")
def test_the_exported_network_imports_again_unchanged(tmp_path: Path) -> None:
    assert run("import", str(SAMPLE))[0] == 0
    out_file = tmp_path / "network.xlsx"
    code, out, _ = run("export", "--format", "network", "--out", str(out_file))
    assert (code, out.strip()) == (0, f"network written: {out_file}")
    code, out, _ = run("import", str(out_file), "--dry-run")
    assert code == 0
    assert out.splitlines()[-1] == ("new: 0   changed: 0   unchanged: 63   errors: 0   warnings: 0")
    # the sample's sheets, rows ordered by ID
    exported, sample = sheet_values(out_file.read_bytes()), sheet_values(SAMPLE.read_bytes())
    assert exported.keys() == sample.keys()
    assert exported["Clusters"] == [
        sample["Clusters"][0],
        *sorted(sample["Clusters"][1:], key=lambda row: str(row[0])),
    ]


@pytest.mark.usefixtures("database")
def test_export_of_the_network_takes_no_filter(tmp_path: Path) -> None:
    code, _, err = run(
        "export", "--format", "network", "--out", str(tmp_path / "n.xlsx"), "--region", "ES24"
    )
    assert (code, err) == (
        1,
        "error: --format network exports the whole network: leave out the filters\n",
    )


def test_the_network_template_has_every_sheet_drop_downs_and_examples(tmp_path: Path) -> None:
    out_file = tmp_path / "template.xlsx"
    code, out, _ = run("template", str(out_file), "--kind", "network")
    assert (code, out.strip()) == (0, f"template written: {out_file}")
    workbook = openpyxl.load_workbook(out_file)
    assert workbook.sheetnames == [
        "Instructions",
        "Regions",
        "Clusters",
        "Programmes",
        "Targets",
        "Facilities",
        "Reference",
    ]
    facilities = workbook["Facilities"]
    assert [cell.value for cell in facilities[3]] == [
        "Facility ID",
        "Name",
        "Kind",
        "Region",
        "Cluster ID",
        "Planned opening",
        "Opened",
        "Status",
        "Notes",
    ]
    assert facilities.freeze_panes == "A4"
    assert [cell.value for cell in facilities[2]][:6] == [
        "ES24-F01",
        "Zaragoza AI Ideas Lab",
        "idea generation",
        "ES24",
        "aragon-ai",
        "2025-03",
    ]
    lists = {
        str(rule.sqref): rule.formula1
        for rule in facilities.data_validations.dataValidation
        if rule.type == "list"
    }
    assert lists == {
        "C4:C5003": '"idea generation,demonstration,testing"',
        "D4:D5003": "Regions!$A$4:$A$5003",
        "E4:E5003": "Clusters!$A$4:$A$5003",
        "H4:H5003": '"planned,building,operational"',
    }
    reference = list(workbook["Reference"].iter_rows(values_only=True))
    assert (reference[0], len(reference)) == (
        ("Code", "Name", "Country", "Latitude", "Longitude"),
        243,
    )


@pytest.mark.usefixtures("database")
def test_a_filled_in_template_imports_without_its_examples(tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    assert run("template", str(template), "--kind", "network")[0] == 0
    code, _, err = run("import", str(template), "--dry-run")
    assert (code, err) == (
        2,
        "error: the sheets 'Regions', 'Clusters', 'Programmes', 'Targets', 'Facilities' have "
        "headers but no rows below them: fill in at least one row\n",
    )
    workbook = openpyxl.load_workbook(template)
    workbook["Regions"].append(["SE11"])
    workbook["Regions"].append(["NORDIC", "Nordic Coast", "SE", 59.3, 18.1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(buffer.getvalue())
    code, out, _ = run("import", str(filled), "--json")
    report = json.loads(out)
    assert (code, report["kind"], report["new"], report["new_rows"]) == (
        0,
        "regions",
        2,
        [{"code": "SE11", "row": 4}, {"code": "NORDIC", "row": 5}],
    )


def test_a_progress_template_lists_no_cluster_with_the_network_kind(tmp_path: Path) -> None:
    code, _, err = run(
        "template", str(tmp_path / "t.xlsx"), "--kind", "network", "--cluster", "aragon-ai"
    )
    assert (code, err) == (
        1,
        "error: --cluster lists a cluster's programmes in a progress template only\n",
    )
