"""The catalogue of fields is the one place a sheet field is declared: everything else follows."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel

import skills_roadmap.fields as fields_module
from dashboard import strings
from skills_roadmap.analysis import build_frames
from skills_roadmap.domain import Programme, ProgressReport, Target
from skills_roadmap.fields import (
    BREAKDOWN_MEASURES,
    BREAKDOWNS,
    CLUSTER_FIELDS,
    FACILITY_FIELDS,
    NETWORK_SHEETS,
    PROGRAMME_FIELDS,
    PROGRESS_FIELDS,
    PROGRESS_MEASURES,
    REGION_FIELDS,
    SHEETS,
    TARGET_FIELDS,
    Field,
    labels,
)
from skills_roadmap.ingest.admin_sheets import PROGRAMME_DTYPES, TARGET_DTYPES
from skills_roadmap.ingest.contract import (
    CONTRACTS,
    NETWORK_CONTRACTS,
    PROGRAMMES,
    PROGRESS,
    TARGETS,
    SheetKind,
)
from skills_roadmap.reports import columns as report
from skills_roadmap.storage.progress import PROGRESS_DTYPES
from skills_roadmap.storage.snapshot import MEASURES, PROGRESS_DTYPE
from skills_roadmap.storage.tables import (
    BREAKDOWN_REPORTED,
    Base,
    ProgrammeRow,
    ProgressRow,
    TargetRow,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"

# The progress-sheet contract of the product brief: header, key, required.
PRODUCT_PROGRESS_CONTRACT = [
    ("Programme ID", "programme_id", True),
    ("Period", "period", True),
    ("Enrolled", "enrolled", True),
    ("Completed", "completed", True),
    ("Certified", "certified", False),
    ("Dropped out", "dropped_out", False),
    ("Women", "women", False),
    ("Spend EUR", "spend_eur", False),
    ("Notes", "notes", False),
]
# The ESF+ participant breakdowns (issue 19), all optional, after the brief's columns.
ESF_BANDS = [
    ("Men", "men"),
    ("Non-binary", "non_binary"),
    ("Under 18", "age_under_18"),
    ("Aged 18-29", "age_18_29"),
    ("Aged 30-54", "age_30_54"),
    ("Aged 55 and over", "age_55_over"),
    ("Employed", "employed"),
    ("Unemployed", "unemployed"),
    ("Long-term unemployed", "long_term_unemployed"),
    ("Inactive", "inactive"),
    ("ISCED 0-2", "isced_0_2"),
    ("ISCED 3-4", "isced_3_4"),
    ("ISCED 5-8", "isced_5_8"),
]
ESF_KEYS = [key for _, key in ESF_BANDS]


def test_progress_fields_are_the_product_contract() -> None:
    """Headers, keys and required columns as the product brief states them; a blank optional
    number means "not reported"."""
    assert [(f.header, f.key, f.required) for f in PROGRESS_FIELDS] == [
        *PRODUCT_PROGRESS_CONTRACT,
        *((header, key, False) for header, key in ESF_BANDS),
    ]
    assert [f.key for f in PROGRESS_FIELDS if f.not_reported_if_blank] == [
        "certified",
        "dropped_out",
        "women",
        "spend_eur",
        *ESF_KEYS,
    ]


def test_esf_breakdowns_group_their_bands_and_keep_them_out_of_the_per_row_measures() -> None:
    """Women is a gender band and a per-row measure; the other bands are sparse; long-term
    unemployed are a part of the unemployed."""
    assert {name: [f.key for f in bands] for name, bands in BREAKDOWNS.items()} == {
        "Gender": ["women", "men", "non_binary"],
        "Age": ["age_under_18", "age_18_29", "age_30_54", "age_55_over"],
        "Labour-market status": ["employed", "unemployed", "long_term_unemployed", "inactive"],
        "Education": ["isced_0_2", "isced_3_4", "isced_5_8"],
    }
    assert [f.key for f in BREAKDOWN_MEASURES] == ESF_KEYS
    assert {f.key: f.within for f in PROGRESS_FIELDS if f.within} == {
        "long_term_unemployed": "unemployed"
    }
    assert not {f.key for f in PROGRESS_MEASURES} & set(ESF_KEYS)
    # the partial index of the rows the snapshot reads apart names every sparse band
    assert BREAKDOWN_REPORTED == f"COALESCE({', '.join(ESF_KEYS)}) IS NOT NULL"


def test_catalogue_docstring_examples_run() -> None:
    assert doctest.testmod(fields_module).failed == 0


def test_sheet_contracts_hold_the_catalogue_fields_in_order() -> None:
    assert {kind: contract.columns for kind, contract in CONTRACTS.items()} == {
        SheetKind.PROGRESS: PROGRESS_FIELDS,
        SheetKind.PROGRAMMES: PROGRAMME_FIELDS,
        SheetKind.TARGETS: TARGET_FIELDS,
        SheetKind.REGIONS: REGION_FIELDS,
        SheetKind.CLUSTERS: CLUSTER_FIELDS,
        SheetKind.FACILITIES: FACILITY_FIELDS,
    }
    assert tuple(contract.columns for contract in NETWORK_CONTRACTS) == NETWORK_SHEETS
    assert PROGRESS.key == ("programme_id", "period")
    assert PROGRAMMES.key == TARGETS.key == ("id",)


def test_contract_message_lists_the_catalogue_headers() -> None:
    assert PROGRESS.describe() == (
        "Programme ID, Period, Enrolled, Completed (required) and "
        "Certified, Dropped out, Women, Spend EUR, Notes, "
        + ", ".join(header for header, _ in ESF_BANDS)
        + " (optional)"
    )


def test_every_key_and_header_is_unique_within_its_sheet() -> None:
    for sheet in (*SHEETS, *NETWORK_SHEETS):
        assert len({f.key for f in sheet}) == len(sheet)
        assert len({f.header.lower() for f in sheet}) == len(sheet)


def test_typed_rows_of_uploads_follow_the_catalogue() -> None:
    """Counts and years are nullable integers, amounts nullable floats, the rest objects."""
    assert PROGRESS_DTYPES == {
        "programme_id": "object",
        "period": "object",
        "enrolled": "Int64",
        "completed": "Int64",
        "certified": "Int64",
        "dropped_out": "Int64",
        "women": "Int64",
        "spend_eur": "Float64",
        "notes": "object",
        **dict.fromkeys(ESF_KEYS, "Int64"),
    }
    assert PROGRAMME_DTYPES == {f.key: f.dtype for f in PROGRAMME_FIELDS}
    assert [PROGRAMME_DTYPES[k] for k in ("capacity", "budget_eur", "start")] == [
        "Int64",
        "Float64",
        "object",
    ]
    # a target's Reason goes with its revisions, not with the target
    assert TARGET_DTYPES == {f.key: f.dtype for f in TARGET_FIELDS if f.key != "reason"}


def test_analysis_frames_type_the_progress_measures_from_the_catalogue() -> None:
    """Counts never blank are int32; what may be blank is float64 with NaN for "not reported"."""
    frames = build_frames(
        regions=pd.DataFrame({"region_code": ["ES24"]}),
        clusters=pd.DataFrame({"cluster_id": ["c"], "region_code": ["ES24"]}),
        programmes=pd.DataFrame(
            {
                "programme_id": ["p"],
                "cluster_id": ["c"],
                "region_code": ["ES24"],
                "level": ["basic"],
                "start": ["2025-01-01"],
                "end": ["2025-12-31"],
            }
        ),
        progress=pd.DataFrame(
            {"programme_id": ["p"], "period": ["2025-03"], "enrolled": [3], "completed": [1]}
        ),
    )
    progress = frames.progress
    assert list(progress.columns) == ["programme_id", "month", "year", *MEASURES]
    assert {name: str(progress[name].dtype) for name in MEASURES} == {
        "enrolled": "int32",
        "completed": "int32",
        "certified": "float64",
        "dropped_out": "float64",
        "women": "float64",
        "spend_eur": "float64",
    }
    assert progress[["certified", "dropped_out", "women", "spend_eur"]].isna().all().all()
    assert MEASURES == tuple(f.key for f in PROGRESS_MEASURES)
    assert PROGRESS_DTYPE.names == ("code", "month", *MEASURES)
    # every programme field is a column of the programmes frame, missing when left out
    assert {f.frame_key for f in PROGRAMME_FIELDS} <= set(frames.programmes.columns)
    assert frames.programmes["budget_eur"].isna().all()


def _report_columns(columns: tuple[report.Column, ...]) -> list[tuple[str, str, str, str]]:
    return [(c.key, c.header, c.kind.value, c.description) for c in columns]


def test_report_progress_columns_are_the_catalogue() -> None:
    assert _report_columns(report.PROGRESS_COLUMNS) == [
        ("programme_id", "Programme ID", "text", "Identifier of the programme."),
        ("period", "Period", "period", "The month reported."),
        ("enrolled", "Enrolled", "count", "People who enrolled in the month."),
        ("completed", "Completed", "count", "People who completed in the month."),
        ("certified", "Certified", "count", "People certified in the month; blank: not reported."),
        ("dropped_out", "Dropped out", "count", "People who dropped out; blank: not reported."),
        ("women", "Women", "count", "Women among the enrolled; blank: not reported."),
        ("spend_eur", "Spend EUR", "eur", "Spend in the month; blank: not reported."),
        ("notes", "Notes", "text", "The programme manager's notes."),
        *((f.key, f.header, "count", f.meaning) for f in BREAKDOWN_MEASURES),
    ]
    assert report.PROGRESS_COLUMNS == tuple(report.field_column(f) for f in PROGRESS_FIELDS)


def test_report_programmes_table_shows_every_programme_field_as_the_catalogue_says() -> None:
    """What a programme is, then when it runs, then its size and money; then its progress."""
    by_key = {f.frame_key: f for f in PROGRAMME_FIELDS}
    own = [c for c in report.PROGRAMMES_COLUMNS if c.key in by_key]
    assert [(c.key, c.header) for c in own] == [
        ("programme_id", "Programme ID"),
        ("name", "Programme"),
        ("cluster_id", "Cluster id"),
        ("region_code", "Region"),
        ("level", "Level"),
        ("provider", "Provider"),
        ("provider_helix", "Provider helix"),
        ("delivery_mode", "Delivery mode"),
        ("funding_source", "Funding source"),
        ("start", "Start"),
        ("end", "End"),
        ("capacity", "Capacity"),
        ("budget_eur", "Budget EUR"),
    ]
    assert report.PROGRAMMES_COLUMNS[: len(own)] == tuple(own)
    assert own == [report.field_column(by_key[c.key], brief=c.brief) for c in own]
    assert [c.key for c in own if c.brief] == ["programme_id", "name", "level"]


def test_stored_tables_hold_the_catalogue_fields() -> None:
    """The tables are not generated from the catalogue (migrations define them): a field added
    to one must be added to the other."""

    def names(row: type[Base]) -> list[str]:
        return [column.name for column in Base.metadata.tables[row.__tablename__].columns]

    # Besides the fields: the upload that last wrote the row, and the one that created it.
    assert names(ProgressRow) == [
        *(f.key for f in PROGRESS_FIELDS),
        "upload_id",
        "created_upload_id",
    ]
    progress = Base.metadata.tables["progress"].columns
    assert {f.key: progress[f.key].nullable for f in PROGRESS_FIELDS} == {
        f.key: not f.required for f in PROGRESS_FIELDS
    }
    assert names(ProgrammeRow) == [f.key for f in PROGRAMME_FIELDS]
    assert names(TargetRow) == [key for key in TARGET_DTYPES if key != "milestones"]


def _model_fields(model: type[BaseModel]) -> dict[str, bool]:
    return {name: info.is_required() for name, info in model.model_fields.items()}


def test_domain_models_name_the_catalogue_fields() -> None:
    """The pydantic models keep their own types and invariants, over the catalogue's fields."""
    assert _model_fields(ProgressReport) == {f.key: f.required for f in PROGRESS_FIELDS}
    assert _model_fields(Programme) == {f.key: f.required for f in PROGRAMME_FIELDS}
    assert _model_fields(Target) == {f.key: f.required for f in TARGET_FIELDS if f.key != "reason"}


