"""User text made inert: never a spreadsheet formula in an export, never markup in a chart."""

from __future__ import annotations

from html import escape

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell's text as a formula (OWASP)."""


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula: it starts with a trigger.

    >>> is_formula_like('=HYPERLINK("http://x","y")'), is_formula_like("Aragón")
    (True, False)
    """
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """``text`` made inert for a CSV cell: an apostrophe before a formula trigger.

    This is OWASP's advice for CSV injection: the apostrophe tells a spreadsheet the cell
    is text, and a reader who needs the exact text drops one leading apostrophe. Excel
    workbooks need no change of text (their cells are typed); see the xlsx writer.

    >>> neutralise("=1+1"), neutralise("-5 drop-outs"), neutralise("ok")
    ("'=1+1", "'-5 drop-outs", 'ok')
    """
    return "'" + text if is_formula_like(text) else text


def chart_text(text: object) -> str:
    """``text`` as a Plotly chart shows it literally: ``&``, ``<`` and ``>`` as entities.

    Plotly renders a subset of HTML (``<a href>``, ``<b>``, ``<br>``, …) in every label,
    hover text, legend entry and annotation, and turns entities back into characters. So a
    name passed through here reads exactly as typed and can never become a link or markup.
    Every chart of the dashboard and of the reports calls it for every name users typed.

    >>> chart_text('<a href="javascript:alert(1)">R&D</a>')
    '&lt;a href="javascript:alert(1)"&gt;R&amp;D&lt;/a&gt;'
    """
    return escape(str(text), quote=False)
