"""Each card's number is computed once per data version, and a number that reads only the
network (not progress) once per network and month shown: counted calls, not timings."""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from ingest_helpers import TODAY, add_network
from sqlalchemy import Engine
from upload_helpers import progress_csv

from dashboard.app import create_app
from dashboard.context import app_context
from dashboard.data import LiveData
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.ingest import commit_upload
from skills_roadmap.settings import Settings

WAIT_S = 30
MARCH = [("ARA-1", "2025-03", 12, 10), ("ARA-2", "2025-03", 5, 4), ("CLJ-1", "2025-03", 3, 2)]
# Where each card's analysis function is looked up when a page computes it (the page
# modules are imported by the app, once it exists).
READS_PROGRESS = {
    "headline": "dashboard.data",
    "overview": "dashboard.components.kpi",
    "trained_by_helix": "dashboard.pages.overview",
    "region_cluster_matrix": "dashboard.components.matrix",
    "peers": "dashboard.pages.region",
}
READS_NETWORK = {
    "cluster_helix_roles": "dashboard.pages.overview",
    "ambition_gap": "dashboard.pages.overview",
    "facility_slippage": "dashboard.components.sections",
}
PAGES = ("/", "/region/ES24")


def commit(engine: Engine, rows: list[tuple[str, str, int, int]], name: str) -> None:
    lines = [(p, period, e, c, "", "", "", "", "") for p, period, e, c in rows]
    result = commit_upload(engine, progress_csv(lines), name, today=TODAY)
    assert result.outcome is UploadOutcome.COMMITTED, result.message


@pytest.fixture
def counted(client: tuple[FlaskClient, LiveData], monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each card's analysis function ran in ``client``'s app."""
    calls: Counter[str] = Counter()

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted_function(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return function(*args, **kwargs)

        return counted_function

    for name, module_name in (READS_PROGRESS | READS_NETWORK).items():
        module = importlib.import_module(module_name)
        monkeypatch.setattr(module, name, counting(name, getattr(module, name)))
    return calls


@pytest.fixture
def client(engine: Engine) -> Iterator[tuple[FlaskClient, LiveData]]:
    """A dashboard on the small network with March reported, and its data source."""
    add_network(engine)
    commit(engine, MARCH, "march.csv")
    app = create_app(Settings(data_refresh_seconds=0), engine)
    source = app_context(app.server).data
    assert isinstance(source, LiveData)
    yield app.server.test_client(), source
    assert source.wait_until_refreshed(timeout=WAIT_S)


def open_pages(client: FlaskClient) -> None:
    """Each page as a browser first asks for it: its layout, cards drawn on the server."""
    for path in PAGES:
        response = client.get("/_dash-layout", headers={"Referer": f"http://localhost{path}"})
        assert response.status_code == 200


def taken_in(source: LiveData) -> None:
    """The new data version noticed, as a request's first look does, and its refresh waited
    for (before any page is asked for: none is drawn on the old snapshot meanwhile)."""
    before = source.snapshot
    source.current_snapshot()  # answered at once; the refresh starts in the background
    assert source.wait_until_refreshed(timeout=WAIT_S)
    assert source.current_snapshot() is not before


def test_a_page_request_recomputes_no_card_while_the_data_version_is_unchanged(
    client: tuple[FlaskClient, LiveData], counted: Counter[str]
) -> None:
    web, _source = client
    open_pages(web)
    first = dict(counted)
    open_pages(web)
    open_pages(web)

    assert set(first) == set(READS_PROGRESS) | set(READS_NETWORK)  # each card drawn
    assert dict(counted) == first


def test_after_a_progress_upload_only_the_cards_that_read_progress_are_computed_again(
    client: tuple[FlaskClient, LiveData], counted: Counter[str]
) -> None:
    """A changed March value: the network and the month shown stay as they were."""
    web, source = client
    open_pages(web)
    first = dict(counted)
    commit(source.engine, [("ARA-1", "2025-03", 13, 10)], "correction.csv")
    taken_in(source)
    counted.clear()
    open_pages(web)
    open_pages(web)

    assert dict(counted) == {name: first[name] for name in READS_PROGRESS}


def test_a_new_month_shown_computes_the_network_cards_of_that_month_once(
    client: tuple[FlaskClient, LiveData], counted: Counter[str]
) -> None:
    """April reported by every programme becomes the month shown: the facilities as of it
    are computed anew (and the other network cards, keyed by the month, once more too)."""
    web, source = client
    open_pages(web)
    first = dict(counted)
    april = [(programme, "2025-04", enrolled, 0) for programme, _, enrolled, _ in MARCH]
    commit(source.engine, april, "april.csv")
    taken_in(source)
    counted.clear()
    open_pages(web)
    open_pages(web)

    assert source.frames().as_of_period == "2025-04"
    assert dict(counted) == first