def test_choices_are_the_domain_values_in_order() -> None:
    assert {f.key: f.expected for f in PROGRAMME_FIELDS if f.choices} == {
        "level": "one of basic, intermediate, expert",
        "provider_helix": "one of industry, academia, public, society",
        "delivery_mode": "one of online, in-person, blended",
    }
    assert {f.key: f.choices for f in TARGET_FIELDS if f.choices} == {
        "scope": ("network", "region", "cluster"),
        "level": ("basic", "intermediate", "expert"),
        "metric": ("enrolled", "completed", "certified"),
    }


def test_dashboard_labels_of_fields_come_from_the_catalogue() -> None:
    """The dashboard labels only its analysis results itself; a field's label (with its unit)
    is the catalogue's."""
    assert set(strings.RESULT_COLUMNS).isdisjoint(labels())
    assert {key: strings.COLUMNS[key] for key in labels()} == labels()
    assert {
        key: strings.COLUMNS[key]
        for key in ("programme_id", "period", "capacity", "budget_eur", "spend_eur", "cluster_id")
    } == {
        "programme_id": "ID",
        "period": "Month",
        "capacity": "Capacity (people)",
        "budget_eur": "Budget (EUR)",
        "spend_eur": "Spend (EUR)",
        "cluster_id": "Cluster",
    }


