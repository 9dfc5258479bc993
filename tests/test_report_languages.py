"""Reports and the command line in the reader's language: Excel, PDF, `--lang` and `LANG`.

The Spanish catalog does not hold the reports' newest messages until the translators have
run, so the whole-report checks use the pseudo-language ("⟦…⟧" marks every translated text)
and the Spanish checks use words the catalog already translates (statuses, sheet names,
months) and Spanish number formats.
"""

from __future__ import annotations

import base64
import contextvars
import io
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from reports_helpers import SHEETS, needs_chromium, tiny_frames, tiny_records
from typer.testing import CliRunner

from dashboard.app import create_app
from dashboard.components.filter_bar import filters_data
from dashboard.components.report_download import prepare_download
from skills_roadmap import audit
from skills_roadmap.analysis import Filters
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.cli import app as cli_app
from skills_roadmap.i18n import use_language
from skills_roadmap.i18n.pseudo import pseudo
from skills_roadmap.reports import ReportContent, report_content, write_pdf, write_xlsx
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine

GENERATED = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def tiny_report(language: str) -> ReportContent:
    with use_language(language):
        return report_content(tiny_frames(), records=tiny_records(), generated_at=GENERATED)


def workbook(language: str) -> openpyxl.Workbook:
    """The tiny network's report as an Excel file written and read back in ``language``."""
    buffer = io.BytesIO()
    with use_language(language):
        write_xlsx(tiny_report(language), buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def column_a(sheet: object) -> list[object]:
    return [row[0] for row in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]


def test_a_pseudo_language_workbook_marks_its_sheet_names_summary_and_labels() -> None:
    book = workbook("en-XA")
    summary = book.worksheets[0]

    assert book.sheetnames == [pseudo(name) for name in SHEETS]
    assert column_a(summary)[:16] == [
        "⟦Skîlls Röådmåp répört: ⟦Nétwörk⟧⟧",
        None,
        "⟦Éxécütîvé sümmåry⟧",
        "⟦⟦thé nétwörk⟧ hås réåchéd 35 % öf îts 2025 ⟦båsîc⟧-lévél tårgét (168 öf 480 "
        "péöplé ⟦cömplétéd⟧), ⟦13 pöînts béhînd îts tråjéctöry⟧: ⟦Öff tråck⟧.⟧",
        "⟦Åt thé récént rün råté öf 14 péöplé å mönth, thé ⟦båsîc⟧-lévél tårgét wîll nöt bé "
        "réåchéd by thé énd öf 2025; ît nééds 26 å mönth fröm nöw ön.⟧",
        "⟦one öf thé two régîöns îs öff tråck åt öné lévél ör möré: Nord-Vest (⟦båsîc⟧).⟧",
        "⟦Évéry prögråmmé düé tö répört hås répörtéd thröügh 2024-12.⟧",
        "⟦216 péöplé håvé énrölléd ånd 168 cömplétéd în two prögråmmés sö får.⟧",
        "⟦Spénd sö får îs €18,000, 50 % öf thé €36,000 büdgét.⟧",
        None,
        "⟦Dåtå⟧",
        "⟦Dåtå ås öf⟧",
        "⟦Låst üplöåd⟧",
        "⟦Généråtéd⟧",
        None,
        "⟦Fîltérs⟧",
    ]
    # Numbers stay numbers: the Summary table's cells are numeric, only headers are words.
    header = column_a(summary).index("⟦Åttåînmént pér lévél⟧") + 2
    assert [cell.value for cell in summary[header]][4:7] == [
        "⟦Déådlîné⟧",
        "⟦Tårgét⟧",
        "⟦Åchîévéd⟧",
    ]
    assert [cell.value for cell in summary[header + 1]][4:9] == [
        2025,
        480,
        168,
        229.5652173913043,
        0.35,
    ]
    assert summary.HeaderFooter.oddFooter.right.text == "⟦Pågé &P öf &N⟧"


def test_a_spanish_workbook_has_spanish_sheet_names_months_statuses_and_numbers() -> None:
    book = workbook("es")
    summary = book.worksheets[0]
    rows = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}

    assert book.sheetnames[1:3] == ["Regiones", "Clústeres"]
    assert book.sheetnames[-1] == "Notas"
    assert rows["Datos a fecha de"] == "diciembre de 2024"
    sentences = column_a(summary)[3:9]
    assert str(sentences[0]).endswith(": desviado.")  # "Off track", as the catalog has it
    # CLDR puts a no-break space before "€" and "%" in Spanish.
    assert str(sentences[5]) == (
        "El gasto hasta la fecha es de 18.000\xa0€, el 50\xa0% del presupuesto de 36.000\xa0€."
    )


