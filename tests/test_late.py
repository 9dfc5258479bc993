"""Who is late for a month: the list with its managers, its CSV export, the Upload page's
"Still due" and the region page's "Who has not reported" (callbacks called as functions).

The network is ``late_helpers``': ARA-1 reported March 2025, ARA-2 April; CLJ-1 nothing.
April is the latest month and, in a network only beginning to report, the one shown.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import flask_login
import pandas as pd
import pytest
from ingest_helpers import TODAY
from late_helpers import make_late_network
from sqlalchemy import Engine
from typer.testing import CliRunner
from upload_helpers import configure, progress_csv

from dashboard import strings
from dashboard.app import create_app
from dashboard.auth import AuthUser
from skills_roadmap import audit, users
from skills_roadmap.analysis import Filters, load_frames
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.cli import app as cli_app
from skills_roadmap.ingest import commit_upload
from skills_roadmap.late import cluster_managers, late_list
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine

LATE_CSV_HEADER = (
    "period,programme_id,name,cluster_id,cluster_name,region_code,last_period,managers"
)


@pytest.fixture
def late_network(network_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    yield make_late_network(network_engine, monkeypatch)
    get_engine.cache_clear()


def test_the_late_list_names_each_programme_its_cluster_last_month_and_managers(
    late_network: Engine,
) -> None:
    frames = load_frames(late_network)
    managers = cluster_managers(late_network)

    april = late_list(frames, "2025-04", managers)
    of_cluj = late_list(frames, "2025-04", managers, clusters={"cluj-it"})

    assert april.to_dict("records") == [
        {
            "programme_id": "ARA-1",
            "name": "Programme ARA-1",
            "cluster_id": "aragon-ai",
            "cluster_name": "Aragón AI",
            "region_code": "ES24",
            "last_period": "2025-03",
            "managers": ("maria", "mihai"),
        },
        {
            "programme_id": "CLJ-1",
            "name": "Programme CLJ-1",
            "cluster_id": "cluj-it",
            "cluster_name": "Cluj IT",
            "region_code": "RO11",
            "last_period": None,
            "managers": ("ion", "mihai"),
        },
    ]
    assert of_cluj["programme_id"].tolist() == ["CLJ-1"]


def test_periods_late_prints_each_late_programme_or_that_everyone_due_has_reported(
    late_network: Engine,
) -> None:
    march = CliRunner().invoke(cli_app, ["periods", "late", "2025-03"])
    before_any_start = CliRunner().invoke(cli_app, ["periods", "late", "2023-12"])

    assert (march.exit_code, march.stdout) == (
        0,
        "ARA-2  aragon-ai  last: never  managers: maria, mihai\n"
        "CLJ-1  cluj-it  last: never  managers: ion, mihai\n",
    )
    assert before_any_start.stdout == "Everyone due has reported 2023-12\n"


def test_the_late_list_exports_as_csv_for_a_month_and_a_selection(
    late_network: Engine, tmp_path: Path
) -> None:
    runner = CliRunner()
    everyone = runner.invoke(
        cli_app, ["export", "--format", "late", "--period", "2025-03", "-o", str(tmp_path / "a")]
    )
    romania = runner.invoke(
        cli_app,
        ["export", "--format", "late", "--region", "RO11", "-o", str(tmp_path / "b.csv")],
    )
    wrong = runner.invoke(
        cli_app, ["export", "--format", "csv", "--period", "2025-03", "-o", str(tmp_path / "c")]
    )

    assert (everyone.exit_code, everyone.stdout) == (
        0,
        f"2 programmes not reported 2025-03: {tmp_path / 'a'}\n",
    )
    assert (tmp_path / "a").read_text("utf-8") == (
        f"{LATE_CSV_HEADER}\n"
        "2025-03,ARA-2,Programme ARA-2,aragon-ai,Aragón AI,ES24,,maria; mihai\n"
        "2025-03,CLJ-1,Programme CLJ-1,cluj-it,Cluj IT,RO11,,ion; mihai\n"
    )
    assert romania.exit_code == 0, romania.output  # the month shown by default: April
    assert (tmp_path / "b.csv").read_text("utf-8") == (
        f"{LATE_CSV_HEADER}\n2025-04,CLJ-1,Programme CLJ-1,cluj-it,Cluj IT,RO11,,ion; mihai\n"
    )
    assert wrong.exit_code == 1 and "--period names the month of --format late" in wrong.output
    exports = audit.query(late_network, AuditQuery(action=AuditAction.EXPORT))
    assert [(entry.object, json.loads(entry.detail or "{}")["period"]) for entry in exports] == [
        ("not reported 2025-04 b.csv", "2025-04"),
        ("not reported 2025-03 a", "2025-03"),
    ]


@pytest.fixture
def app(late_network: Engine, monkeypatch: pytest.MonkeyPatch) -> dash.Dash:
    """The dashboard with log-in over the late network."""
    configure(monkeypatch, late_network, auth=True)
    return create_app()


def signed_in_as(engine: Engine, name: str) -> None:
    user = users.get_user(engine, name)
    assert user is not None
    flask_login.login_user(AuthUser.from_user(user))


def texts(component: Any) -> list[str]:
    """Every text of a component tree, in order: what a reader of the page sees."""
    if isinstance(component, str | int | float):
        return [str(component)]
    if isinstance(component, list | tuple):
        return [text for child in component for text in texts(child)]
    children = getattr(component, "children", None)
    return [] if children is None else texts(children)


def test_still_due_lists_only_the_managers_clusters_per_month(
    app: dash.Dash, late_network: Engine
) -> None:
    from dashboard.components import late

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        signed_in_as(late_network, "maria")
        marias = late.show_still_due(None)
        signed_in_as(late_network, "ion")
        ions = late.show_still_due(None)

    heading = strings.STILL_DUE_DEFAULT.format(period="April 2025")
    columns = list(strings.LATE_TABLE_COLUMNS.values())
    assert texts(marias) == [
        heading,
        *columns,
        "ARA-1",
        "Programme ARA-1",
        "Aragón AI",
        "Mar 2025",
        "maria, mihai",
    ]
    assert texts(ions) == [
        heading,
        *columns,
        "CLJ-1",
        "Programme CLJ-1",
        "Cluj IT",
        strings.LATE_NEVER,
        "ion, mihai",
    ]


def test_still_due_shows_the_provisional_month_before_the_month_shown_by_default(
    late_network: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With CLJ-1's March, March (2 of 3) is complete at a share of 0.5; April (1 of 3) is
    provisional."""
    from dashboard.components import late

    cluj_march = [("CLJ-1", "2025-03", 5, 1, 1, 0, 2, 100, "")]
    commit_upload(late_network, progress_csv(cluj_march), "cluj.csv", today=TODAY)
    configure(monkeypatch, late_network, auth=True)
    monkeypatch.setenv("SKILLS_ROADMAP_COMPLETE_MONTH_SHARE", "0.5")
    get_settings.cache_clear()
    app = create_app()
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        signed_in_as(late_network, "maria")
        marias = late.show_still_due(None)

    columns = list(strings.LATE_TABLE_COLUMNS.values())
    assert texts(marias) == [
        strings.STILL_DUE_PROVISIONAL.format(period="April 2025", reported=1, due=3),
        *columns,
        *("ARA-1", "Programme ARA-1", "Aragón AI", "Mar 2025", "maria, mihai"),
        strings.STILL_DUE_DEFAULT.format(period="March 2025"),
        *columns,
        *("ARA-2", "Programme ARA-2", "Aragón AI", strings.LATE_NEVER, "maria, mihai"),
    ]


