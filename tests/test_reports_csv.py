"""The CSV set, read back by pandas: tidy tables, documented columns, UTF-8 and ISO dates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from reports_helpers import FORMULA_NAME, tiny_frames, tiny_records
from sqlalchemy import Engine

from skills_roadmap.analysis import Filters, attainment, load_frames
from skills_roadmap.reports import report_content, write_csv_folder, write_csv_zip
from skills_roadmap.reports.csv import quoted

FILES = [
    "summary.csv",
    "regions.csv",
    "clusters.csv",
    "matrix.csv",
    "programmes.csv",
    "progress.csv",
    "targets.csv",
    "target_revisions.csv",
    "attainment.csv",
    "eu_frames.csv",
    "esf.csv",
    "uploads.csv",
    "columns.csv",
    "README.txt",
]


@pytest.fixture(scope="module")
def demo_folder(demo_database: object, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from skills_roadmap.reports import load_records
    from skills_roadmap.storage import make_engine

    engine = make_engine(f"sqlite:///{demo_database}")
    content = report_content(load_frames(engine), records=load_records(engine))
    engine.dispose()
    folder = tmp_path_factory.mktemp("csv") / "report"
    write_csv_folder(content, folder)
    return folder


def test_folder_holds_the_tables_their_dictionary_and_a_readme(demo_folder: Path) -> None:
    assert sorted(path.name for path in demo_folder.iterdir()) == sorted(FILES)


def test_attainment_csv_has_one_row_per_target_with_the_analysis_figures(
    demo_engine: Engine, demo_folder: Path
) -> None:
    table = pd.read_csv(demo_folder / "attainment.csv").set_index("target_id")
    expected = attainment(load_frames(demo_engine)).set_index("target_id")

    assert {
        "scope",
        "level",
        "metric",
        "target",
        "achieved",
        "expected",
        "attainment",
        "status",
    } <= set(table.columns)
    assert sorted(table.index) == sorted(expected.index)
    for measure in ("target", "achieved", "expected", "attainment"):
        pd.testing.assert_series_equal(
            table[measure].astype(float),
            expected.loc[table.index, measure],
            check_names=False,
            check_index=False,
        )
    assert table["status"].tolist() == expected.loc[table.index, "status"].astype(str).tolist()


def test_progress_csv_has_the_contracts_columns_and_iso_months(
    demo_engine: Engine, demo_folder: Path
) -> None:
    progress = pd.read_csv(demo_folder / "progress.csv", dtype={"period": str})
    frames = load_frames(demo_engine)

    assert list(progress.columns) == [
        "programme_id",
        "period",
        "enrolled",
        "completed",
        "certified",
        "dropped_out",
        "women",
        "spend_eur",
        "notes",
        # the ESF+ participant breakdowns
        "men",
        "non_binary",
        "age_under_18",
        "age_18_29",
        "age_30_54",
        "age_55_over",
        "employed",
        "unemployed",
        "long_term_unemployed",
        "inactive",
        "isced_0_2",
        "isced_3_4",
        "isced_5_8",
    ]
    assert len(progress) == len(frames.progress)
    assert progress["period"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert progress["completed"].sum() == frames.progress["completed"].sum()
    # blank means "not reported": as many blanks as the analysis frames hold
    assert progress["certified"].isna().sum() == frames.progress["certified"].isna().sum()


def test_programmes_csv_has_iso_dates_and_utf8_names(demo_folder: Path) -> None:
    programmes = pd.read_csv(demo_folder / "programmes.csv", dtype=str, keep_default_na=False)

    assert programmes["start"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert programmes["name"].str.contains("Zaragoza").any()
    assert (demo_folder / "programmes.csv").read_bytes()[:3] != b"\xef\xbb\xbf"  # no BOM


def test_columns_csv_documents_every_column_of_every_table(demo_folder: Path) -> None:
    dictionary = pd.read_csv(demo_folder / "columns.csv")

    for name in FILES[:8]:
        header = pd.read_csv(demo_folder / name, nrows=0).columns.tolist()
        documented = dictionary[dictionary["table"] == name.removesuffix(".csv")]["column"]
        assert documented.tolist() == header, name


def test_readme_carries_the_executive_summary_and_filters(demo_folder: Path) -> None:
    readme = (demo_folder / "README.txt").read_text(encoding="utf-8")

    assert "Executive summary:" in readme and "Regions: all" in readme
    assert "The network has reached" in readme


def test_zip_holds_the_same_files_in_one_folder() -> None:
    content = report_content(tiny_frames(), records=tiny_records())
    buffer = io.BytesIO()
    write_csv_zip(content, buffer)

    with zipfile.ZipFile(buffer) as archive:
        names = archive.namelist()
        summary = pd.read_csv(archive.open(f"{content.slug}/summary.csv"))
    assert sorted(names) == sorted(f"{content.slug}/{name}" for name in FILES)
    # One row per selected level, as /api/v1/summary: no target at the other two levels.
    shown = summary[["level", "targets", "target", "achieved", "status"]].astype(object)
    assert shown.where(shown.notna(), None).values.tolist() == [
        ["basic", 1, 480, 168, "off_track"],
        ["intermediate", 0, None, None, None],
        ["expert", 0, None, None, None],
    ]


def test_formula_like_text_gets_an_apostrophe_and_round_trips_as_text(tmp_path: Path) -> None:
    content = report_content(
        tiny_frames(programme_name=FORMULA_NAME, cluster_name="@SUM(1+1)"),
        records=tiny_records(note='-2+3, said "they"'),
    )
    write_csv_folder(content, tmp_path)
    programmes = pd.read_csv(tmp_path / "programmes.csv")
    clusters = pd.read_csv(tmp_path / "clusters.csv")
    progress = pd.read_csv(tmp_path / "progress.csv")

    assert programmes.loc[0, "name"] == "'" + FORMULA_NAME
    assert clusters.loc[0, "name"] == "'@SUM(1+1)"
    assert progress.loc[0, "notes"] == '\'-2+3, said "they"'
    # numbers are numbers, never prefixed, negative or not
    assert pd.api.types.is_float_dtype(pd.read_csv(tmp_path / "attainment.csv")["gap"])


def test_uploads_csv_has_utc_times_in_iso_8601(tmp_path: Path) -> None:
    write_csv_folder(report_content(tiny_frames(), records=tiny_records()), tmp_path)

    assert pd.read_csv(tmp_path / "uploads.csv")["uploaded_at"].tolist() == ["2025-01-05T09:30:00Z"]


def test_rewriting_a_folder_replaces_its_files_completely(tmp_path: Path) -> None:
    write_csv_folder(report_content(tiny_frames()), tmp_path)
    write_csv_folder(report_content(tiny_frames(), Filters(regions=("ES24",))), tmp_path)

    assert pd.read_csv(tmp_path / "regions.csv")["region_code"].tolist() == ["ES24"]
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("plain", "plain"),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("two\nlines", '"two\nlines"'),
    ],
)
def test_fields_are_quoted_only_when_they_need_it(text: str, field: str) -> None:
    assert quoted(text) == field
