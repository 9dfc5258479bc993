"""Sheets in the manager's language: headers, sheet names and list values in any language of
the network import as the English ones do; templates are written in a chosen language."""

from __future__ import annotations

import doctest
import io
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from ingest_helpers import TODAY, add_network, stored_progress
from network_helpers import (
    CLUSTER_HEADERS,
    PROGRAMME_HEADERS,
    REGION_HEADERS,
    TARGET_HEADERS,
    sheet_values,
    workbook_bytes,
)
from sqlalchemy import Engine
from typer.testing import CliRunner

from skills_roadmap.cli import app
from skills_roadmap.domain import UploadOutcome
from skills_roadmap.exceptions import UnreadableFileError
from skills_roadmap.fields import FieldKind
from skills_roadmap.ingest import (
    annotated_workbook,
    commit_upload,
    dry_run,
    network_template,
    network_workbook,
    progress_template,
)
from skills_roadmap.ingest.cells import choices
from skills_roadmap.ingest.contract import CONTRACTS
from skills_roadmap.reference.sheet_terms import (
    LANGUAGES,
    Term,
    TermCollisionError,
    TermKind,
    UnknownLanguageError,
    fold,
    glossary_markdown,
    spelling,
    term_index,
    terms,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"
ENGLISH_PROGRESS = [
    "Programme ID", "Period", "Enrolled", "Completed", "Certified", "Dropped out", "Women",
    "Spend EUR", "Notes",
]  # fmt: skip

# Each language's sheets as a manager writes them: sheet names, headers (some without their
# accents or in capitals, as people type them) and the words of the levels, helix roles,
# delivery modes, scope and metric.
NATIVE: dict[str, dict[str, Any]] = {
    "en": {
        "sheets": ("Programmes", "Targets", "Progress"),
        "programmes": PROGRAMME_HEADERS,
        "targets": TARGET_HEADERS,
        "progress": ENGLISH_PROGRESS,
        "levels": ("basic", "intermediate", "expert"),
        "helices": ("academia", "industry", "public"),
        "modes": ("online", "in-person", "blended"),
        "scope_metric": ("region", "completed"),
    },
    "es": {
        "sheets": ("Programas", "Objetivos", "Progreso"),
        "programmes": [
            "ID del programa", "Nombre", "ID del clúster", "REGION", "Nivel", "Proveedor",
            "Hélice del proveedor", "Modalidad", "Inicio", "Fin", "Plazas", "Presupuesto EUR",
            "Fuente de financiación",
        ],
        "targets": [
            "ID del objetivo", "Ámbito", "ID del ámbito", "Nivel", "Indicador", "Año límite",
            "Valor", "Año de referencia", "Valor de referencia", "Hitos",
        ],
        "progress": [
            "ID del programa", "Período", "Inscritos", "Finalizados", "Certificados",
            "Abandonos", "Mujeres", "Gasto EUR", "Notas",
        ],
        "levels": ("Básico", "intermedio", "EXPERTO"),
        "helices": ("academia", "Industria", "sector publico"),
        "modes": ("en línea", "presencial", "mixto"),
        "scope_metric": ("Región", "finalizados"),
    },
    "sv": {
        "sheets": ("Program", "Mål", "Framsteg"),
        "programmes": [
            "Program-ID", "Namn", "Kluster-ID", "Region", "Nivå", "Anordnare",
            "Anordnarens helix", "Undervisningsform", "Start", "Slut", "Platser", "Budget EUR",
            "Finansieringskälla",
        ],
        "targets": [
            "Mål-ID", "Omfattning", "Omfattnings-ID", "Nivå", "Mått", "Målår", "Värde", "Basår",
            "Basvärde", "Delmål",
        ],
        "progress": [
            "Program-ID", "Period", "Inskrivna", "Slutförda", "Certifierade", "Avhoppade",
            "Kvinnor", "Utgifter EUR", "Anteckningar",
        ],
        "levels": ("grundläggande", "Medel", "expert"),
        "helices": ("akademi", "näringsliv", "offentlig sektor"),
        "modes": ("distans", "på plats", "blandat"),
        "scope_metric": ("region", "slutförda"),
    },
    "el": {
        "sheets": ("Προγράμματα", "ΣΤΟΧΟΙ", "Πρόοδος"),
        "programmes": [
            "Κωδικός προγράμματος", "Όνομα", "Κωδικός συστάδας", "Περιφέρεια", "ΕΠΙΠΕΔΟ",
            "Πάροχος", "Έλικα παρόχου", "Τρόπος υλοποίησης", "Έναρξη", "Λήξη", "Θέσεις",
            "Προϋπολογισμός EUR", "Πηγή χρηματοδότησης",
        ],
        "targets": [
            "Κωδικός στόχου", "Εμβέλεια", "Κωδικός εμβέλειας", "Επίπεδο", "Δείκτης",
            "Έτος προθεσμίας", "Τιμή", "Έτος βάσης", "Τιμή βάσης", "Ορόσημα",
        ],
        "progress": [
            "Κωδικός προγράμματος", "Περίοδος", "Εγγεγραμμένοι", "Ολοκλήρωσαν",
            "Πιστοποιημένοι", "Εγκατέλειψαν", "Γυναίκες", "Δαπάνη EUR", "Σημειώσεις",
        ],
        "levels": ("βασικό", "μεσαίο", "Εξειδικευμένο"),
        "helices": ("ακαδημαϊκή κοινότητα", "ΒΙΟΜΗΧΑΝΙΑ", "δημόσιος τομέας"),
        "modes": ("διαδικτυακά", "δια ζώσης", "μικτό"),
        "scope_metric": ("περιφέρεια", "ολοκλήρωσαν"),
    },
}  # fmt: skip
NETWORK_BASE = {
    "Regions": [REGION_HEADERS, ["ES24", None, None, None, None, 960_000]],
    "Clusters": [CLUSTER_HEADERS, ["aragon-ai", "Aragón AI", "ES24", None, "industry", None]],
}


def native_workbooks(language: str) -> tuple[bytes, bytes]:
    """The Programmes and Targets workbook and the Progress sheet of ``language``."""
    words = NATIVE[language]
    programmes, targets, progress = words["sheets"]
    programme_rows = [
        [f"P-{n}", f"Programme {n}", "aragon-ai", "ES24", level, "Provider", helix, mode,
         "2025-01-01", "2025-12-31", 100, 10_000, "ESF+"]
        for n, level, helix, mode in zip(
            (1, 2, 3), words["levels"], words["helices"], words["modes"], strict=True
        )
    ]  # fmt: skip
    scope, metric = words["scope_metric"]
    network = {
        programmes: [words["programmes"], *programme_rows],
        targets: [
            words["targets"],
            ["T-1", scope, "ES24", words["levels"][0], metric, 2027, 500, 2024, 0, "2025: 100"],
        ],
    }
    sheet = {
        progress: [
            words["progress"],
            ["P-1", "2025-04", 12, 3, 2, None, 5, 1_500.5, "first cohort"],
            ["P-2", "2025-05", 8, 0, None, 1, None, None, None],
            ["P-3", "2025-05", 4, 4, 4, 0, 2, 900, None],
        ]
    }
    return workbook_bytes(network), workbook_bytes(sheet)


def imported(engine: Engine, language: str) -> tuple[dict[str, list[tuple[Any, ...]]], Any]:
    """The network and progress stored from ``language``'s sheets."""
    committed = commit_upload(engine, workbook_bytes(NETWORK_BASE), "base.xlsx", today=TODAY)
    assert committed.outcome is UploadOutcome.COMMITTED
    network, progress = native_workbooks(language)
    for data in (network, progress):
        result = commit_upload(engine, data, f"{language}.xlsx", today=TODAY)
        assert result.report is not None
        assert (result.outcome, result.report.errors) == (UploadOutcome.COMMITTED, [])
    return sheet_values(network_workbook(engine)), stored_progress(engine)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What the English sheets store (the yardstick)."""
    from skills_roadmap.storage import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('en') / 'en.sqlite'}")
    upgrade(engine)
    stored = imported(engine, "en")
    engine.dispose()
    return stored


@pytest.mark.parametrize("language", ["es", "sv", "el"])
def test_a_sheet_in_the_managers_language_stores_what_the_english_one_does(
    engine: Engine, english: Any, language: str
) -> None:
    """Programmes, a target and a month's progress written with Spanish, Swedish or Greek
    sheet names, headers and values are stored exactly as the English sheets are."""
    network, progress = imported(engine, language)
    assert (network, progress) == english
    # The yardstick holds what the sheets said, in the stored vocabulary.
    assert [row[4:8] for row in network["Programmes"][1:]] == [
        ("basic", "Provider", "academia", "online"),
        ("intermediate", "Provider", "industry", "in-person"),
        ("expert", "Provider", "public", "blended"),
    ]
    assert [(row["programme_id"], row["period"], row["enrolled"]) for row in progress] == [
        ("P-1", "2025-04", 12),
        ("P-2", "2025-05", 8),
        ("P-3", "2025-05", 4),
    ]


def test_no_term_means_two_things_within_one_sheet_or_list_in_any_language() -> None:
    """Every header of a sheet, every sheet name and every list of values folds to distinct
    words across all twelve languages (the contracts would refuse to load otherwise)."""
    for contract in CONTRACTS.values():
        index = term_index(
            TermKind.HEADER, {c.header: c.key for c in contract.columns}, contract.sheet_name
        )
        assert set(index.values()) == {c.key for c in contract.columns}
        for column in contract.columns:
            for language in LANGUAGES:
                word = spelling(TermKind.HEADER, column.header, language)
                assert contract.by_header[fold(word)] == column
        for column in contract.columns:
            if column.choices:
                values = term_index(TermKind.VALUE, {c: c for c in column.choices}, column.key)
                assert set(values.values()) == set(column.choices)
    names = term_index(TermKind.SHEET, {c.sheet_name: c.kind for c in CONTRACTS.values()}, "")
    assert set(names.values()) == set(CONTRACTS)


def test_a_word_naming_two_headers_of_one_sheet_is_refused_when_declared() -> None:
    """A table giving Start and End the same Spanish word cannot build a sheet's index."""
    table = [
        Term(TermKind.HEADER, "Start", {**_same("Start"), "es": ("Inicio",)}),
        Term(TermKind.HEADER, "End", {**_same("End"), "es": ("Fin", "inicio")}),
    ]
    with pytest.raises(TermCollisionError) as refused:
        term_index(TermKind.HEADER, {"Start": "start", "End": "end"}, "the X sheet", table)
    assert str(refused.value) == (
        "the X sheet: 'inicio' means both 'Start' and 'End'; give one of them another word in "
        "sheet_terms.csv"
    )


def _same(word: str) -> dict[str, tuple[str, ...]]:
    return {language: (word,) for language in LANGUAGES}


def test_list_values_are_read_in_any_language_case_and_accent_insensitively() -> None:
    cells = np.array(
        ["Básico", "BASICO", " basic ", "Intermedio", "εξειδικευμένο", "ΒΑΣΙΚΟ", "nope", None, ""],
        dtype=object,
    )
    converted = choices(cells, ("basic", "intermediate", "expert"))
    assert converted.values.tolist() == [
        "basic", "basic", "basic", "intermediate", "expert", "basic", None, None, None,
    ]  # fmt: skip
    assert converted.invalid.tolist() == [False] * 6 + [True, False, False]
    assert converted.blank.tolist() == [False] * 7 + [True, True]


def test_a_missing_header_in_spanish_lists_the_expected_headers_on_one_line(
    engine: Engine,
) -> None:
    add_network(engine)
    headers = [h for h in NATIVE["es"]["progress"] if h != "Inscritos"]
    data = workbook_bytes({"Progreso": [headers, ["ARA-1", "2025-04", 3, None, None]]})
    with pytest.raises(UnreadableFileError) as refused:
        dry_run(engine, data, "es.xlsx", today=TODAY)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(
        "no header row in the first 10 rows of sheet 'Progreso'; expected the headers Progress: "
        "Programme ID, Period, Enrolled, Completed (required) and Certified,"
    )
    assert message.endswith(
        "row 1 has ID del programa, Período, Finalizados, Certificados, Abandonos, Mujeres, "
        "Gasto EUR, Notas (missing: Enrolled)"
    )


def test_a_spanish_template_is_written_in_spanish_and_imports(engine: Engine) -> None:
    """Sheet name, headers and the programme table of its Instructions are Spanish; filled
    in, the template imports."""
    add_network(engine)
    data = progress_template(engine, "aragon-ai", TODAY, "2025-05", language="es")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Progreso", "Instructions"]
    sheet = workbook["Progreso"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:9]) == NATIVE["es"]["progress"][:1] + [
        "Periodo", "Inscritos", "Finalizados", "Certificados", "Abandonos", "Mujeres",
        "Gasto EUR", "Notas",
    ]  # fmt: skip
    assert [row[:2] for row in rows[1:]] == [("ARA-1", "2025-05"), ("ARA-2", "2025-05")]
    for row in (2, 3):
        sheet.cell(row=row, column=3, value=10)
        sheet.cell(row=row, column=4, value=row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = commit_upload(engine, buffer.getvalue(), "plantilla.xlsx", today=TODAY)
    assert result.outcome is UploadOutcome.COMMITTED
    assert [
        (r["programme_id"], r["enrolled"], r["completed"]) for r in stored_progress(engine)
    ] == [
        ("ARA-1", 10, 2),
        ("ARA-2", 10, 3),
    ]


def test_a_greek_network_template_has_greek_sheets_and_drop_downs_and_imports(
    engine: Engine,
) -> None:
    data = network_template("el")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [
        "Instructions", "Περιφέρειες", "Συστάδες", "Προγράμματα", "Στόχοι", "Υποδομές",
        "Reference",
    ]  # fmt: skip
    programmes = workbook["Προγράμματα"]
    lists = {
        str(rule.sqref): rule.formula1
        for rule in programmes.data_validations.dataValidation
        if rule.type == "list"
    }
    assert lists == {
        "C4:C5003": "'Συστάδες'!$A$4:$A$5003",
        "D4:D5003": "'Περιφέρειες'!$A$4:$A$5003",
        "E4:E5003": '"βασικό,μεσαίο,εξειδικευμένο"',
        "G4:G5003": '"βιομηχανία,ακαδημαϊκή κοινότητα,δημόσιος τομέας,κοινωνία των πολιτών"',
        "H4:H5003": '"διαδικτυακά,δια ζώσης,μικτό"',
    }
    # The example row above the header speaks Greek too, and is never imported.
    assert list(programmes.iter_rows(min_row=2, max_row=2, values_only=True))[0][4:8] == (
        "βασικό", "Zaragoza Adult Education Network", "κοινωνία των πολιτών", "μικτό",
    )  # fmt: skip
    workbook["Περιφέρειες"].append(["ES24", None, None, None, None, 960_000])
    workbook["Συστάδες"].append(["aragon-ai", "Aragón AI", "ES24", None, "βιομηχανία", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = commit_upload(engine, buffer.getvalue(), "δίκτυο.xlsx", today=TODAY)
    assert result.outcome is UploadOutcome.COMMITTED
    assert sheet_values(network_workbook(engine))["Clusters"][1] == (
        "aragon-ai", "Aragón AI", "ES24", None, "industry", None,
    )  # fmt: skip


def test_the_marked_workbook_keeps_the_uploaders_own_headers(engine: Engine) -> None:
    add_network(engine)
    headers = NATIVE["sv"]["progress"]
    data = workbook_bytes({"Framsteg": [headers, ["ARA-1", "2025-04", -3, 0]]})
    report = dry_run(engine, data, "sv.xlsx", today=TODAY)
    assert [(p["column"], p["value"]) for p in report.errors] == [("Inskrivna", "-3")]
    marked = openpyxl.load_workbook(io.BytesIO(annotated_workbook(data, report)))
    assert next(marked["Framsteg"].iter_rows(max_row=1, values_only=True)) == tuple(headers)


def test_template_command_writes_the_chosen_language_and_refuses_an_unknown_one(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    out_file = tmp_path / "plantilla.xlsx"
    result = runner.invoke(app, ["template", str(out_file), "--kind", "network", "--lang", "es"])
    assert (result.exit_code, result.stdout) == (0, f"template written: {out_file}\n")
    assert openpyxl.load_workbook(out_file).sheetnames[1:3] == ["Regiones", "Clústeres"]
    result = runner.invoke(app, ["template", str(tmp_path / "x.xlsx"), "--lang", "xx"])
    assert result.exit_code == 1
    assert (
        "no sheets in the language 'xx': choose one of en, es, ro, sv, pt, it, fr, nl, fi, "
        "pl, el, de" in result.stderr
    )


def test_an_unknown_language_is_refused_with_the_languages_to_choose() -> None:
    with pytest.raises(UnknownLanguageError) as refused:
        network_template("tlh")
    assert str(refused.value) == (
        "no sheets in the language 'tlh': choose one of en, es, ro, sv, pt, it, fr, nl, fi, pl, "
        "el, de"
    )


def test_every_term_has_one_translation_per_language_wherever_it_is_used() -> None:
    """A word used both as a header and as a value (Enrolled, Region) is translated alike,
    and the table covers every header, sheet and value of the catalogue."""
    by_word: dict[str, list[Term]] = {}
    for term in terms():
        by_word.setdefault(fold(term.english), []).append(term)
    for same in by_word.values():
        spelled = {tuple(fold(t.words[code][0]) for code in LANGUAGES) for t in same}
        assert len(spelled) == 1, same
    declared = {(t.kind, fold(t.english)) for t in terms()}
    for contract in CONTRACTS.values():
        assert (TermKind.SHEET, fold(contract.sheet_name)) in declared
        for column in contract.columns:
            assert (TermKind.HEADER, fold(column.header)) in declared
            for choice in column.choices:
                assert (TermKind.VALUE, fold(choice)) in declared
            assert column.kind is not FieldKind.CHOICE or column.choices


def test_the_glossary_in_the_docs_is_the_table_of_terms() -> None:
    assert glossary_markdown() in (DOCS / "glossary.md").read_text(encoding="utf-8")


def test_the_examples_in_the_terms_module_hold() -> None:
    from skills_roadmap.reference import sheet_terms

    assert doctest.testmod(sheet_terms).failed == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_network_template_in_each_language_reads_back(engine: Engine, language: str) -> None:
    """Rows written under a template's own headers, with its own drop-down words, are read as
    the stored values, in every language."""
    workbook = openpyxl.load_workbook(io.BytesIO(network_template(language)))
    regions, clusters, programmes = workbook.sheetnames[1:4]

    def word(value: str) -> str:
        return spelling(TermKind.VALUE, value, language)

    workbook[regions].append(["ES24", None, None, None, None, 960_000])
    workbook[clusters].append(["c-1", "C", "ES24", None, word("society"), None])
    workbook[programmes].append(
        ["P-1", "P", "c-1", "ES24", word("expert"), "X", word("public"), word("in-person"),
         "2025-01-01", "2025-12-31", 10, 100, "ESF+"]
    )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = dry_run(engine, buffer.getvalue(), "network.xlsx", today=TODAY)
    assert (report.new, report.errors, report.warnings) == (3, [], [])
    result = commit_upload(engine, buffer.getvalue(), "network.xlsx", today=TODAY)
    assert result.outcome is UploadOutcome.COMMITTED
    stored = sheet_values(network_workbook(engine))
    assert stored["Clusters"][1][4] == "society"
    assert stored["Programmes"][1][4:8] == ("expert", "X", "public", "in-person")
