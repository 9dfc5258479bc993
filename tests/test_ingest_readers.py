"""Every accepted format read into the same shape: the header found, the rows below it split."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import FileFormat, SheetKind, read_sheet
from skills_roadmap.ingest.cells import display
from skills_roadmap.ingest.contract import CONTRACTS, PROGRESS
from skills_roadmap.ingest.formulas import BrokenCell, column_letter
from skills_roadmap.ingest.readers import SheetInfo, Workbook, choose_sheet

FIXTURES = Path(__file__).parent / "fixtures"
VALID_FORMATS = ["xlsx", "xlsm", "xls", "ods"]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def cells_as_text(name: str) -> list[list[str]]:
    sheet = read_sheet(fixture(name))
    return [[display(sheet.cells[key][i]) for key in sheet.cells] for i in range(len(sheet))]


@pytest.mark.parametrize("extension", VALID_FORMATS)
def test_header_under_a_title_is_found_with_odd_case_and_spacing(extension: str) -> None:
    """Title on row 1, header on row 3 written 'programme_id', ' PERIOD ', 'Dropped-Out'..."""
    sheet = read_sheet(fixture(f"progress_valid.{extension}"))
    assert sheet.kind is SheetKind.PROGRESS
    assert sheet.sheet == "Monthly report"
    assert sheet.header_row == 3
    assert {key: h.text for key, h in sheet.headers.items()} == {
        "programme_id": "programme_id",
        "period": "PERIOD",
        "enrolled": "Enrolled",
        "completed": "COMPLETED",
        "certified": "certified",
        "dropped_out": "Dropped-Out",
        "women": "women",
        "spend_eur": "Spend_EUR",
        "notes": "Notes",
    }
    assert [h.text for h in sheet.ignored] == ["Comment (internal)"]


@pytest.mark.parametrize("extension", VALID_FORMATS)
def test_rows_are_numbered_as_in_the_spreadsheet_and_trailing_rows_ignored(
    extension: str,
) -> None:
    """Four data rows on rows 4-7; the formatted empty row 30 and the hidden sheet are ignored."""
    sheet = read_sheet(fixture(f"progress_valid.{extension}"))
    assert sheet.rows.tolist() == [4, 5, 6, 7]


@pytest.mark.parametrize("extension", VALID_FORMATS)
def test_cell_values_keep_their_type_as_saved(extension: str) -> None:
    """Date cells stay dates, text stays text ('12' and '2025-04'), numbers are numbers."""
    sheet = read_sheet(fixture(f"progress_valid.{extension}"))
    periods = sheet.cells["period"]
    assert [type(v) for v in periods[1:3]] == [str, str]
    assert list(periods[1:3]) == ["2025-04", "2025-04-01"]
    # A date cell comes back as a date, or a datetime at midnight, depending on its format.
    assert [v if type(v) is date else v.date() for v in periods[[0, 3]]] == [
        date(2025, 3, 1),
        date(2025, 5, 1),
    ]
    assert all(isinstance(v, datetime | date) for v in periods[[0, 3]])
    assert sheet.cells["enrolled"][1] == "12"
    assert float(sheet.cells["completed"][1]) == 12.0


def test_csv_with_title_rows_reads_like_the_workbook() -> None:
    sheet = read_sheet(fixture("progress_valid.csv"))
    assert (sheet.sheet, sheet.header_row, sheet.rows.tolist()) == ("Progress", 3, [4, 5, 6, 7])
    assert cells_as_text("progress_valid.csv")[2] == [
        "ARA-2",
        "2025-04-01",
        "20",
        "5",
        "5",
        "0",
        "10",
        "300",
        "+3 late joiners, all women",
    ]


def test_semicolon_csv_in_windows_1252_is_split_on_semicolons() -> None:
    assert cells_as_text("progress_semicolon_cp1252.csv") == [
        ["ARA-1", "2025-03", "12", "10", "8", "1", "6", "1500,5", "Formación"],
        ["ARA-2", "2025-04", "20", "5", "5", "0", "10", "300", ""],
    ]


def test_sheet_named_progress_is_chosen_among_several_visible_sheets(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Notes"
    first.append(["nothing here"])
    progress = workbook.create_sheet("PROGRESS")
    progress.append(["Programme ID", "Period", "Enrolled", "Completed"])
    progress.append(["ARA-1", "2025-03", 1, 1])
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    assert read_sheet(path.read_bytes()).sheet == "PROGRESS"


def test_several_visible_sheets_without_a_progress_sheet_are_refused() -> None:
    with pytest.raises(UnreadableFileError) as refused:
        read_sheet(fixture("progress_two_sheets.xlsx"))
    assert str(refused.value) == (
        "the workbook has 2 visible sheets ('March', 'April') and none is called 'Progress', "
        "'Programmes', 'Targets', 'Regions', 'Clusters' or 'Facilities': rename the sheet to "
        "import, or hide or delete the others"
    )


def test_missing_header_lists_the_expected_headers_and_the_ones_found() -> None:
    with pytest.raises(UnreadableFileError) as refused:
        read_sheet(fixture("progress_no_header.xlsx"), kind_hint="progress")
    assert str(refused.value) == (
        "no header row in the first 10 rows of sheet 'Progress'; expected the headers "
        "Progress: Programme ID, Period, Enrolled, Completed (required) and Certified, "
        "Dropped out, Women, Spend EUR, Notes, Men, Non-binary, Under 18, Aged 18-29, "
        "Aged 30-54, Aged 55 and over, Employed, Unemployed, Long-term unemployed, Inactive, "
        "ISCED 0-2, ISCED 3-4, ISCED 5-8 (optional); row 1 has Programme, Month, Enroled, Done"
    )


def test_sheet_and_header_refusals_are_in_the_readers_language() -> None:
    """Every word is translated (marked in the pseudo-language); the file's sheet names and
    headers, and the sheet names and headers a template writes, are not."""
    with use_language(PSEUDO_LANGUAGE):
        with pytest.raises(UnreadableFileError) as several:
            read_sheet(fixture("progress_two_sheets.xlsx"))
        with pytest.raises(UnreadableFileError) as headless:
            read_sheet(fixture("progress_no_header.xlsx"), kind_hint="progress")
    assert str(several.value) == (
        "⟦thé wörkböök hås 2 vîsîblé shééts ('March', 'April') ånd nöné îs cålléd ⟦'Progress', "
        "'Programmes', 'Targets', 'Regions', 'Clusters' ör 'Facilities'⟧: rénåmé thé shéét tö "
        "împört, ör hîdé ör délété thé öthérs⟧"
    )
    assert str(headless.value) == (
        "⟦nö héådér röw în thé fîrst 10 röws öf shéét 'Progress'; éxpéctéd thé héådérs "
        "⟦Progress: ⟦Programme ID, Period, Enrolled, Completed (réqüîréd) ånd Certified, "
        "Dropped out, Women, Spend EUR, Notes, Men, Non-binary, Under 18, Aged 18-29, "
        "Aged 30-54, Aged 55 and over, Employed, Unemployed, Long-term unemployed, Inactive, "
        "ISCED 0-2, ISCED 3-4, ISCED 5-8 (öptîönål)⟧⟧; röw 1 hås Programme, Month, Enroled, "
        "Done⟧"
    )


def test_the_expected_headers_are_named_in_the_readers_language() -> None:
    """Headers are read in any language; a Spanish reader is told the Spanish ones."""
    with use_language("es"):
        with pytest.raises(UnreadableFileError) as refused:
            read_sheet(fixture("progress_no_header.xlsx"), kind_hint="progress")
        headers = PROGRESS.describe("es")
    # Only the sheet's name and headers: the message's words read Spanish once the catalog
    # has it.
    assert "Progreso" in str(refused.value) and headers in str(refused.value)
    assert headers.startswith("ID del programa, Periodo, Inscritos, Finalizados (")


class HiddenSheets:
    """A workbook whose only sheet is hidden (spreadsheet programs refuse to save one)."""

    file_format = FileFormat.XLSX
    sheets = [SheetInfo("March", visible=False)]


def test_a_workbook_without_a_visible_sheet_says_to_unhide_one() -> None:
    book: Workbook = HiddenSheets()  # type: ignore[assignment]
    with pytest.raises(UnreadableFileError) as refused:
        choose_sheet(book, [PROGRESS])
    assert str(refused.value) == (
        "the workbook has no visible sheet: unhide the sheet to import and call it 'Progress'"
    )
    with use_language(PSEUDO_LANGUAGE), pytest.raises(UnreadableFileError) as marked:
        choose_sheet(book, list(CONTRACTS.values()))
    assert str(marked.value) == (
        "⟦thé wörkböök hås nö vîsîblé shéét: ünhîdé thé shéét tö împört ånd cåll ît ⟦'Progress', "
        "'Programmes', 'Targets', 'Regions', 'Clusters' ör 'Facilities'⟧⟧"
    )


def test_header_below_row_ten_is_not_searched(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for _ in range(10):
        sheet.append(["title"])
    sheet.append(["Programme ID", "Period", "Enrolled", "Completed"])
    path = tmp_path / "low.xlsx"
    workbook.save(path)
    with pytest.raises(UnreadableFileError, match="row 1 has title$"):
        read_sheet(path.read_bytes(), kind_hint=SheetKind.PROGRESS)


def test_formula_cells_without_a_saved_result_are_found() -> None:
    """openpyxl writes formulas without results; the reader reports those cells."""
    sheet = read_sheet(fixture("progress_errors.xlsx"))
    assert sheet.broken == (
        BrokenCell(row=14, column=2, reason="a formula without a saved result"),
    )


def test_formulas_saved_with_results_are_read_as_their_results() -> None:
    """LibreOffice saved =5+7 as 12 and =C2-2 as 10; =1/0 as the error #DIV/0!."""
    sheet = read_sheet(fixture("progress_formulas_cached.xlsx"))
    assert [display(v) for v in sheet.cells["enrolled"]] == ["12", "3"]
    assert [display(v) for v in sheet.cells["completed"]] == ["10", "1"]
    assert sheet.broken == (
        BrokenCell(row=2, column=7, reason="a formula whose result is the error #DIV/0!"),
    )


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (7, "H"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")]
)
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_admin_sheets_are_detected_by_their_name() -> None:
    assert read_sheet(fixture("programmes.xlsx")).kind is SheetKind.PROGRAMMES
    assert read_sheet(fixture("targets.xlsx")).kind is SheetKind.TARGETS


