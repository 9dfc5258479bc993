"""The network workbook: a real network from an empty database, stored all or nothing, in order,
upserted by ID, with per-cell errors; on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from network_helpers import (
    CLUSTER_HEADERS,
    FACILITY_HEADERS,
    NETWORK_TABLES,
    PROGRAMME_HEADERS,
    REGION_HEADERS,
    SAMPLE,
    TARGET_HEADERS,
    programme_row,
    small_network,
    table_counts,
    workbook_bytes,
)
from sqlalchemy import Engine, select

from skills_roadmap.analysis import attainment, load_frames
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.exceptions import PermissionDeniedError
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import (
    SheetKind,
    annotated_workbook,
    commit_upload,
    dry_run,
    network_workbook,
    permission_for,
)
from skills_roadmap.storage import session_scope
from skills_roadmap.storage.tables import ClusterRegionRow, FacilityRow, RegionRow
from skills_roadmap.users import Permission

TODAY = date(2026, 1, 15)
EMPTY = dict.fromkeys(NETWORK_TABLES, 0)


def sheet_counts(report: Any) -> list[tuple[str, str, int, int, int]]:
    return [
        (line["sheet"], line["kind"], line["new"], line["changed"], line["unchanged"])
        for line in report.to_json_dict()["sheets"]
    ]


def test_from_an_empty_database_the_sample_network_then_a_progress_sheet(
    any_engine: Engine,
) -> None:
    """Every ID the sample refers to is defined earlier in the same workbook; a programme run
    in Western Slovenia by the Styrian cluster counts towards Western Slovenia's target."""
    data = SAMPLE.read_bytes()
    report = dry_run(any_engine, data, SAMPLE.name, today=TODAY)
    assert (report.kind, report.errors, report.warnings) == (SheetKind.NETWORK, [], [])
    assert sheet_counts(report) == [
        ("Regions", "regions", 6, 0, 0),
        ("Clusters", "clusters", 8, 0, 0),
        ("Programmes", "programmes", 20, 0, 0),
        ("Targets", "targets", 21, 0, 0),
        ("Facilities", "facilities", 8, 0, 0),
    ]
    assert (report.new, report.changed, report.unchanged) == (63, 0, 0)
    assert table_counts(any_engine) == EMPTY  # a dry run stores nothing

    result = commit_upload(any_engine, data, SAMPLE.name, user="admin", today=TODAY)
    assert result.outcome is UploadOutcome.COMMITTED
    assert table_counts(any_engine) == {
        "regions": 6,
        "clusters": 8,
        "cluster_regions": 2,
        "programmes": 20,
        "targets": 21,
        "target_milestones": 42,
        "facilities": 8,
    }
    with session_scope(any_engine) as session:
        slovenia = session.get(RegionRow, "SI04")
        assert slovenia is not None
        # blank name cells of NUTS-2 regions come from the reference, as do the coordinates
        assert (slovenia.name, slovenia.country, slovenia.lat, slovenia.adults) == (
            "Zahodna Slovenija",
            "SI",
            46.07,
            800_000,
        )
        assert session.execute(
            select(ClusterRegionRow.cluster_id, ClusterRegionRow.region_code).order_by(
                ClusterRegionRow.cluster_id
            )
        ).all() == [("budapest-ai", "HU22"), ("styria-ai-manufacturing", "SI04")]

    progress = workbook_bytes(
        {
            "Progress": [
                ["Programme ID", "Period", "Enrolled", "Completed"],
                ["SI04-I01", "2025-06", 30, 10],
                ["SI04-I02", "2025-06", 20, 7],
                ["AT22-I01", "2025-10", 15, 4],
            ]
        }
    )
    stored = commit_upload(any_engine, progress, "progress.xlsx", user="admin", today=TODAY)
    assert stored.message == "stored upload #2: 3 new, 0 changed, 0 unchanged rows"
    achieved = attainment(load_frames(any_engine)).set_index("target_id")["achieved"]
    assert (achieved["T-SI04-intermediate"], achieved["T-AT22-intermediate"]) == (17, 4)