def test_still_due_says_when_everyone_due_has_reported(
    app: dash.Dash, late_network: Engine
) -> None:
    from dashboard.components import late

    users.create_user(late_network, "eve", "manager", "a long password", ["aragon-ai"], by="t")
    frames = load_frames(late_network)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        signed_in_as(late_network, "eve")
        empty = late.late_view(late_list(frames, "2025-03", {}, clusters=set()), "2025-03")

    assert texts(empty) == ["Everyone due has reported March 2025."]


def test_the_region_page_names_who_has_not_reported_the_month_shown_with_a_download(
    app: dash.Dash, late_network: Engine
) -> None:
    from dashboard.components import late

    romania = Filters(regions=("RO11",)).model_dump(mode="json")
    march = Filters(regions=("ES24",), as_of="2025-03").model_dump(mode="json")
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        signed_in_as(late_network, "olga")  # an official: reads and exports
        shown = late.update_not_reported(romania)
        spain_in_march = late.update_not_reported(march)
        download = late.download_not_reported(1, romania)

    assert texts(shown) == [
        strings.NOT_REPORTED_HEADING.format(period="April 2025"),
        strings.NOT_REPORTED_INTRO.format(period="April 2025"),
        *strings.LATE_TABLE_COLUMNS.values(),
        "CLJ-1",
        "Programme CLJ-1",
        "Cluj IT",
        strings.LATE_NEVER,
        "ion, mihai",
    ]
    assert texts(spain_in_march) == [
        strings.NOT_REPORTED_HEADING.format(period="March 2025"),
        strings.NOT_REPORTED_INTRO.format(period="March 2025"),
        *strings.LATE_TABLE_COLUMNS.values(),
        "ARA-2",
        "Programme ARA-2",
        "Aragón AI",
        strings.LATE_NEVER,
        "maria, mihai",
    ]
    assert download["filename"] == "not-reported-2025-04.csv"
    assert base64.b64decode(download["content"]).decode() == (
        f"{LATE_CSV_HEADER}\n2025-04,CLJ-1,Programme CLJ-1,cluj-it,Cluj IT,RO11,,ion; mihai\n"
    )
    [entry] = audit.query(late_network, AuditQuery(action=AuditAction.EXPORT))
    assert (entry.user_name, entry.object) == ("olga", "not-reported-2025-04.csv")


