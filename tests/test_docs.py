"""Documentation that can rot is checked: every setting is documented, README commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from skills_roadmap.cli import app
from skills_roadmap.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    configuration = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert f"`SKILLS_ROADMAP_{name.upper()}`" in configuration


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make run" in first_block
    assert "make test" in first_block


def test_every_command_in_the_readme_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    mentioned = set(re.findall(r"`skills-roadmap ([a-z-]+)", readme))
    commands = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert mentioned
    assert mentioned <= commands