def test_the_exported_sample_imports_again_with_nothing_changed(any_engine: Engine) -> None:
    commit_upload(any_engine, SAMPLE.read_bytes(), SAMPLE.name, user="admin", today=TODAY)
    exported = network_workbook(any_engine)
    report = dry_run(any_engine, exported, "network.xlsx", today=TODAY)
    assert sheet_counts(report) == [
        ("Regions", "regions", 0, 0, 6),
        ("Clusters", "clusters", 0, 0, 8),
        ("Programmes", "programmes", 0, 0, 20),
        ("Targets", "targets", 0, 0, 21),
        ("Facilities", "facilities", 0, 0, 8),
    ]
    assert (report.errors, report.warnings, report.changes()) == ([], [], [])


def test_the_exported_demo_network_imports_again_with_nothing_changed(
    demo_engine: Engine,
) -> None:
    """Demo facilities opened on a day within their month: the sheet's month keeps them."""
    after_the_demo = date(2026, 11, 15)  # its facilities open until October 2026
    data = network_workbook(demo_engine)
    report = dry_run(demo_engine, data, "demo.xlsx", today=after_the_demo)
    assert (report.error_count, report.new, report.changed) == (0, 0, 0)
    assert sheet_counts(report) == [
        ("Regions", "regions", 0, 0, 14),
        ("Clusters", "clusters", 0, 0, 33),
        ("Programmes", "programmes", 0, 0, 194),
        ("Targets", "targets", 0, 0, 49),
        ("Facilities", "facilities", 0, 0, 41),
    ]


def test_rows_are_upserted_by_id_and_unchanged_rows_stay_unchanged(any_engine: Engine) -> None:
    network = small_network()
    commit_upload(any_engine, workbook_bytes(network), "first.xlsx", user="admin", today=TODAY)
    network["Clusters"][1][3] = "PYRENE; FRJ2"
    network["Regions"].append(["FRJ2", None, None, None, None, None])
    network["Facilities"][1][6] = "2025-11"
    network["Facilities"].append(
        ["F-2", "Pyrenees Test Bed", "testing", "PYRENE", None, "2026-05", None, "planned"]
    )
    report = dry_run(any_engine, workbook_bytes(network), "second.xlsx", today=TODAY)
    assert sheet_counts(report) == [
        ("Regions", "regions", 1, 0, 2),
        ("Clusters", "clusters", 0, 1, 0),
        ("Programmes", "programmes", 0, 0, 2),
        ("Targets", "targets", 0, 0, 1),
        ("Facilities", "facilities", 1, 1, 0),
    ]
    assert report.changes() == [
        {
            "sheet": "Clusters",
            "id": "aragon-ai",
            "row": 2,
            "field": "also_works_in",
            "old": "PYRENE",
            "new": "FRJ2; PYRENE",
        },
        {"sheet": "Facilities", "id": "F-1", "row": 2, "field": "actual_open", "old": None,
         "new": "2025-11"},
        {"sheet": "Facilities", "id": "F-1", "row": 2, "field": "status", "old": "planned",
         "new": "operational"},
    ]  # fmt: skip
    assert report.new_rows() == [
        {"sheet": "Regions", "id": "FRJ2", "row": 4},
        {"sheet": "Facilities", "id": "F-2", "row": 3},
    ]
    commit_upload(any_engine, workbook_bytes(network), "second.xlsx", user="admin", today=TODAY)
    with session_scope(any_engine) as session:
        opened = session.get(FacilityRow, "F-1")
        assert opened is not None
        assert (opened.status, opened.planned_open, opened.actual_open) == (
            "operational",
            date(2025, 3, 1),
            date(2025, 11, 1),
        )
        assert session.scalars(
            select(ClusterRegionRow.region_code).order_by(ClusterRegionRow.region_code)
        ).all() == ["FRJ2", "PYRENE"]


def _problems(report: Any) -> list[tuple[Any, ...]]:
    return [
        (p["sheet"], p["row"], p["column"], p["cell"], p["value"], p["message"])
        for p in report.errors
    ]


