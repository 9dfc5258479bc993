"""The overview page in a real browser shows the figures the analysis layer computes."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from skills_roadmap.analysis import load_frames, overview

pytestmark = pytest.mark.browser


def test_overview_shows_the_network_attainment_per_level(
    page: Page, live_server: str, demo_engine: Engine, screenshot_dir: Path
) -> None:
    table = overview(load_frames(demo_engine))
    network = table[table["scope"] == "network"].set_index("level")
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    page.goto(live_server + "/")

    attainments = dict(zip(network.index.astype(str), network["attainment"], strict=True))
    for level in ("basic", "intermediate", "expert"):
        expect(page.locator(f"#kpi-{level}")).to_have_text(
            f"{attainments[level]:.0%}", timeout=20_000
        )
    aragon = table[(table["scope_id"] == "ES24") & (table["level"] == "basic")].iloc[0]
    row = page.locator("#overview-regions tbody tr", has_text="Aragón")
    expect(row).to_contain_text(f"{aragon['attainment'] * 100:.1f}%")
    page.screenshot(path=str(screenshot_dir / "overview.png"), full_page=True)
    assert errors == []