def test_csv_kind_is_detected_by_its_headers() -> None:
    data = (
        b"Target ID,Scope,Level,Deadline year,Value,Baseline year\nT1,network,basic,2027,9,2024\n"
    )
    assert read_sheet(data).kind is SheetKind.TARGETS


def test_a_hidden_sheet_is_never_imported(tmp_path: Path) -> None:
    """A hidden sheet called Progress loses to the one visible sheet."""
    workbook = openpyxl.Workbook()
    visible = workbook.active
    assert visible is not None
    visible.title = "March"
    visible.append(["Programme ID", "Period", "Enrolled", "Completed"])
    visible.append(["ARA-1", "2025-03", 1, 1])
    hidden = workbook.create_sheet("Progress")
    hidden.append(["Programme ID", "Period", "Enrolled", "Completed"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "hidden.xlsx"
    workbook.save(path)
    sheet = read_sheet(path.read_bytes())
    assert (sheet.sheet, len(sheet)) == ("March", 1)


def test_a_header_without_rows_is_refused() -> None:
    with pytest.raises(UnreadableFileError) as refused:
        read_sheet(b"Programme ID,Period,Enrolled,Completed\r\n,,,\r\n")
    assert str(refused.value) == (
        "sheet 'Progress' has a header on row 1 but no rows below it: fill in at least one row"
    )


def _renamed_parts(rename: Callable[[str], str]) -> bytes:
    source = zipfile.ZipFile(FIXTURES / "progress_valid.xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(rename(name), source.read(name))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "rename",
    [
        lambda name: name.replace("/", "\\"),  # written on Windows by a careless library
        lambda name: name if name.startswith(("_rels", "[")) else name.upper(),
        lambda name: "/" + name,  # the reader itself cannot find these: the zip is rebuilt
    ],
    ids=["backslashes", "upper-case", "leading-slash"],
)
def test_an_xlsx_with_unusual_part_names_is_read_like_any_other(
    rename: Callable[[str], str],
) -> None:
    sheet = read_sheet(_renamed_parts(rename))
    assert (sheet.file_format, sheet.sheet, len(sheet)) == (FileFormat.XLSX, "Monthly report", 4)


def test_an_xlsb_workbook_is_read() -> None:
    """Binary workbooks are read (a corpus file of another library: it has no progress header)."""
    with pytest.raises(UnreadableFileError, match="^no header row in the first 10 rows of sheet"):
        read_sheet((FIXTURES / "corpus" / "xlrd-sample.xlsb").read_bytes())


def test_a_workbook_of_many_sheets_names_ten_of_them() -> None:
    workbook = openpyxl.Workbook()
    for index in range(14):
        workbook.create_sheet(f"Month {index + 1}")
    del workbook[workbook.sheetnames[0]]
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(UnreadableFileError) as refused:
        read_sheet(buffer.getvalue())
    assert str(refused.value) == (
        "the workbook has 14 visible sheets ('Month 1', 'Month 2', 'Month 3', 'Month 4', "
        "'Month 5', 'Month 6', 'Month 7', 'Month 8', 'Month 9', 'Month 10' and 4 more) and none "
        "is called 'Progress', 'Programmes', 'Targets', 'Regions', 'Clusters' or 'Facilities': "
        "rename the sheet to import, or hide or delete the others"
    )