def test_fields_named_alike_in_the_frames_share_their_label_and_meaning() -> None:
    """One frame column, one label: the Programme ID of the Programmes and Progress sheets."""
    seen: dict[str, Field] = {}
    for sheet in SHEETS:
        for field in sheet:
            first = seen.setdefault(field.frame_key, field)
            assert (first.label, first.description) == (field.label, field.description)


def test_every_field_says_what_it_means_and_counts() -> None:
    for sheet in (*SHEETS, *NETWORK_SHEETS):
        for field in sheet:
            assert field.description.endswith("."), field.key
            if field.kind.value in ("count", "amount"):
                assert field.unit in ("people", "EUR"), field.key


def _first_table(text: str, heading: str) -> list[list[str]]:
    after = text[text.index(heading) :]
    start = after.index("\n|")
    rows = []
    for line in after[start + 1 :].splitlines():
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip().strip("|").split("|")])
    return rows[2:]  # without the header and the separator


def test_upload_guide_lists_the_progress_columns_of_the_catalogue() -> None:
    rows = _first_table((DOCS / "upload.md").read_text(encoding="utf-8"), "## 2. Fill it in")
    assert [(row[0], row[1]) for row in rows] == [
        (f.header, "yes" if f.required else "no") for f in PROGRESS_FIELDS
    ]


