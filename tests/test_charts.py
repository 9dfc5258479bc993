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
        ("B due", palette.LEVEL_COLOURS["basic"], [10.0]),
        ("intermediate done", palette.LEVEL_COLOURS["intermediate"], [10.0]),
        ("intermediate due", palette.LEVEL_COLOURS["intermediate"], [20.0]),
    ]
    assert figure.layout.template == HOUSE_TEMPLATE
    assert figure.layout.yaxis.title.text == "%"
