"""An upload's problems, report, marked workbook and template in the reader's language."""

from __future__ import annotations

import io

import openpyxl
import pytest
from ingest_helpers import TODAY, add_network, many_errors_csv, programme
from pseudo_text import escaped_words
from sqlalchemy import Engine

from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.ingest import DryRunReport, SheetKind, annotated_workbook, dry_run
from skills_roadmap.ingest.report import HEADINGS
from skills_roadmap.ingest.template import template_month, template_workbook

ENGLISH_ERRORS = [
    ("C2", "not a number", "a whole number of 0 or more"),
    ("D2", "a negative number", "a whole number of 0 or more"),
]


def is_marked(text: str) -> bool:
    return text.startswith("⟦") and text.endswith("⟧")


@pytest.fixture
def network(engine: Engine) -> Engine:
    add_network(engine)
    return engine


def checked(engine: Engine, language: str) -> DryRunReport:
    """The bad sheet checked as a user reading ``language`` (the parse runs in a child)."""
    with use_language(language):
        return dry_run(engine, many_errors_csv(), "many.csv", today=TODAY)


def test_every_problem_of_a_bad_sheet_is_marked_in_the_pseudo_language(network: Engine) -> None:
    report = checked(network, PSEUDO_LANGUAGE)
    listed = report.errors + report.warnings
    assert len(listed) == 61  # 60 errors (all listed) and one warning
    texts = [(problem["message"], problem["expected"]) for problem in listed] + [
        (count.rule, count.rule) for count in report.problem_counts
    ]
    assert [text for pair in texts for text in pair if not is_marked(text)] == []


def test_the_upload_report_text_has_no_unmarked_words_in_the_pseudo_language(
    network: Engine,
) -> None:
    report = checked(network, PSEUDO_LANGUAGE)
    with use_language(PSEUDO_LANGUAGE):
        text = report.to_text()
    data = {report.file_name, report.file_format, report.sheet}
    data |= {
        str(problem[field])
        for problem in report.errors + report.warnings
        for field in ("column", "cell", "value", "row")
    }
    assert escaped_words(text, data) == []
    assert "⟦Érrörs⟧:" in text.splitlines()
    assert text.splitlines()[0] == (
        "⟦prögréss shéét 'Progress' în many.csv (csv, héådér ön röw 1, ⟦31 dåtå röws⟧)⟧"
    )


def test_every_kind_of_single_sheet_has_its_own_report_heading() -> None:
    """The kind is named inside a whole sentence, never put into one as an English word."""
    assert set(HEADINGS) == set(SheetKind) - {SheetKind.NETWORK}


def test_the_marked_workbook_notes_are_marked_in_the_pseudo_language(network: Engine) -> None:
    report = checked(network, PSEUDO_LANGUAGE)
    with use_language(PSEUDO_LANGUAGE):
        workbook = openpyxl.load_workbook(io.BytesIO(annotated_workbook(many_errors_csv(), report)))
    problems = workbook[workbook.sheetnames[-1]]
    rows = list(problems.iter_rows(values_only=True))
    assert workbook.sheetnames[-1] == "⟦Pröbléms⟧"
    assert all(is_marked(str(header)) for header in rows[0])
    assert [row[0] for row in rows[1:]] == ["⟦érrör⟧"] * 60 + ["⟦wårnîng⟧"]
    comment = workbook[workbook.sheetnames[0]]["C2"].comment
    assert comment is not None and is_marked(comment.text)


def test_english_problems_and_report_are_unchanged(network: Engine) -> None:
    report = checked(network, "en")
    assert [(p["cell"], p["message"], p["expected"]) for p in report.errors[:2]] == ENGLISH_ERRORS
    text = report.to_text()
    assert text.splitlines()[:2] == [
        "progress sheet 'Progress' in many.csv (csv, header on row 1, 31 data rows)",
        "new: 1   changed: 0   unchanged: 0   errors: 60   warnings: 1",
    ]
    first_error = (
        "  row 2, Enrolled (C2): not a number (found 'x'; expected a whole number of 0 or more)"
    )
    assert first_error in text.splitlines()


def test_a_spanish_reader_gets_spanish_titles_and_problem_headers(network: Engine) -> None:
    report = checked(network, "es")
    with use_language("es"):
        text = report.to_text()
        workbook = openpyxl.load_workbook(io.BytesIO(annotated_workbook(many_errors_csv(), report)))
    assert "Errores:" in text.splitlines()
    assert "Advertencias:" in text.splitlines()
    header = next(workbook[workbook.sheetnames[-1]].iter_rows(max_row=1, values_only=True))
    # the severity's own header has no Spanish yet; the others have
    assert list(header[1:]) == ["Hoja", "Fila", "Columna", "Celda", "Valor", "Esperado", "Mensaje"]


def test_a_templates_instructions_are_in_its_language(engine: Engine) -> None:
    add_network(engine, programme("ARA-1"))
    chosen = template_month(engine, "aragon-ai", None, TODAY)
    pseudo = openpyxl.load_workbook(io.BytesIO(template_workbook(chosen, PSEUDO_LANGUAGE)))
    english = openpyxl.load_workbook(io.BytesIO(template_workbook(chosen)))
    assert pseudo.sheetnames == english.sheetnames == ["Progress", "Instructions"]
    lines = [row[0] for row in pseudo["Instructions"].iter_rows(values_only=True) if row[0]]
    instructions = lines[: lines.index("⟦Cölümn⟧")]
    assert len(instructions) == 9
    assert [line for line in instructions if not is_marked(line)] == []
    first = next(english["Instructions"].iter_rows(max_row=1, values_only=True))
    assert first[0] == "How to fill in this progress sheet"
