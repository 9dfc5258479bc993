"""Two `serve --production` processes of one deployment on PostgreSQL (the same database,
data folder and secret key, each on its own port, as behind a balancing proxy): a session
opened on one works on the other and a log-out on one ends it on both, a sheet checked on
one is confirmed on the other, and what one commits the other shows within seconds."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import requests
from database_helpers import fresh_postgres_database
from server_helpers import Server, cli, running_servers, server_env, sign_in
from sqlalchemy import select

from skills_roadmap.storage import make_engine, session_scope
from skills_roadmap.storage.tables import ProgrammeRow, UploadRow, UserClusterRow

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

PASSWORD = "two processes password"
MORE = 5_000  # people added to one month: enough to move the network's basic attainment
TIMEOUT_S = 60
REFRESHED_WITHIN_S = 10  # another process takes in new data within a second or so


@dataclass(frozen=True)
class Deployment:
    """Two server processes of one deployment, and its database."""

    first: Server
    second: Server
    database_url: str


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    tmp_path = tmp_path_factory.mktemp("two-processes")
    with fresh_postgres_database() as url:
        env = server_env(url, tmp_path / "data", production=True)
        cli(env, "init")
        cli(env, "demo", "--accounts-password", PASSWORD)
        logs = [tmp_path / "first.log", tmp_path / "second.log"]
        with running_servers(env, logs, production=True) as (first, second):
            yield Deployment(first, second, url)


def callback(
    server: Server, cookies: dict[str, str], marker: str, values: dict[str, Any]
) -> requests.Response:
    """Run the server's callback whose outputs include ``marker`` (``id.property``), with
    ``values`` for its inputs and state by ``id.property``, as the browser would."""
    dependencies = requests.get(
        server.url + "/_dash-dependencies", cookies=cookies, timeout=TIMEOUT_S
    ).json()
    [spec] = [d for d in dependencies if marker in d["output"].strip(".").split("...")]
    outputs = [
        {"id": output_id, "property": prop}
        for output_id, prop in (
            part.rsplit(".", 1) for part in spec["output"].strip(".").split("...")
        )
    ]

    def given(dependency: dict[str, Any]) -> dict[str, Any]:
        key = f"{dependency['id']}.{dependency['property']}"
        return {**dependency, "value": values.get(key)}

    body = {
        "output": spec["output"],
        "outputs": outputs if spec["output"].startswith("..") else outputs[0],
        "inputs": [given(d) for d in spec["inputs"]],
        "state": [given(d) for d in spec["state"]],
        "changedPropIds": [f"{d['id']}.{d['property']}" for d in spec["inputs"][:1]],
    }
    return requests.post(
        server.url + "/_dash-update-component",
        json=body,
        cookies=cookies,
        headers={"Origin": server.url},
        timeout=TIMEOUT_S,
    )


def headline(server: Server, cookies: dict[str, str]) -> dict[str, Any]:
    """What the overview's headline cards show for the whole network."""
    answer = callback(server, cookies, "kpi-basic.children", {"filters.data": {}})
    assert answer.status_code == 200, answer.text
    shown: dict[str, Any] = answer.json()["response"]
    return shown


def managers_sheet(database_url: str) -> bytes:
    """A progress sheet of the demo manager: their first basic programme's first month with
    ``MORE`` more people enrolled, completed and certified than stored."""
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            clusters = select(UserClusterRow.cluster_id).where(
                UserClusterRow.user_name == "manager"
            )
            programme = session.scalars(
                select(ProgrammeRow)
                .where(
                    ProgrammeRow.cluster_id.in_(clusters),
                    ProgrammeRow.level == "basic",
                    ProgrammeRow.start <= date.today().replace(day=1),
                )
                .order_by(ProgrammeRow.start, ProgrammeRow.id)
                .limit(1)
            ).one()
            period = f"{programme.start:%Y-%m}"
            line = f"{programme.id},{period},{MORE},{MORE},{MORE}"
    finally:
        engine.dispose()
    return f"Programme ID,Period,Enrolled,Completed,Certified\n{line}\n".encode()


def headline_once_changed(
    server: Server, cookies: dict[str, str], before: dict[str, Any]
) -> dict[str, Any]:
    """The headline cards as soon as they differ from ``before``, or at the deadline as they are."""
    deadline = time.monotonic() + REFRESHED_WITHIN_S
    shown = headline(server, cookies)
    while shown == before and time.monotonic() < deadline:
        time.sleep(0.2)
        shown = headline(server, cookies)
    return shown


def uploads_committed(database_url: str) -> list[tuple[str, str]]:
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            rows = session.execute(
                select(UploadRow.uploaded_by, UploadRow.outcome).order_by(UploadRow.id)
            )
            return [(who, outcome) for who, outcome in rows]
    finally:
        engine.dispose()


def opens_the_overview(server: Server, cookies: dict[str, str]) -> bool:
    answer = requests.get(server.url + "/", cookies=cookies, allow_redirects=False, timeout=60)
    assert answer.status_code in (200, 302), answer.status_code
    return answer.status_code == 200


def test_a_session_opened_on_one_process_works_and_ends_on_the_other(
    deployment: Deployment,
) -> None:
    first, second = deployment.first, deployment.second
    cookies = sign_in(first.url, "official", PASSWORD)

    before = [opens_the_overview(first, cookies), opens_the_overview(second, cookies)]
    logged_out = requests.post(
        first.url + "/logout",
        cookies=cookies,
        headers={"Origin": first.url},
        allow_redirects=False,
        timeout=TIMEOUT_S,
    )
    after = [opens_the_overview(second, cookies), opens_the_overview(first, cookies)]

    assert (before, logged_out.status_code, after) == ([True, True], 303, [False, False])
    data = requests.get(second.url + "/_dash-layout", cookies=cookies, timeout=TIMEOUT_S)
    assert data.status_code == 401


def test_a_sheet_checked_on_one_process_is_confirmed_on_the_other_and_shown_by_both(
    deployment: Deployment,
) -> None:
    first, second = deployment.first, deployment.second
    manager = sign_in(first.url, "manager", PASSWORD)
    official = sign_in(second.url, "official", PASSWORD)
    shown_before = [headline(first, manager), headline(second, official)]  # both cache data
    sheet = managers_sheet(deployment.database_url)
    contents = "data:text/csv;base64," + base64.b64encode(sheet).decode()

    checked = callback(
        first,
        manager,
        "upload-report.children",
        {"upload-drop.contents": contents, "upload-drop.filename": "march.csv"},
    )
    assert checked.status_code == 200, checked.text
    pending = checked.json()["response"]["upload-pending"]["data"]
    assert pending["ok"] is True  # warnings perhaps (so many people in a month), no error
    confirmed = callback(
        second,
        manager,
        "upload-committed.data",
        {"upload-confirm.n_clicks": 1, "upload-pending.data": pending},
    )
    assert confirmed.status_code == 200, confirmed.text
    upload_id = confirmed.json()["response"]["upload-committed"]["data"]

    # The process that stored the upload shows it at once; the other notices the new data at
    # its next request and takes it in the background, answering from what it had meanwhile.
    shown_after = [
        headline_once_changed(first, manager, shown_before[0]),
        headline(second, official),
    ]
    assert (upload_id, uploads_committed(deployment.database_url)) == (
        1,
        [("manager", "committed")],
    )
    assert shown_before[0] == shown_before[1]  # both processes show the same numbers…
    assert shown_after[0] == shown_after[1]  # …before and after the commit…
    assert shown_after[0] != shown_before[0]  # …which changed them
