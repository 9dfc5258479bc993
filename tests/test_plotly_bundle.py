"""The dashboard's own plotly.js bundle: the version the Python figures are written for, and
the trace types the figures use."""

from __future__ import annotations

import re
from pathlib import Path

import plotly

from dashboard.figures.base import BUNDLED_TRACES

BUNDLE = Path(__file__).parents[1] / "dashboard" / "assets" / "plotly" / "plotly-dashboard.min.js"
FULL = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def banner(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        return handle.read(300)


def version(text: str) -> str:
    """The major and minor plotly.js version named in a bundle's first lines (patch
    releases keep the figure format)."""
    found = re.search(r"plotly\.js v(\d+\.\d+)\.\d+", text)
    assert found, "no plotly.js version in the file's first lines"
    return found.group(1)


def test_the_bundle_is_the_plotly_js_version_the_python_package_writes_figures_for() -> None:
    assert version(banner(BUNDLE)) == version(banner(FULL))


def test_the_bundle_holds_every_trace_type_the_figures_may_use() -> None:
    traces = banner(BUNDLE).split(":", 1)[1].split("*/", 1)[0]
    bundled = {name.strip() for name in traces.split(",")} - {"core"} | {"scatter"}
    assert bundled == BUNDLED_TRACES


def test_the_bundle_is_a_fraction_of_the_full_plotly_js() -> None:
    assert BUNDLE.stat().st_size < FULL.stat().st_size / 2
