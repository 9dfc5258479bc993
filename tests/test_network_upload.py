"""Administrators upload network workbooks on the Upload page: the permission judged per sheet
kind, the report per sheet and in total, Confirm, and the dashboard's data refreshed after it."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import date
from typing import Any

import dash
import flask_login
import pandas as pd
import pytest
from ingest_helpers import stored_progress
from network_helpers import (
    REGION_HEADERS,
    SAMPLE,
    sheet_values,
    small_network,
    table_counts,
    workbook_bytes,
)
from sqlalchemy import Engine
from test_upload_report import by_id, components, table_rows
from upload_helpers import (
    PASSWORD,
    VALID_LINES,
    add_accounts,
    configure,
    post_sheet,
    progress_csv,
    signed_in,
)
from werkzeug.exceptions import Forbidden

from dashboard import api, strings
from dashboard.app import create_app
from dashboard.auth import LOCAL_ACCOUNT, AuthUser
from dashboard.components import upload_report
from dashboard.data import current_frames, region_names
from skills_roadmap import ingest, users
from skills_roadmap.exceptions import PermissionDeniedError
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import SheetKind
from skills_roadmap.ingest.context import CheckContext
from skills_roadmap.ingest.pipeline import check_permission
from skills_roadmap.ingest.readers import parse_upload
from skills_roadmap.storage import get_engine
from skills_roadmap.users import ROLE_PERMISSIONS, Permission

ADMIN = "ada"
EMPTY = dict.fromkeys(
    (
        "regions",
        "clusters",
        "cluster_regions",
        "programmes",
        "targets",
        "target_milestones",
        "facilities",
    ),
    0,
)
NETWORK_REFUSED = (
    "only administrators may upload a Regions sheet; programme managers upload Progress sheets"
)
PROGRESS_REFUSED = (
    "only programme managers may upload a Progress sheet; administrators upload the network's "
    "sheets (Regions, Clusters, Programmes, Targets, Facilities)"
)


def data_url(data: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(data).decode()


def account(engine: Engine, name: str) -> AuthUser:
    user = users.get_user(engine, name)
    assert user is not None
    return AuthUser.from_user(user)


@pytest.fixture
def empty_app(any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dash.Dash]:
    """The dashboard with log-in on over an empty, initialised database with one administrator."""
    configure(monkeypatch, any_engine, auth=True)
    users.create_user(any_engine, ADMIN, "admin", PASSWORD, by="test")
    yield create_app()
    get_engine.cache_clear()


@pytest.fixture
def network_app(network_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[dash.Dash]:
    """The dashboard with log-in on over the small ingestion network, its managers and an
    administrator."""
    configure(monkeypatch, network_engine, auth=True)
    add_accounts(network_engine)
    users.create_user(network_engine, ADMIN, "admin", PASSWORD, by="test")
    yield create_app()
    get_engine.cache_clear()


def upload_page() -> Any:
    from dashboard.pages import upload  # pages register only once an app exists

    return upload


def test_an_administrator_checks_the_sample_sheet_by_sheet_confirms_and_the_dashboard_shows_it(
    empty_app: dash.Dash, any_engine: Engine
) -> None:
    """From an empty install: the dry run counts each sheet and stores nothing; Confirm stores
    the network, and the next request reads it (the data refreshed before Confirm answered)."""
    page = upload_page()
    with empty_app.server.test_request_context("/_dash-update-component", method="POST"):
        flask_login.login_user(account(any_engine, ADMIN))
        assert current_frames().regions.empty  # the dashboard has read the empty database
        report, pending, result, _ = page.check_sheet(
            data_url(SAMPLE.read_bytes()), "sample-network.xlsx", None
        )
        assert (pending["ok"], pending["marked"], result) == (True, False, None)
        assert table_rows(by_id(report, upload_report.SHEETS_TABLE)) == [
            ["Regions", "6", "0", "0", "0", "0"],
            ["Clusters", "8", "0", "0", "0", "0"],
            ["Programmes", "20", "0", "0", "0", "0"],
            ["Targets", "21", "0", "0", "0", "0"],
            ["Facilities", "8", "0", "0", "0", "0"],
            [strings.UPLOAD_TOTAL, "63", "0", "0", "0", "0"],
        ]
        assert by_id(report, upload_report.count_id("new")).children == "63"
        assert table_counts(any_engine) == EMPTY
        message, cleared, _report, committed = page.confirm(1, pending)
    assert message.color == "success"
    assert message.children[0] == strings.UPLOAD_COMMITTED.format(
        id=committed, new=63, changed=0, unchanged=0
    )
    assert cleared is None
    assert table_counts(any_engine) == {
        "regions": 6,
        "clusters": 8,
        "cluster_regions": 2,  # the "Also works in" regions
        "programmes": 20,
        "targets": 21,
        "target_milestones": 42,
        "facilities": 8,
    }
    with empty_app.server.test_request_context("/_dash-update-component", method="POST"):
        flask_login.login_user(account(any_engine, ADMIN))
        assert sorted(current_frames().regions["region_code"]) == [
            "AT13",
            "AT22",
            "HR05",
            "HU11",
            "HU22",
            "SI04",
        ]
        history = page.history_table(ADMIN)
    assert history[strings.UPLOAD_HISTORY_COLUMNS["kind"]].tolist() == [
        strings.UPLOAD_KINDS["network"]
    ]


def test_the_report_of_a_workbook_with_errors_counts_them_per_sheet_and_names_the_sheet(
    engine: Engine,
) -> None:
    network = small_network()
    network["Clusters"][1][2] = "HU99"  # a home region neither stored nor in the workbook
    view = upload_report.report_view(
        ingest.dry_run(engine, workbook_bytes(network), "network.xlsx")
    )

    assert table_rows(by_id(view, upload_report.SHEETS_TABLE)) == [
        ["Regions", "2", "0", "0", "0", "0"],
        ["Clusters", "0", "0", "0", "1", "0"],
        ["Programmes", "0", "0", "0", "2", "0"],  # refused with the cluster they refer to
        ["Targets", "1", "0", "0", "0", "0"],
        ["Facilities", "0", "0", "0", "1", "0"],
        [strings.UPLOAD_TOTAL, "3", "0", "0", "4", "0"],
    ]
    assert [row[1:4] for row in table_rows(by_id(view, upload_report.ERRORS_TABLE))] == [
        ["Clusters", "2", "Home region"],
        ["Programmes", "2", "Cluster ID"],
        ["Programmes", "3", "Cluster ID"],
        ["Facilities", "2", "Cluster ID"],
    ]


def test_a_report_of_one_sheet_has_no_table_per_sheet(engine: Engine) -> None:
    data = workbook_bytes({"Regions": [REGION_HEADERS, ["ES24", None, None, None, None, None]]})
    view = upload_report.report_view(ingest.dry_run(engine, data, "regions.xlsx"))

    assert by_id(view, upload_report.SHEETS_TABLE) is None
    assert by_id(view, upload_report.count_id("new")).children == "1"


PROGRESS = progress_csv(VALID_LINES)
NETWORK = workbook_bytes(small_network())


def context_of(role: str) -> CheckContext:
    """Who checks an upload: someone of ``role``, bound to no cluster."""
    return CheckContext(
        today=date(2026, 1, 1),
        manager_clusters=frozenset(),
        user="someone",
        permissions=ROLE_PERMISSIONS[users.Role(role)],
    )


@pytest.mark.parametrize(
    ("role", "data", "refused"),
    [
        ("admin", NETWORK, None),
        ("admin", PROGRESS, PROGRESS_REFUSED),  # an administrator is no programme manager
        ("manager", PROGRESS, None),
        ("manager", NETWORK, NETWORK_REFUSED),
        ("official", PROGRESS, PROGRESS_REFUSED),
        ("official", NETWORK, NETWORK_REFUSED),
        ("analyst", NETWORK, NETWORK_REFUSED),
    ],
)
def test_the_permission_to_upload_is_judged_per_sheet_kind_by_role(
    role: str, data: bytes, refused: str | None
) -> None:
    context = context_of(role)
    sheets = parse_upload(data)
    if refused is None:
        check_permission(sheets, context)
        return
    with pytest.raises(PermissionDeniedError) as raised:
        check_permission(sheets, context)
    assert str(raised.value) == refused


@pytest.mark.parametrize(
    ("role", "data", "refused"),
    [
        (
            "manager",
            NETWORK,
            "⟦önly ådmînîstråtörs måy üplöåd å Regions shéét; prögråmmé månågérs üplöåd Prögréss "
            "shééts⟧",
        ),
        (
            "admin",
            PROGRESS,
            "⟦önly prögråmmé månågérs måy üplöåd å Progress shéét; ådmînîstråtörs üplöåd thé "
            "nétwörk's shééts (Regions, Clusters, Programmes, Targets, Facilities)⟧",
        ),
    ],
)
def test_a_permission_refusal_is_one_whole_message_in_the_readers_language(
    role: str, data: bytes, refused: str
) -> None:
    """Marked whole in the pseudo-language; the sheets are named as a template names them."""
    context = context_of(role)
    sheets = parse_upload(data)
    with use_language(PSEUDO_LANGUAGE), pytest.raises(PermissionDeniedError) as raised:
        check_permission(sheets, context)
    assert str(raised.value) == refused


def test_whoever_may_upload_some_kind_opens_the_upload_page() -> None:
    assert ingest.UPLOAD_PERMISSIONS == {Permission.UPLOAD, Permission.ADMIN}
    assert {kind: ingest.may_upload(LOCAL_ACCOUNT.permissions, kind) for kind in SheetKind} == {
        kind: True for kind in SheetKind
    }


def test_a_manager_is_refused_the_network_workbook_in_the_dry_run_and_at_confirm(
    network_app: dash.Dash, network_engine: Engine
) -> None:
    page = upload_page()
    data = SAMPLE.read_bytes()
    before = table_counts(network_engine)
    maria = account(network_engine, "maria")
    with network_app.server.test_request_context("/_dash-update-component", method="POST"):
        flask_login.login_user(maria)
        report, pending, result, _ = page.check_sheet(data_url(data), "network.xlsx", None)
        assert (report, pending) == ([], None)
        assert (result.color, result.children) == (
            "danger",
            strings.UPLOAD_REFUSED.format(reason=NETWORK_REFUSED),
        )
        # a check kept for her some other way is judged again at Confirm
        token = page.keep_pending(maria, data, ingest.dry_run(network_engine, data, "n.xlsx"))
        message, cleared, _report, committed = page.confirm(1, {"token": token})
    assert (message.color, message.children, cleared) == ("danger", NETWORK_REFUSED, None)
    assert committed is dash.no_update
    assert table_counts(network_engine) == before


def test_an_administrator_is_refused_a_progress_sheet_naming_who_may_upload_it(
    network_app: dash.Dash, network_engine: Engine
) -> None:
    page = upload_page()
    with network_app.server.test_request_context("/_dash-update-component", method="POST"):
        flask_login.login_user(account(network_engine, ADMIN))
        report, pending, result, _ = page.check_sheet(data_url(PROGRESS), "march.csv", None)
        with pytest.raises(PermissionDeniedError, match="only programme managers"):
            api.store_upload(account(network_engine, ADMIN), PROGRESS, "march.csv")
    assert (report, pending) == ([], None)
    assert result.children == strings.UPLOAD_REFUSED.format(reason=PROGRESS_REFUSED)
    assert stored_progress(network_engine) == []


def _ids(tree: Any) -> set[str]:
    return {c.id for c in components(tree) if isinstance(getattr(c, "id", None), str)}


@pytest.mark.parametrize(
    ("who", "progress", "network", "drop"),
    [
        ("maria", True, False, strings.UPLOAD_DROP),
        (ADMIN, False, True, strings.UPLOAD_DROP_NETWORK),
        ("local", True, True, strings.UPLOAD_DROP_ANY),
    ],
)
def test_the_page_offers_each_user_the_templates_of_what_they_may_upload(
    network_app: dash.Dash,
    network_engine: Engine,
    who: str,
    progress: bool,
    network: bool,
    drop: str,
) -> None:
    page = upload_page()
    user = LOCAL_ACCOUNT if who == "local" else account(network_engine, who)
    with network_app.server.test_request_context("/_dash-update-component", method="POST"):
        section = page.template_section(user)
    ids = _ids(section)
    assert (page.TEMPLATE_BUTTON in ids, page.NETWORK_TEMPLATE_BUTTON in ids) == (progress, network)
    assert page.drop_text(user) == drop
    if network:
        texts = [getattr(c, "children", None) for c in components(section)]
        assert (
            strings.UPLOAD_NETWORK_TEXT.format(
                sheets="Regions, Clusters, Programmes, Targets, Facilities"
            )
            in texts
        )


def test_the_empty_network_workbook_downloads_for_administrators_only(
    network_app: dash.Dash, network_engine: Engine
) -> None:
    page = upload_page()
    with network_app.server.test_request_context("/_dash-update-component", method="POST"):
        flask_login.login_user(account(network_engine, ADMIN))
        download = page.download_network_template(1)
        flask_login.login_user(account(network_engine, "maria"))
        with pytest.raises(Forbidden):
            page.download_network_template(1)
    assert download["filename"] == strings.UPLOAD_NETWORK_FILE_NAME
    # the same workbook as `template --kind network` (the bytes differ by the creation time)
    assert sheet_values(base64.b64decode(download["content"])) == sheet_values(
        ingest.network_template()
    )


def test_an_administrator_checks_a_network_workbook_through_the_upload_api(
    network_app: dash.Dash,
) -> None:
    client = signed_in(network_app.server.test_client(), ADMIN)

    response = post_sheet(client, NETWORK, name="network.xlsx", dry_run=True)

    assert response.status_code == 200, response.text
    assert response.json is not None
    assert (response.json["kind"], response.json["ok"], response.json["sheets"]) == (
        "network",
        True,
        [
            {"sheet": "Regions", "kind": "regions", "new": 1, "changed": 1, "unchanged": 0},
            {"sheet": "Clusters", "kind": "clusters", "new": 0, "changed": 1, "unchanged": 0},
            {"sheet": "Programmes", "kind": "programmes", "new": 2, "changed": 0, "unchanged": 0},
            {"sheet": "Targets", "kind": "targets", "new": 1, "changed": 0, "unchanged": 0},
            {"sheet": "Facilities", "kind": "facilities", "new": 1, "changed": 0, "unchanged": 0},
        ],
    )


@pytest.mark.parametrize(
    ("codes", "words"),
    [
        (["AT13"], "Wien"),
        (["AT22", "AT13", "AT22"], "Steiermark and Wien"),  # each region once, by name
        (["AT13", "XX01", "HU11"], "Budapest, Wien and XX01"),  # no name stored: the code
        (
            [f"R{number:02}" for number in range(11)],
            "R00, R01, R02, R03, R04, R05, R06, R07 and 3 more regions",
        ),
    ],
)
def test_a_network_without_progress_is_named_by_the_regions_its_programmes_run_in(
    codes: list[str], words: str
) -> None:
    regions = pd.DataFrame(
        {"region_code": ["AT13", "AT22", "HU11"], "name": ["Wien", "Steiermark", "Budapest"]}
    )
    assert region_names(regions, pd.Series(codes)) == words