def test_english_reports_are_unchanged() -> None:
    content = tiny_report("en")

    assert content.summary[0] == (
        "The network has reached 35 % of its 2025 basic-level target (168 of 480 people "
        "completed), 13 points behind its trajectory: off track."
    )
    assert content.facts[0] == ("Data as of", "2024-12")
    assert workbook("en").sheetnames == SHEETS


@needs_chromium
def test_a_spanish_pdf_holds_the_summary_in_spanish(tmp_path: Path) -> None:
    path = tmp_path / "informe.pdf"
    with use_language("es"), path.open("wb") as handle:
        content = tiny_report("es")
        write_pdf(content, handle)
    printed = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = " ".join(printed.split())  # words as read, lines joined

    for sentence in content.summary:
        assert " ".join(sentence.split()) in text
    assert "diciembre de 2024" in text
    assert "El gasto hasta la fecha es de 18.000 €, el 50 % del presupuesto de 36.000 €." in text


@pytest.fixture
def demo_copy(demo_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo database (exports write to its audit log) that commands open."""
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_database, copy)
    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", f"sqlite:///{copy}")
    return copy


@pytest.mark.parametrize(
    ("options", "environment", "expected"),
    [
        (["--lang", "en-XA"], {}, "⟦Skîlls Röådmåp répört: Aragón⟧"),
        (["--lang", "es"], {"LANG": "de_DE.UTF-8"}, "Informe de Skills Roadmap: Aragón"),
        ([], {"LANG": "es_ES.UTF-8"}, "Informe de Skills Roadmap: Aragón"),
        ([], {"LANG": "C.UTF-8"}, "Skills Roadmap report: Aragón"),
    ],
)
def test_export_writes_the_report_in_the_language_of_lang_else_the_environment(
    demo_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    options: list[str],
    environment: dict[str, str],
    expected: str,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "aragon.xlsx"

    result = CliRunner().invoke(
        cli_app, [*options, "export", "--region", "ES24", "--out", str(out)]
    )

    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    rows = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row[0]}
    assert book.worksheets[0]["A1"].value == expected
    spanish = "es" in options or environment.get("LANG", "").startswith("es")
    if spanish:
        assert book.sheetnames[1:3] == ["Regiones", "Clústeres"]
        assert rows["Datos a fecha de"] == "octubre de 2026"
    elif "en-XA" in options:
        assert book.sheetnames[:3] == [pseudo("Summary"), pseudo("Regions"), pseudo("Clusters")]
    else:
        assert book.sheetnames[:3] == ["Summary", "Regions", "Clusters"]
        assert rows["Data as of"] == "2026-10"


def test_summary_prints_in_the_chosen_language(demo_copy: Path) -> None:
    runner = CliRunner()

    english = runner.invoke(cli_app, ["summary", "--region", "ES24"])
    spanish = runner.invoke(cli_app, ["--lang", "es", "summary", "--region", "ES24"])

    assert english.exit_code == 0 and spanish.exit_code == 0, english.output + spanish.output
    assert english.output.splitlines()[0] == "as of 2026-10: targets of ES24 (region)"
    assert "octubre de 2026" in spanish.output.splitlines()[0]
    english_rows, spanish_rows = english.output.splitlines()[2:], spanish.output.splitlines()[2:]
    assert len(english_rows) == len(spanish_rows) > 0
    for english_row, spanish_row in zip(english_rows, spanish_rows, strict=True):
        # Spanish groups thousands with a dot: "1,234" in English is "1.234".
        assert spanish_row.split()[1:3] == [
            word.replace(",", ".") for word in english_row.split()[1:3]
        ]


def test_an_unknown_lang_is_refused_in_one_line(demo_copy: Path) -> None:
    result = CliRunner().invoke(cli_app, ["--lang", "xx", "summary"])

    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: unknown language 'xx': give --lang one of en, es, ro, sv, pt, it, fr, nl, fi, "
        "pl, el, de"
    ]


def test_a_download_from_the_dashboard_is_in_the_pages_language(demo_copy: Path) -> None:
    get_settings.cache_clear()
    get_engine.cache_clear()
    application = create_app()

    def download() -> dict[str, str]:
        with application.server.test_request_context(
            "/reports",
            headers={"Cookie": "lang=es"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        ):
            application.server.preprocess_request()  # chooses the request's language
            sent, message = prepare_download("xlsx", filters_data(Filters(regions=("ES24",))))
        assert message is None
        return sent

    sent = contextvars.copy_context().run(download)  # the request's language stays in it
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    entries = audit.query(get_engine(), AuditQuery(action=AuditAction.EXPORT))
    get_engine.cache_clear()

    assert book.sheetnames[1:3] == ["Regiones", "Clústeres"]
    rows = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row[0]}
    assert rows["Datos a fecha de"] == "octubre de 2026"
    # The audit log records the filters by their English names, whatever the reader's language.
    assert json.loads(str(entries[0].detail))["regions"] == "Aragón (ES24)"
