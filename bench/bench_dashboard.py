"""Benchmark of the dashboard on the EU-scale demo network (``make bench``).

Measures, in one run:

* the server time of the filter callbacks (every callback of the overview and the region
  page that redraws a chart when the selection changes) over random filter combinations,
  beside the same analysis call made directly, so the dashboard's own share is visible, and
  the same selections read in the other languages beside English (switching language must
  cost a callback nothing measurable);
* the first full render of the overview in headless chromium on a warm server, until every
  chart is drawn;
* the bytes the browser receives per page, data (layout and callbacks) apart from the
  JavaScript and CSS bundles, which the browser caches across pages and visits.

Prints a markdown table and exits with status 1 when a limit is missed.

    python -m bench.bench_dashboard [--database FILE] [--combinations N]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from plotly.io.json import to_json_plotly

from bench.bench_analysis import ensure_database
from bench.table import VERDICTS, print_table
from skills_roadmap.analysis import (
    Filters,
    Frames,
    ambition_gap,
    apply_filters,
    attainment_trend,
    cluster_helix_roles,
    contribution,
    facility_slippage,
    funnel,
    inclusion,
    money,
    month_to_period,
    overview,
    peers,
    region_cluster_matrix,
    reporting_completeness,
    trained_by_helix,
)
from skills_roadmap.analysis.headline import headline
from skills_roadmap.i18n import DEFAULT_LANGUAGE, LANGUAGES, use_language

DEFAULT_DATABASE = Path("data") / "local" / "bench" / "eu.sqlite"
CALLBACK_P95_LIMIT_MS = 150.0
LANGUAGE_RATIO_LIMIT = 1.1  # "no measurable time": within the noise of a shared machine
FIRST_RENDER_LIMIT_S = 2.0
PAGE_DATA_LIMIT_MB = 2.0
LEVELS = ("basic", "intermediate", "expert")
# The page's server round trips: the app layout (which holds the opened page) and callbacks.
ROUND_TRIPS_JS = """(() => {
    const entries = performance.getEntriesByType('resource');
    const layout = entries.find(entry => entry.name.endsWith('/_dash-layout'));
    const callbacks = entries.filter(entry => entry.name.includes('_dash-update-component'));
    return [layout ? layout.duration : 0, callbacks.length];
})()"""
DELIVERY = ("online", "in-person", "blended")
HELICES = ("industry", "academia", "public", "society")


@dataclass(frozen=True)
class Row:
    """One line of the result table."""

    name: str
    value: str
    ratio: str = "–"
    limit: str = "–"
    passed: bool | None = None

    def markdown(self) -> str:
        verdict = VERDICTS[self.passed]
        return f"| {self.name} | {self.value} | {self.ratio} | {self.limit} | {verdict} |"


@dataclass(frozen=True)
class Probe:
    """A filter callback and the analysis call it makes, for the same selection."""

    name: str
    page: str
    callback: Callable[[dict[str, Any], dict[str, Any]], Any]
    direct: Callable[[Frames, Filters], Any]
    limited: bool = True  # counted in the filter callbacks' p95 (the overview and region page)


def random_filters(rng: random.Random, frames: Frames, region: str | None) -> Filters:
    """A selection someone might make: a region or two (or the page's), sometimes a cluster,
    levels, an earlier month, funding sources and a delivery mode."""
    codes = frames.regions["region_code"].astype(str).tolist()
    regions: tuple[str, ...] = (region,) if region else ()
    if not region and rng.random() < 0.5:
        regions = tuple(rng.sample(codes, rng.choice((1, 1, 2))))
    clusters: tuple[str, ...] = ()
    if rng.random() < 0.2:
        pool = frames.clusters
        if regions:
            pool = pool[pool["region_code"].astype(str).isin(regions)]
        if len(pool):
            clusters = (str(pool["cluster_id"].iloc[rng.randrange(len(pool))]),)
    months = np.unique(frames.progress["month"].to_numpy())
    funding = sorted(str(value) for value in frames.programmes["funding_source"].dropna().unique())
    return Filters(
        regions=regions,
        clusters=clusters,
        levels=tuple(rng.sample(LEVELS, rng.randint(1, 2))) if rng.random() < 0.5 else (),
        as_of=month_to_period(int(rng.choice(months[6:]))) if rng.random() < 0.3 else None,
        funding_sources=tuple(rng.sample(funding, rng.randint(1, 2))) if rng.random() < 0.3 else (),
        delivery_modes=(rng.choice(DELIVERY),) if rng.random() < 0.3 else (),
        provider_helices=(rng.choice(HELICES),) if rng.random() < 0.2 else (),
    )


def probes() -> list[Probe]:
    """The filter callbacks of the overview and the region page, with their analysis calls."""
    from dashboard import ids
    from dashboard.components import kpi, sections
    from dashboard.components.chart_card import REDRAWS
    from dashboard.pages import matrix as matrix_page
    from dashboard.pages import overview as overview_page
    from dashboard.pages import region as region_page

    def selected(function: Callable[[Frames], Any]) -> Callable[[Frames, Filters], Any]:
        return lambda frames, filters: function(apply_filters(frames, filters))

    def one(
        function: Callable[[dict[str, Any]], Any],
    ) -> Callable[[dict[str, Any], dict[str, Any]], Any]:
        return lambda data, _scope: function(data)

    everyone = lambda frames, filters: peers(  # noqa: E731
        apply_filters(frames, filters.model_copy(update={"regions": (), "clusters": ()}))
    )
    return [
        Probe("headline cards", "both", one(kpi.update_kpis), headline),
        Probe("forecasts", "both", one(kpi.update_forecasts), headline),
        Probe("map", "overview", REDRAWS[ids.MAP], overview),
        Probe("league table", "overview", one(overview_page.update_league), overview),
        Probe("trend", "both", REDRAWS[ids.TREND], selected(attainment_trend)),
        Probe(
            "ambition gap",
            "overview",
            REDRAWS[ids.AMBITION],
            lambda frames, _filters: ambition_gap(frames),
        ),
        Probe(
            "contribution",
            "region",
            REDRAWS[ids.CONTRIBUTION],
            selected(lambda frames: contribution(frames, "cluster_id")),
        ),
        Probe(
            "programmes",
            "region",
            one(sections.update_programmes),
            selected(lambda frames: contribution(frames, "programme_id")),
        ),
        Probe("funnel", "region", REDRAWS[ids.FUNNEL], selected(funnel)),
        Probe(
            "money",
            "region",
            REDRAWS[ids.MONEY],
            selected(lambda frames: money(frames, ("funding_source",))),
        ),
        Probe("inclusion", "region", REDRAWS[ids.INCLUSION], selected(inclusion)),
        Probe(
            "completeness",
            "region",
            REDRAWS[ids.COMPLETENESS],
            selected(reporting_completeness),
        ),
        Probe("facilities", "both", REDRAWS[ids.FACILITIES], selected(facility_slippage)),
        Probe("helix trained", "overview", REDRAWS[ids.HELIX_TRAINED], selected(trained_by_helix)),
        Probe(
            "helix partners", "overview", REDRAWS[ids.HELIX_PARTNERS], selected(cluster_helix_roles)
        ),
        Probe(
            "region's clusters",
            "region",
            region_page.update_region_clusters,
            region_cluster_matrix,
        ),
        # The Regions × clusters page, timed on the overview's selections; a page of its own,
        # so outside the overview and region page's limit.
        Probe(
            "matrix page: heat map",
            "overview",
            REDRAWS[ids.MATRIX],
            region_cluster_matrix,
            limited=False,
        ),
        Probe(
            "matrix page: table",
            "overview",
            one(matrix_page.update_table),
            region_cluster_matrix,
            limited=False,
        ),
        Probe("peers", "region", REDRAWS[ids.PEERS], everyone),
    ]


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(values, share * 100)) if values else float("nan")


def time_callbacks(database: Path, combinations: int, direct_sample: int) -> list[Row]:
    """Server time of each filter callback after a selection change, and of its analysis call."""
    os.environ["SKILLS_ROADMAP_DATABASE_URL"] = f"sqlite:///{database.resolve()}"
    from dashboard.app import create_app
    from dashboard.components.filter_bar import filters_data
    from dashboard.context import app_context
    from skills_roadmap.settings import get_settings

    get_settings.cache_clear()
    app = create_app()
    rng = random.Random(7)
    timings: dict[str, list[float]] = {}
    translated: list[float] = []  # the limited callbacks in another language than English
    others = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
    direct: dict[str, list[float]] = {}
    data = app_context(app.server).data
    frames = data.frames()
    codes = frames.regions["region_code"].astype(str).tolist()
    checks = probes()
    for number in range(combinations):
        page = "overview" if number % 2 == 0 else "region"
        region = rng.choice(codes) if page == "region" else None
        filters = random_filters(rng, frames, region)
        scope = {"regions": [region]} if region else {}
        # The selection is read twice, cold each time, in English and in another language, in
        # a random order: what switching language costs a callback, if anything.
        passes = [DEFAULT_LANGUAGE, others[number % len(others)]]
        rng.shuffle(passes)
        for language in passes:
            data.clear_results()  # a new selection: nothing of it is cached yet
            for probe in checks:
                if probe.page not in (page, "both"):
                    continue
                started = time.perf_counter()
                with app.server.test_request_context(), use_language(language):
                    to_json_plotly(probe.callback(filters_data(filters), scope))
                took = (time.perf_counter() - started) * 1000
                if language == DEFAULT_LANGUAGE:
                    timings.setdefault(probe.name, []).append(took)
                elif probe.limited:
                    translated.append(took)
        for probe in checks:
            if probe.page not in (page, "both"):
                continue
            if number < direct_sample * 2:
                started = time.perf_counter()
                probe.direct(frames, filters)
                direct.setdefault(probe.name, []).append((time.perf_counter() - started) * 1000)
    limited = {probe.name for probe in checks if probe.limited}
    every = [value for name, values in timings.items() if name in limited for value in values]
    all_direct = [value for name, values in direct.items() if name in limited for value in values]
    p95 = percentile(every, 0.95)
    rows = [
        Row(
            f"filter callbacks, p95 over {combinations} selections ({len(every):,} calls)",
            f"{p95:,.0f} ms",
            f"{p95 / percentile(all_direct, 0.95):.2f}× direct p95 "
            f"{percentile(all_direct, 0.95):,.0f} ms",
            f"≤ {CALLBACK_P95_LIMIT_MS:.0f} ms",
            p95 <= CALLBACK_P95_LIMIT_MS,
        ),
        Row(
            f"filter callbacks in the other {len(others)} languages, p95 (same selections)",
            f"{percentile(translated, 0.95):,.0f} ms",
            f"{percentile(translated, 0.95) / p95:.2f}× English p95",
            f"≤ {LANGUAGE_RATIO_LIMIT:.2f}× English",
            percentile(translated, 0.95) <= LANGUAGE_RATIO_LIMIT * p95,
        ),
        Row(
            "filter callbacks, median",
            f"{statistics.median(every):,.0f} ms",
            f"direct median {statistics.median(all_direct):,.0f} ms",
        ),
    ]
    for probe in checks:
        values, baseline = timings.get(probe.name, []), direct.get(probe.name, [])
        if not values:
            continue
        rows.append(
            Row(
                f"· {probe.name} ({probe.page}): p50 / p95",
                f"{percentile(values, 0.5):,.0f} / {percentile(values, 0.95):,.0f} ms",
                f"{percentile(values, 0.95) / percentile(baseline, 0.95):.2f}× direct p95 "
                f"{percentile(baseline, 0.95):,.0f} ms",
            )
        )
    return rows


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(database: Path, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``skills-roadmap serve`` on the database; returns the process and its base URL."""
    port = free_port()
    env = os.environ | {
        "SKILLS_ROADMAP_DATABASE_URL": f"sqlite:///{database.resolve()}",
        "SKILLS_ROADMAP_DATA_DIR": str(data_dir),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "skills_roadmap.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/", timeout=5):
                return process, url
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise TimeoutError("the dashboard did not start within two minutes")


def wait_for_charts(page: Any, timeout_ms: int = 60_000) -> None:
    """Wait until the page is in and every chart card is drawn, maps with their land."""
    from dashboard.components.chart_card import CARDS_DRAWN_JS

    page.wait_for_function(CARDS_DRAWN_JS, timeout=timeout_ms)


def browser_measures(database: Path, data_dir: Path) -> list[Row]:
    """First render of the overview on a warm server, and bytes received per page."""
    from playwright.sync_api import sync_playwright

    from skills_roadmap.analysis import load_frames
    from skills_roadmap.storage import make_engine

    engine = make_engine(f"sqlite:///{database.resolve()}")
    frames = load_frames(engine)
    engine.dispose()
    region = (
        "ES24"
        if (frames.regions["region_code"] == "ES24").any()
        else str(frames.regions["region_code"].iloc[0])
    )
    cluster = str(
        frames.clusters.loc[frames.clusters["region_code"] == region, "cluster_id"].iloc[0]
    )
    pages = {
        "overview": "/",
        "region": f"/region/{region}",
        "cluster": f"/cluster/{cluster}",
        "programmes": "/programmes",
    }
    process, url = start_server(database, data_dir)
    rows: list[Row] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            warm = browser.new_page()
            for path in pages.values():  # loads the frames and fills the server's caches
                warm.goto(url + path)
                if path != "/programmes":
                    wait_for_charts(warm, timeout_ms=600_000)
            warm.close()
            renders, layouts, callbacks = [], [], []
            for _ in range(5):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                started = time.perf_counter()
                page.goto(url + "/")
                wait_for_charts(page)
                renders.append(time.perf_counter() - started)
                layout_ms, callback_count = page.evaluate(ROUND_TRIPS_JS)
                layouts.append(layout_ms / 1000)
                callbacks.append(callback_count)
                context.close()
            rows.append(
                Row(
                    "first full render of the overview, warm server (median / max of 5)",
                    f"{statistics.median(renders):.2f} / {max(renders):.2f} s",
                    limit=f"≤ {FIRST_RENDER_LIMIT_S:.0f} s",
                    passed=max(renders) <= FIRST_RENDER_LIMIT_S,
                )
            )
            rows.append(
                Row(
                    "· of which the layout round trip, the opened page in it (median of 5)",
                    f"{statistics.median(layouts):.2f} s",
                    f"+ {max(callbacks)} callback round trips; the rest is the browser: "
                    "starting Dash, drawing the charts",
                )
            )
            for name, path in pages.items():
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                sizes = {"data": 0, "code": 0}

                def count(request: Any, sizes: dict[str, int] = sizes) -> None:
                    kind = (
                        "code"
                        if "/_dash-component-suites/" in request.url or "/assets/" in request.url
                        else "data"
                    )
                    sizes[kind] += request.sizes()["responseBodySize"]

                page.on("requestfinished", count)
                page.goto(url + path)
                if path == "/programmes":
                    page.wait_for_selector("#programmes-grid .ag-row", timeout=120_000)
                else:
                    wait_for_charts(page)
                page.wait_for_load_state("networkidle")
                megabytes = sizes["data"] / 1e6
                rows.append(
                    Row(
                        f"data received by the browser: {name}",
                        f"{megabytes:.2f} MB",
                        f"+ {sizes['code'] / 1e6:.1f} MB code & styles, cached",
                        f"≤ {PAGE_DATA_LIMIT_MB:.0f} MB",
                        megabytes <= PAGE_DATA_LIMIT_MB,
                    )
                )
                context.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get("SKILLS_ROADMAP_BENCH_DB", DEFAULT_DATABASE)),
        help="EU-scale demo SQLite file (`skills-roadmap demo --scale eu`)",
    )
    parser.add_argument("--combinations", type=int, default=200, help="random selections")
    parser.add_argument(
        "--direct-sample",
        type=int,
        default=50,
        help="selections per page whose analysis calls are also timed directly",
    )
    arguments = parser.parse_args(argv)
    ensure_database(arguments.database)
    rows = time_callbacks(arguments.database, arguments.combinations, arguments.direct_sample)
    with tempfile.TemporaryDirectory() as data_dir:
        rows += browser_measures(arguments.database, Path(data_dir))
    return print_table("Dashboard, EU scale", "beside it", rows)


if __name__ == "__main__":
    sys.exit(main())
