"""The analyst notebooks stay runnable: stored without outputs, executed on the demo database."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["network_overview", "programme_efficiency", "region_deep_dive"]
# Deprecations inside the notebooks fail the run, as they do in the rest of the test suite.
STRICT_WARNINGS = "import warnings\nwarnings.simplefilter('error')"


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def execute(notebook: nbformat.NotebookNode, database: Path, folder: Path) -> None:
    """Run every cell in a fresh kernel that finds the database through the usual setting."""
    notebook.cells.insert(0, nbformat.v4.new_code_cell(STRICT_WARNINGS))
    client = NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute(env=os.environ | {"SKILLS_ROADMAP_DATABASE_URL": f"sqlite:///{database}"})


def outputs_text(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(
        str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def test_the_three_analyst_notebooks_exist() -> None:
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_without_outputs(name: str) -> None:
    code = [cell for cell in read(name).cells if cell.cell_type == "code"]
    assert [(cell.outputs, cell.execution_count) for cell in code] == [([], None)] * len(code)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_uses_only_the_public_analysis_api(name: str) -> None:
    lines = "\n".join(cell.source for cell in read(name).cells if cell.cell_type == "code")
    modules = {
        line.split()[1] for line in lines.splitlines() if line.startswith(("from ", "import "))
    }
    # storage only for get_engine(), which reads the configured database URL
    assert modules <= {"skills_roadmap.analysis", "skills_roadmap.storage", "plotly.express"}


def test_region_notebook_is_parameterised_by_region_code() -> None:
    first = read("region_deep_dive").cells[0]
    assert first.metadata.get("tags") == ["parameters"]
    assert first.source == 'REGION = "ES24"'


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_the_demo_database(name: str, demo_database: Path, tmp_path: Path) -> None:
    notebook = read(name)
    execute(notebook, demo_database, tmp_path)
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert errors == []


@pytest.mark.slow
def test_region_notebook_runs_for_another_region(demo_database: Path, tmp_path: Path) -> None:
    notebook = read("region_deep_dive")
    notebook.cells[0].source = 'REGION = "RO11"'
    execute(notebook, demo_database, tmp_path)
    assert "Nord-Vest" in outputs_text(notebook)