@pytest.mark.parametrize(
    "sheet",
    [
        PROGRESS_FIELDS,
        PROGRAMME_FIELDS,
        TARGET_FIELDS,
        REGION_FIELDS,
        CLUSTER_FIELDS,
        FACILITY_FIELDS,
    ],
)
def test_analysis_docs_list_the_catalogue(sheet: tuple[Field, ...]) -> None:
    """docs/analysis.md shows each sheet's fields as the catalogue declares them."""
    text = (DOCS / "analysis.md").read_text(encoding="utf-8")
    kind = next(k for k, contract in CONTRACTS.items() if contract.columns == sheet)
    rows = _first_table(text, f"**{CONTRACTS[kind].sheet_name}**")
    assert rows == [
        [
            f.key,
            f.header,
            f.kind.value,
            f.unit or "",
            "error" if f.required else ("not reported" if f.not_reported_if_blank else "allowed"),
            f.description,
        ]
        for f in sheet
    ]


def test_no_converted_module_declares_a_field_again() -> None:
    """No dict in the modules that derive from the catalogue gives a field's key its header,
    label or dtype again: they take them from :mod:`skills_roadmap.fields`."""
    root = Path(__file__).resolve().parents[1]
    modules = [
        "src/skills_roadmap/ingest/contract.py",
        "src/skills_roadmap/storage/progress.py",
        "src/skills_roadmap/storage/admin_tables.py",
        "src/skills_roadmap/ingest/admin_sheets.py",
        "src/skills_roadmap/ingest/progress.py",
        "src/skills_roadmap/analysis/frames.py",
        "src/skills_roadmap/storage/snapshot.py",
        "dashboard/strings.py",
    ]
    pairs = {
        pair
        for sheet in SHEETS
        for f in sheet
        for pair in [
            (f.key, f.header),
            (f.key, f.dtype),
            (f.frame_key, f.header),
            (f.frame_key, f.label),
            (f.frame_key, f.report_header),
        ]
    }
    entry = re.compile(r'"([a-z_]+)"\s*[:,]\s*"([^"]+)"')
    found = [
        (module, match.groups())
        for module in modules
        for match in entry.finditer((root / module).read_text(encoding="utf-8"))
        if match.groups() in pairs
    ]
    assert found == []
