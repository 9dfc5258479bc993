"""The figures the dashboard and the reports share (``skills_roadmap.charts``)."""

from __future__ import annotations

import doctest

import pandas as pd

from skills_roadmap import palette
from skills_roadmap.charts import trajectory
from skills_roadmap.charts.style import HOUSE_TEMPLATE


def test_the_examples_in_the_docstrings_run() -> None:
    result = doctest.testmod(trajectory)

    assert (result.attempted, result.failed) == (2, 0)


def test_the_trajectory_draws_each_level_in_its_colour_in_the_house_style() -> None:
    sums = pd.DataFrame(
        {
            "level": ["intermediate", "basic"],
            "period": ["2025-01", "2025-01"],
            "target": [10.0, 100.0],
            "achieved": [1.0, 20.0],
            "expected": [2.0, 10.0],
        }
    )
    words = trajectory.TrajectoryWords(
        levels={"basic": "B"}, achieved="{level} done", expected="{level} due", axis="%"
    )

    figure = trajectory.trajectory_figure(trajectory.trajectory_table(sums), words)

    assert [(trace.name, trace.line.color, list(trace.y)) for trace in figure.data] == [
        ("B done", palette.LEVEL_COLOURS["basic"], [20.0]),
        ("intermediate done", palette.LEVEL_COLOURS["intermediate"], [10.0]),
        ("B due", palette.LEVEL_COLOURS["basic"], [10.0]),
        ("intermediate due", palette.LEVEL_COLOURS["intermediate"], [20.0]),
    ]
    assert figure.layout.template == HOUSE_TEMPLATE
    assert figure.layout.yaxis.title.text == "%"


def test_levels_on_the_same_trajectory_share_one_dashed_line() -> None:
    """As a share of the target, targets with the same baseline and deadline have the same
    trajectory: one line named after them all, not one identical line per level."""
    sums = pd.DataFrame(
        {
            "level": ["basic", "expert", "intermediate"],
            "period": ["2025-01"] * 3,
            "target": [100.0, 10.0, 50.0],
            "achieved": [20.0, 1.0, 5.0],
            "expected": [10.0, 1.0, 10.0],
        }
    )
    words = trajectory.TrajectoryWords(
        levels={"basic": "B", "intermediate": "I", "expert": "E"},
        achieved="{level} done",
        expected="{level} due",
        axis="%",
    )

    figure = trajectory.trajectory_figure(trajectory.trajectory_table(sums), words)

    assert [(trace.name, trace.line.dash, list(trace.y)) for trace in figure.data] == [
        ("B done", None, [20.0]),
        ("I done", None, [10.0]),
        ("E done", None, [10.0]),
        ("B, E due", "dash", [10.0]),
        ("I due", "dash", [20.0]),
    ]
    assert figure.data[3].line.color == palette.TRAJECTORY