def _with(change: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    network = small_network()
    for sheet, rows in change.items():
        network[sheet] = [network[sheet][0], *rows]
    return network


Problem = tuple[str, int, str, str, str, str]
BAD_WORKBOOKS: dict[str, tuple[dict[str, list[list[Any]]], list[Problem]]] = {
    "an unknown NUTS code": (
        {
            "Regions": [
                ["ES24", None, None, None, None, None],
                ["PYRENE", "Pyrenees", "ES", 42.6, 0.5, None],
                ["ES99", None, None, None, None, None],
            ]
        },
        [("Regions", 4, "Region code", "A4", "ES99", "no NUTS-2 region has this code")],
    ),
    "a region of its own without coordinates": (
        {
            "Regions": [
                ["ES24", None, None, None, None, None],
                ["PYRENE", "Pyrenees", "ES", None, None, None],
            ]
        },
        [
            ("Regions", 3, "Latitude", "D3", "", "a region of your own needs its Latitude"),
            ("Regions", 3, "Longitude", "E3", "", "a region of your own needs its Longitude"),
            # what refers to the refused region is refused too, and what refers to that
            ("Clusters", 2, "Also works in", "D2", "PYRENE", "no region has the code PYRENE"),
            ("Programmes", 2, "Cluster ID", "C2", "aragon-ai", "no cluster has this ID"),
            ("Programmes", 3, "Cluster ID", "C3", "aragon-ai", "no cluster has this ID"),
            ("Programmes", 3, "Region", "D3", "PYRENE", "no region has this ID"),
            ("Facilities", 2, "Cluster ID", "E2", "aragon-ai", "no cluster has this ID"),
        ],
    ),
    "a cluster whose home region is missing": (
        {"Clusters": [["aragon-ai", "Aragón AI", "HU33", "PYRENE", "industry", None]]},
        [
            ("Clusters", 2, "Home region", "C2", "HU33", "no region has this ID"),
            ("Programmes", 2, "Cluster ID", "C2", "aragon-ai", "no cluster has this ID"),
            ("Programmes", 3, "Cluster ID", "C3", "aragon-ai", "no cluster has this ID"),
            ("Facilities", 2, "Cluster ID", "E2", "aragon-ai", "no cluster has this ID"),
        ],
    ),
    "a programme in a region its cluster does not work in": (
        # P-2 runs in the Pyrenees region, which the cluster no longer lists
        {"Clusters": [["aragon-ai", "Aragón AI", "ES24", None, "industry", None]]},
        [
            (
                "Programmes",
                3,
                "Region",
                "D3",
                "PYRENE",
                "cluster aragon-ai does not work in this region; it works in ES24",
            )
        ],
    ),
    "duplicate IDs": (
        {
            "Clusters": [
                ["aragon-ai", "Aragón AI", "ES24", "PYRENE", "industry", None],
                ["aragon-ai", "Aragón AI again", "ES24", None, "industry", None],
            ]
        },
        [
            (
                "Clusters",
                3,
                "Cluster ID",
                "A3",
                "aragon-ai",
                "this ID already appears in an earlier row",
            )
        ],
    ),
    "a facility of an unknown kind": (
        {"Facilities": [["F-1", "Zaragoza AI Lab", "bakery", "ES24", None, "2025-03", None]]},
        [("Facilities", 2, "Kind", "C2", "bakery", "not one of the allowed values")],
    ),
    "a target for an unknown scope": (
        {
            "Targets": [
                ["T-1", "region", "XX11", "basic", "completed", 2027, 500, 2024, 0, None],
                ["T-2", "cluster", "nowhere-ai", "basic", "completed", 2027, 500, 2024, 0, None],
                ["T-3", "country", "ES", "basic", "completed", 2027, 500, 2024, 0, None],
            ]
        },
        [
            ("Targets", 2, "Scope ID", "C2", "XX11", "no region has this ID"),
            ("Targets", 3, "Scope ID", "C3", "nowhere-ai", "no cluster has this ID"),
            ("Targets", 4, "Scope", "B4", "country", "not one of the allowed values"),
        ],
    ),
}


@pytest.mark.parametrize("case", list(BAD_WORKBOOKS))
def test_a_bad_workbook_gets_per_cell_errors_and_stores_nothing(
    any_engine: Engine, case: str
) -> None:
    change, errors = BAD_WORKBOOKS[case]
    data = workbook_bytes(_with(change))
    result = commit_upload(any_engine, data, f"{case}.xlsx", user="admin", today=TODAY)
    assert result.outcome is UploadOutcome.REJECTED
    assert result.report is not None
    assert _problems(result.report) == errors
    assert table_counts(any_engine) == EMPTY


def test_a_cluster_keeps_working_where_its_stored_programmes_run(any_engine: Engine) -> None:
    """Dropping the Pyrenees from the cluster's regions would strand programme P-2 there."""
    commit_upload(
        any_engine, workbook_bytes(small_network()), "first.xlsx", user="admin", today=TODAY
    )
    dropped = {
        "Clusters": [
            CLUSTER_HEADERS,
            ["aragon-ai", "Aragón AI", "ES24", None, "industry; academia", None],
        ]
    }
    report = dry_run(any_engine, workbook_bytes(dropped), "dropped.xlsx", today=TODAY)
    assert _problems(report) == [
        (
            "Clusters",
            2,
            "Also works in",
            "D2",
            "",
            "its programmes P-2 run in PYRENE, where it would no longer work",
        )
    ]
    # moving the programme in the same workbook lets the cluster go
    dropped["Programmes"] = [PROGRAMME_HEADERS, programme_row("P-2")]
    moved = dry_run(any_engine, workbook_bytes(dropped), "moved.xlsx", today=TODAY)
    assert (moved.errors, sheet_counts(moved)) == (
        [],
        [("Clusters", "clusters", 0, 1, 0), ("Programmes", "programmes", 0, 1, 0)],
    )


def test_regions_of_their_own_and_reference_values(engine: Engine) -> None:
    """A NUTS-2 row may give its own name; a country that is not the code's is an error, as
    are coordinates off the globe and a code that is not a region code."""
    rows = [
        REGION_HEADERS,
        ["ES24", "Aragón (ES)", None, None, None, None],
        ["ES21", None, "FR", None, None, None],
        ["NORDIC", "Nordic Coast", "SE", 95.0, 12.0, None],
        ["nordic", "Lower case", "SE", 60.0, 12.0, None],
        # a decimal comma is a number; a word is not
        ["BALTIC", "Baltic Coast", "LT", "55,7", "north", None],
    ]
    report = dry_run(engine, workbook_bytes({"Regions": rows}), "regions.xlsx", today=TODAY)
    assert _problems(report) == [
        ("Regions", 3, "Country", "C3", "FR", "region ES21 starts with ES but its country is FR"),
        ("Regions", 4, "Latitude", "D4", "95", "not a latitude from -90 to 90"),
        (
            "Regions",
            5,
            "Region code",
            "A5",
            "nordic",
            "'nordic' is not a region code: expected a NUTS code such as 'ES24', or a code of "
            "your own of 2 to 8 capital letters and digits",
        ),
        ("Regions", 6, "Longitude", "E6", "north", "not a number"),
    ]
    assert report.sheets[0].clean[["code", "name", "country", "lat", "lon"]].to_dict("records") == [
        {"code": "ES24", "name": "Aragón (ES)", "country": "ES", "lat": 41.53, "lon": -0.66}
    ]


def test_a_workbook_missing_a_column_a_region_of_its_own_needs_names_the_rows(
    engine: Engine,
) -> None:
    rows = [["Region code", "Name", "Country"], ["ES24", None, None], ["PYRENE", "Py", "ES"]]
    report = dry_run(engine, workbook_bytes({"Regions": rows}), "regions.xlsx", today=TODAY)
    assert [(p["column"], p["cell"], p["message"]) for p in report.errors] == [
        ("Latitude", "", "a region of your own needs its Latitude: add a Latitude column (rows 3)"),
        (
            "Longitude",
            "",
            "a region of your own needs its Longitude: add a Longitude column (rows 3)",
        ),
    ]
    assert (report.new, report.error_count) == (1, 2)


def test_clusters_name_their_helix_roles_and_other_regions(engine: Engine) -> None:
    network = small_network()
    network["Clusters"] = [
        CLUSTER_HEADERS,
        ["aragon-ai", "Aragón AI", "ES24", "PYRENE, ES24", "Industry; academia", None],
        ["media-ai", "Media AI", "ES24", "HU99", "industry; media", "not a web address"],
    ]
    report = dry_run(engine, workbook_bytes(network), "clusters.xlsx", today=TODAY)
    assert _problems(report) == [
        ("Clusters", 3, "Also works in", "D3", "HU99", "no region has the code HU99"),
        ("Clusters", 3, "Helix roles", "E3", "industry; media", "not a helix role: media"),
    ]
    clean = report.sheets[1].clean
    # the home region is not listed again; roles are stored as the domain spells them
    assert clean[["id", "also_works_in", "helix_roles"]].to_dict("records") == [
        {"id": "aragon-ai", "also_works_in": "PYRENE", "helix_roles": "industry,academia"}
    ]


def test_facilities_open_in_a_month_not_in_the_future(engine: Engine) -> None:
    network = small_network()
    network["Facilities"] = [
        [*FACILITY_HEADERS, "Status"],
        ["F-1", "Lab", "Demonstration", "ES24", None, "2025-03", "2026-02", None, None],
        ["F-2", "Bed", "testing", "ES24", None, "2025-03", None, None, "operational"],
        ["F-3", "Hub", "idea_generation", "ES24", None, "March 2025", None, None, "building"],
    ]
    report = dry_run(engine, workbook_bytes(network), "facilities.xlsx", today=TODAY)
    assert _problems(report) == [
        ("Facilities", 2, "Opened", "G2", "2026-02", "a month in the future"),
        (
            "Facilities",
            3,
            "Opened",
            "G3",
            "",
            "operational facility F-2 needs the date it actually opened",
        ),
        ("Facilities", 4, "Planned opening", "F4", "March 2025", "not a month"),
    ]


def test_a_manager_may_not_upload_a_network_sheet(network_engine: Engine) -> None:
    """The permission is judged per sheet kind: managers upload progress sheets only."""
    data = workbook_bytes({"Regions": [REGION_HEADERS, ["ES21", None, None, None, None, None]]})
    with pytest.raises(PermissionDeniedError, match="only administrators may upload a Regions"):
        dry_run(network_engine, data, "regions.xlsx", manager_clusters=frozenset({"aragon-ai"}))
    assert {kind: permission_for(kind) for kind in SheetKind} == {
        SheetKind.PROGRESS: Permission.UPLOAD,
        SheetKind.REGIONS: Permission.ADMIN,
        SheetKind.CLUSTERS: Permission.ADMIN,
        SheetKind.PROGRAMMES: Permission.ADMIN,
        SheetKind.TARGETS: Permission.ADMIN,
        SheetKind.FACILITIES: Permission.ADMIN,
        SheetKind.NETWORK: Permission.ADMIN,
    }


def test_one_sheet_of_a_workbook_is_read_when_asked_for(engine: Engine) -> None:
    data = workbook_bytes(small_network())
    report = dry_run(engine, data, "network.xlsx", today=TODAY, kind="regions")
    assert (report.kind, report.sheet, report.new, report.key) == (
        SheetKind.REGIONS,
        "Regions",
        2,
        ("code",),
    )


def test_empty_sheets_of_a_network_workbook_are_left_out(engine: Engine) -> None:
    network = small_network()
    network["Targets"] = [TARGET_HEADERS]
    network["Facilities"] = [FACILITY_HEADERS]
    report = dry_run(engine, workbook_bytes(network), "network.xlsx", today=TODAY)
    assert [part.sheet for part in report.sheets] == ["Regions", "Clusters", "Programmes"]


def test_the_annotated_workbook_marks_each_sheet(engine: Engine) -> None:
    data = workbook_bytes(_with(BAD_WORKBOOKS["a cluster whose home region is missing"][0]))
    report = dry_run(engine, data, "bad.xlsx", today=TODAY)
    workbook = openpyxl.load_workbook(io.BytesIO(annotated_workbook(data, report)))
    assert workbook.sheetnames == [
        "Regions",
        "Clusters",
        "Programmes",
        "Targets",
        "Facilities",
        "Problems",
    ]
    assert workbook["Clusters"]["C2"].comment.text == (
        "error: no region has this ID; expected the ID of an existing region"
    )
    assert workbook["Facilities"]["E2"].comment is not None
    assert workbook["Regions"]["A2"].comment is None
    problems = list(workbook["Problems"].iter_rows(values_only=True))
    assert [row[1:4] for row in problems[1:]] == [
        ("Clusters", 2, "Home region"),
        ("Programmes", 2, "Cluster ID"),
        ("Programmes", 3, "Cluster ID"),
        ("Facilities", 2, "Cluster ID"),
    ]


def test_the_text_report_counts_per_sheet_and_in_total(engine: Engine) -> None:
    report = dry_run(engine, workbook_bytes(small_network()), "network.xlsx", today=TODAY)
    assert report.to_text().splitlines() == [
        "network workbook network.xlsx (xlsx, 5 sheets, 7 data rows)",
        "  sheet              new   changed  unchanged",
        "  Regions              2         0          0",
        "  Clusters             1         0          0",
        "  Programmes           2         0          0",
        "  Targets              1         0          0",
        "  Facilities           1         0          0",
        "new: 7   changed: 0   unchanged: 0   errors: 0   warnings: 0",
    ]


def test_every_row_message_of_a_bad_network_workbook_is_in_the_reader_language(
    engine: Engine,
) -> None:
    """In the pseudo-language each message and what was expected is marked: the domain's
    rules, pydantic's checks in our words and the sheets' own rules (data values excepted)."""
    network = _with(
        {
            "Regions": [
                ["ES24", None, None, None, None, None],
                ["PYRENE", "Pyrenees", "ES", 42.6, 0.5, None],
                ["ES21", None, "FR", None, None, None],
                ["NORDIC", "Nordic Coast", "SE", 95.0, 12.0, None],
                ["nordic", "Lower case", "SE", 60.0, 12.0, None],
                ["ES99", None, None, None, None, None],
                ["BALTIC", "Baltic Coast", "LT", None, 21.0, None],
                ["ES22", None, None, None, None, None],
            ],
            "Clusters": [
                ["aragon-ai", "Aragón AI", "ES24", "PYRENE", "industry", None],
                ["media-ai", "Media AI", "ES24", "HU99; HU98", "industry; media", None],
                ["web-ai", "Web AI", "ES24", None, "academia", "not a web address"],
            ],
            "Programmes": [
                programme_row("P-1"),
                programme_row("P-2", region="PYRENE"),
                [*programme_row("P-3")[:8], "2025-06-01", "2025-01-31", *programme_row("P-3")[10:]],
                programme_row("P-4", region="ES22"),
            ],
            "Targets": [
                ["T-1", "region", "ES24", "basic", "completed", 2027, 0, 2024, 0, None],
                ["T-2", "network", "ES24", "basic", "completed", 2027, 500, 2024, 0, None],
                ["T-3", "region", "ES24", "basic", "completed", 2024, 500, 2025, 0, None],
                ["T-4", "region", "ES24", "basic", "completed", 2027, 500, 2024, 600, None],
                ["T-5", "region", "ES24", "basic", "completed", 2027, 500, 2024, 0, "2030: 9"],
                ["T-6", "region", "ES24", "basic", "completed", 2027, 500, 2024, 0, "soon"],
            ],
            "Facilities": [
                ["F-1", "Lab", "testing", "ES24", None, "2025-03", "2026-02", None],
            ],
        }
    )
    with use_language(PSEUDO_LANGUAGE):
        report = dry_run(engine, workbook_bytes(network), "bad.xlsx", today=TODAY)
    problems = [
        (p["sheet"], p["row"], p["column"], p["value"], p["message"], p["expected"])
        for p in report.errors
    ]
    assert problems == [
        (
            "Regions",
            4,
            "Country",
            "FR",
            "⟦régîön ES21 stårts wîth ES büt îts cöüntry îs FR⟧",
            "⟦twö cåpîtål léttérs, é.g. ÉS⟧",
        ),
        (
            "Regions",
            5,
            "Latitude",
            "95",
            "⟦nöt å låtîtüdé fröm -90 tö 90⟧",
            "⟦å nümbér öf dégréés, é.g. 41.65 (söüth ånd wést bélöw 0)⟧",
        ),
        (
            "Regions",
            6,
            "Region code",
            "nordic",
            "⟦'nordic' îs nöt å régîön cödé: éxpéctéd å NÜTS cödé süch ås 'ÉS24', ör å "
            "cödé öf yöür öwn öf 2 tö 8 cåpîtål léttérs ånd dîgîts⟧",
            "⟦å NÜTS-2 cödé öf thé Référéncé shéét, süch ås ÉS24, ör å cödé öf "
            "yöür öwn öf 2 tö 8 cåpîtål léttérs ånd dîgîts⟧",
        ),
        (
            "Regions",
            7,
            "Region code",
            "ES99",
            "⟦nö NÜTS-2 régîön hås thîs cödé⟧",
            "⟦å NÜTS-2 cödé öf thé Référéncé shéét, ör å cödé öf yöür öwn thåt döés nöt "
            "löök lîké å NÜTS-2 cödé (2 tö 8 cåpîtål léttérs ånd dîgîts)⟧",
        ),
        (
            "Regions",
            8,
            "Latitude",
            "",
            "⟦å régîön öf yöür öwn nééds îts Latitude⟧",
            "⟦thé régîön's latitude (önly NÜTS-2 régîöns tåké ît fröm thé référéncé)⟧",
        ),
        (
            "Clusters",
            3,
            "Also works in",
            "HU99; HU98",
            "⟦nö régîön hås thé cödés HU99, HU98⟧",
            "⟦régîön cödés sépåråtéd by ';', é.g. ÉS22; FRJ2⟧",
        ),
        (
            "Clusters",
            3,
            "Helix roles",
            "industry; media",
            "⟦nöt å hélîx rölé: media⟧",
            "⟦öné ör möré öf îndüstry, åcådémîå, püblîc, söcîéty, sépåråtéd by ';'⟧",
        ),
        (
            "Clusters",
            4,
            "Website",
            "not a web address",
            "⟦nöt å wéb åddréss: wrîté ît ås https://example.org⟧",
            "⟦téxt⟧",
        ),
        (
            "Programmes",
            4,
            "End",
            "2025-01-31",
            "⟦prögråmmé P-3 énds (2025-01-31) béföré ît stårts (2025-06-01)⟧",
            "⟦å dåté, ör YYYY-MM-DD téxt⟧",
        ),
        (
            "Programmes",
            5,
            "Region",
            "ES22",
            "⟦clüstér aragon-ai döés nöt wörk în thîs régîön; ît wörks în ES24, PYRENE⟧",
            "⟦îts clüstér's hömé régîön ör öné ît ålsö wörks în (thé Clüstérs shéét)⟧",
        ),
        ("Targets", 2, "Value", "0", "⟦müst bé möré thån 0⟧", "⟦å whölé nümbér öf 0 ör möré⟧"),
        (
            "Targets",
            3,
            "Scope ID",
            "ES24",
            "⟦å nétwörk tårgét hås nö scöpé îd⟧",
            "⟦ån ÎD (léttérs, dîgîts, '.', '-' ör '_')⟧",
        ),
        (
            "Targets",
            4,
            "Deadline year",
            "2024",
            "⟦thé déådlîné yéår (2024) müst cömé åftér thé båsélîné yéår (2025)⟧",
            "⟦å yéår süch ås 2027⟧",
        ),
        (
            "Targets",
            5,
            "Baseline value",
            "600",
            "⟦thé båsélîné (600) îs ålréådy åbövé thé tårgét (500)⟧",
            "⟦å whölé nümbér öf 0 ör möré⟧",
        ),
        (
            "Targets",
            6,
            "Milestones",
            "2030: 9",
            "⟦mîléstöné yéår 2030 müst lîé fröm thé båsélîné yéår "
            "2024 üp tö béföré thé déådlîné 2027⟧",
            "⟦téxt⟧",
        ),
        (
            "Targets",
            7,
            "Milestones",
            "soon",
            "⟦nöt å lîst öf mîléstönés⟧",
            "⟦yéår: vålüé påîrs sépåråtéd by ';', é.g. 2025: 1000; 2026: 2500⟧",
        ),
        (
            "Facilities",
            2,
            "Opened",
            "2026-02",
            "⟦å mönth în thé fütüré⟧",
            "⟦thîs mönth (2026-01) ör éårlîér; léåvé ît blånk üntîl ît öpéns⟧",
        ),
    ]
    # a column a region of its own needs, missing from the sheet: one message naming the rows
    regions = {"Regions": [["Region code", "Name", "Country"], ["PYRENE", "Py", "ES"]]}
    with use_language(PSEUDO_LANGUAGE):
        report = dry_run(engine, workbook_bytes(regions), "regions.xlsx", today=TODAY)
    assert [(p["column"], p["message"], p["expected"]) for p in report.errors] == [
        (
            "Latitude",
            "⟦⟦å régîön öf yöür öwn nééds îts Latitude⟧: ådd å Latitude cölümn (röws 2)⟧",
            "⟦thé régîön's latitude (önly NÜTS-2 régîöns tåké ît fröm thé référéncé)⟧",
        ),
        (
            "Longitude",
            "⟦⟦å régîön öf yöür öwn nééds îts Longitude⟧: ådd å Longitude cölümn (röws 2)⟧",
            "⟦thé régîön's longitude (önly NÜTS-2 régîöns tåké ît fröm thé référéncé)⟧",
        ),
    ]
