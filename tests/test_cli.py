"""The `skills-roadmap` command, run as a user runs it: a subprocess with environment settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"SKILLS_ROADMAP_DATA_DIR": str(tmp_path / "data")} | env
    return subprocess.run(
        [sys.executable, "-m", "skills_roadmap.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("command", ["init", "demo", "serve", "status"])
def test_every_command_has_help(command: str, tmp_path: Path) -> None:
    result = run_cli(command, "--help", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_init_creates_the_default_sqlite_file_and_can_run_again(tmp_path: Path) -> None:
    first = run_cli("init", tmp_path=tmp_path)
    second = run_cli("init", tmp_path=tmp_path)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert (tmp_path / "data" / "skills_roadmap.sqlite").exists()
    assert "database ready" in second.stdout


def test_status_before_init_says_to_run_init(tmp_path: Path) -> None:
    result = run_cli("status", tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: the database has no tables yet: run `skills-roadmap init` first "
        f"(sqlite:///{tmp_path / 'data' / 'skills_roadmap.sqlite'})"
    ]


def test_status_json_refusal_is_json_on_stdout(tmp_path: Path) -> None:
    result = run_cli("status", "--json", tmp_path=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "error": "the database has no tables yet: run `skills-roadmap init` first "
        f"(sqlite:///{tmp_path / 'data' / 'skills_roadmap.sqlite'})",
        "exit_code": 1,
    }


def test_unreachable_database_is_one_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    result = run_cli(
        "status",
        tmp_path=tmp_path,
        SKILLS_ROADMAP_DATABASE_URL="postgresql+psycopg://nobody:pw@127.0.0.1:9/none",
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: cannot reach the database at postgresql+psycopg://")
    assert "Traceback" not in result.stderr


def test_a_postgresql_url_without_the_driver_says_to_install_the_extra(tmp_path: Path) -> None:
    shadow = tmp_path / "without_psycopg"
    shadow.mkdir()
    # Found before the installed driver: importing it fails as if it were not installed.
    (shadow / "psycopg.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'psycopg'\", name='psycopg')\n"
    )
    result = run_cli(
        "status",
        tmp_path=tmp_path,
        SKILLS_ROADMAP_DATABASE_URL="postgresql+psycopg://user:pw@127.0.0.1/roadmap",
        PYTHONPATH=os.pathsep.join([str(shadow), os.environ.get("PYTHONPATH", "")]),
    )
    assert (result.returncode, result.stderr.splitlines()) == (
        1,
        [
            "error: the database URL is a PostgreSQL one but its driver is not installed: "
            "pip install 'skills-roadmap[postgresql]'"
        ],
    )


def test_invalid_setting_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    result = run_cli("status", tmp_path=tmp_path, SKILLS_ROADMAP_PORT="eighty")
    assert result.returncode == 1
    assert result.stderr.startswith("error: invalid configuration: SKILLS_ROADMAP_PORT:")


def test_demo_then_status_reports_the_network(tmp_path: Path) -> None:
    assert run_cli("init", tmp_path=tmp_path).returncode == 0
    demo = run_cli("demo", "--seed", "3", tmp_path=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "demo network loaded" in demo.stdout

    status = json.loads(run_cli("status", "--json", tmp_path=tmp_path).stdout)
    assert status["programmes"] >= 150
    assert status["latest_period"] == "2026-10"
    assert [level["level"] for level in status["levels"]] == ["basic", "intermediate", "expert"]
    assert all(level["completed"] > 0 for level in status["levels"])

    again = run_cli("demo", "--if-empty", tmp_path=tmp_path)
    assert again.returncode == 0
    assert "already holds data" in again.stdout
    refused = run_cli("demo", tmp_path=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: ")
