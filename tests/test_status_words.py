"""One set of status words and icons for pages and reports, in ``skills_roadmap.status_words``."""

from __future__ import annotations

import ast
import doctest
from pathlib import Path

import pytest

from dashboard.components.status import status_badge
from skills_roadmap import status_words as module
from skills_roadmap.analysis.status import Status
from skills_roadmap.reports.columns import Kind
from skills_roadmap.reports.html import cell
from skills_roadmap.status_words import NO_STATUS, STATUS_ICONS, status_words

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT / "src" / "skills_roadmap" / "status_words.py"


def test_every_status_reads_as_its_icon_and_words() -> None:
    assert [status_words(status) for status in Status] == [
        "✔ On track",
        "▲ At risk",
        "✖ Off track",
    ]


@pytest.mark.parametrize("value", [None, float("nan"), "", "unknown", 1])
def test_anything_but_a_status_reads_as_no_target(value: object) -> None:
    assert status_words(value) == NO_STATUS


@pytest.mark.parametrize("status", list(Status))
def test_the_dashboard_and_the_report_show_the_same_words(status: Status) -> None:
    badge = status_badge(status.value)

    assert badge.children == status_words(status.value)
    assert f">{status_words(status.value)}</span>" in cell(status.value, Kind.STATUS)


def test_the_examples_in_the_docstrings_run() -> None:
    result = doctest.testmod(module)

    assert (result.attempted, result.failed) == (2, 0)


def shown_strings(path: Path) -> list[str]:
    """The string literals of a Python file, docstrings and other bare strings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bare = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in bare
    ]


def spells_a_status(text: str) -> bool:
    """Whether ``text`` is a status's words, an icon on its own, or an icon with the words."""
    labels = {status.label for status in Status}
    return (
        text.strip() in labels
        or text.strip() in STATUS_ICONS.values()
        or any(f"{icon} {status.label}" in text for status, icon in STATUS_ICONS.items())
    )


def test_no_other_module_spells_a_status() -> None:
    sources = sorted((ROOT / "src").rglob("*.py")) + sorted((ROOT / "dashboard").rglob("*.py"))
    found = {
        str(path.relative_to(ROOT)): spelled
        for path in sources
        if path != HOME
        and (spelled := [text for text in shown_strings(path) if spells_a_status(text)])
    }

    assert found == {}


def test_the_check_finds_a_status_spelled_in_a_module() -> None:
    assert [text for text in shown_strings(HOME) if spells_a_status(text)] == [
        "✔",
        "▲",
        "✖",
        "On track",
        "At risk",
        "Off track",
    ]
