"""The EU frames page: the mapping of levels to frames, the basic level against each region's
adults, the specialists toward the 20 million, and the sums per country, for any selection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dash
import pytest
from eu_helpers import frames

from dashboard import ids, strings
from dashboard.app import create_app
from dashboard.components import filter_bar
from skills_roadmap.analysis import Filters


@pytest.fixture
def app() -> Iterator[dash.Dash]:
    application = create_app(frames=frames())
    with application.server.test_request_context("/_dash-update-component", method="POST"):
        yield application


def text(component: Any) -> str:
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(part for part in (text(child) for child in component) if part)
    return text(getattr(component, "children", None))


@pytest.mark.usefixtures("app")
def test_the_page_maps_each_level_and_measures_the_whole_network() -> None:
    from dashboard.pages import eu_frames

    page = text(eu_frames.layout())

    assert "Basic basic digital skills AI literacy of staff DigComp 2.2 levels 1-4" in page
    assert "Expert ICT specialists — DigComp 2.2 levels 7-8" in page
    # Basic: 120 + 90 + 5 people; Alpha One and Two have 1,300 adults, 210 of them reached.
    assert "Basic level: 215 people, 16% of the adults of 2 regions (the goal of 80%: 20%)" in page
    assert (
        "Specialist levels: 37 people, 0.0002% of the Digital Decade's 20 million ICT "
        "specialists" in page
    )


@pytest.mark.usefixtures("app")
def test_a_selection_redraws_every_card_with_its_own_numbers() -> None:
    from dashboard.components.chart_card import REDRAWS
    from dashboard.pages import eu_frames

    selection = filter_bar.filters_data(Filters(regions=("AA12",)))

    reach_title, reach_data, _ = REDRAWS[ids.EU_REACH](selection, {})
    specialists_title, _, _ = REDRAWS[ids.EU_SPECIALISTS](selection, {})
    countries_title, countries_data, _ = eu_frames.redraw_countries(selection, {})

    # 90 / 300 / 0.8 = 0.37499… in floating point: 37%.
    assert (
        reach_title
        == "Basic level: 90 people, 30% of the adults of Alpha Two (the goal of 80%: 37%)"
    )
    assert reach_data["rows"] == [["AA12", "Alpha Two", "AA", 300.0, 90.0, 30.0, 37.5]]
    assert specialists_title.startswith("Specialist levels: 7 people")
    assert countries_title == strings.EU_COUNTRIES_TITLE
    assert countries_data["rows"] == [["AA", 300.0, 90.0, 30.0, 37.5]]


@pytest.mark.usefixtures("app")
def test_regions_without_adults_say_where_to_record_them() -> None:
    from dashboard.components.chart_card import REDRAWS

    selection = filter_bar.filters_data(Filters(regions=("CC33",)))

    title, data, _ = REDRAWS[ids.EU_REACH](selection, {})

    assert title == strings.EU_REACH_NO_ADULTS.format(reached="5")
    assert data["rows"] == [["CC33", "Gamma", "CC", None, 5.0, None, None]]


@pytest.mark.usefixtures("app")
def test_a_frame_picked_selects_the_levels_that_count_toward_it() -> None:
    from dashboard.pages import eu_frames

    selection = filter_bar.filters_data(Filters(regions=("AA11",)))

    assert eu_frames.choose_frame("digital-decade-ict-specialists", selection) == (
        "?region=AA11&level=intermediate&level=expert"
    )
    assert eu_frames.choose_frame("", filter_bar.filters_data(Filters(levels=("basic",)))) == ""
    assert eu_frames.follow_levels(filter_bar.filters_data(Filters(levels=("basic",)))) == (
        "digital-decade-basic-skills"
    )
    assert eu_frames.follow_levels(filter_bar.filters_data(Filters(levels=("expert",)))) == ""