def test_the_region_page_says_everyone_reported_when_no_one_is_late(
    app: dash.Dash, late_network: Engine
) -> None:
    from dashboard.components import late

    before_any_start = Filters(regions=("ES24",), as_of="2023-12").model_dump(mode="json")
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        signed_in_as(late_network, "olga")
        shown = late.update_not_reported(before_any_start)

    assert texts(shown)[-1] == "Everyone due has reported December 2023."


def test_the_region_page_and_the_upload_page_include_their_sections(
    app: dash.Dash, late_network: Engine
) -> None:
    from dashboard.components import late
    from dashboard.pages import region, upload

    with app.server.test_request_context("/region/RO11"):
        signed_in_as(late_network, "maria")
        region_page = str(region.layout(code="RO11"))
        upload_page = str(upload.layout())

    assert late.NOT_REPORTED in region_page and late.NOT_REPORTED_BUTTON in region_page
    assert late.STILL_DUE in upload_page


def test_the_late_csv_is_the_report_table_of_the_list() -> None:
    from skills_roadmap.reports.late import late_csv, late_table

    late = pd.DataFrame(
        [("P-1", "=cmd", "c", "Cluster, Inc.", "ES24", None, ())],
        columns=["programme_id", "name", "cluster_id", "cluster_name", "region_code"]
        + ["last_period", "managers"],
    )
    table = late_table(late, "2025-01")

    assert late_csv(late, "2025-01").decode() == (
        f'{LATE_CSV_HEADER}\n2025-01,P-1,\'=cmd,c,"Cluster, Inc.",ES24,,\n'
    )
    assert table.frame.columns.tolist() == LATE_CSV_HEADER.split(",")


def test_a_long_late_list_shows_its_first_rows_and_how_many_more() -> None:
    from dashboard.components import late

    rows = pd.DataFrame(
        {
            "programme_id": [f"P-{n:03}" for n in range(late.ROWS_SHOWN + 7)],
            "name": "Programme",
            "cluster_name": "Cluster",
            "last_period": None,
            "managers": [()] * (late.ROWS_SHOWN + 7),
        }
    )

    shown = texts(late.late_view(rows, "2025-03"))

    assert [text for text in shown if text.startswith("P-")] == [
        f"P-{n:03}" for n in range(late.ROWS_SHOWN)
    ]
    assert shown[-1] == strings.LATE_MORE.format(count="7")
