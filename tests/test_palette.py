"""One palette for pages and reports: every colour is in ``skills_roadmap.palette``, and the
dashboard's stylesheet declares the same values and uses them by name."""

from __future__ import annotations

import re
from pathlib import Path

from skills_roadmap import palette
from skills_roadmap.analysis.status import Status
from skills_roadmap.domain import TrainingLevel

ROOT = Path(__file__).resolve().parents[1]
STYLESHEET = ROOT / "dashboard" / "assets" / "style.css"
HEX = re.compile(r"(?<![&\w])#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})(?![\w])")
ROOT_RULE = re.compile(r":root\s*\{(?P<body>[^}]*)\}")
SCANNED = (".py", ".css", ".js", ".html")
VENDORED = (
    ROOT / "dashboard" / "assets" / "plotly",  # plotly.js, built by tools/plotly-bundle
    ROOT / "dashboard" / "assets" / "bootstrap.min.css",
)
# Colours not yet taken from the palette (none: keep it so).
NOT_YET_FROM_THE_PALETTE: dict[str, list[str]] = {}


def declared_properties(css: str) -> dict[str, str]:
    """The custom properties the stylesheet's ``:root`` rule declares, with their values."""
    found = ROOT_RULE.search(re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    assert found, "the stylesheet declares no :root rule"
    pairs = (line.split(":", 1) for line in found["body"].split(";") if line.strip())
    return {name.strip(): value.strip().upper() for name, value in pairs}


def sources() -> list[Path]:
    """Every file of the library and the dashboard that could hold a colour, vendored ones out."""
    return sorted(
        path
        for folder in (ROOT / "src", ROOT / "dashboard")
        for path in folder.rglob("*")
        if path.suffix in SCANNED
        and not any(path == vendored or vendored in path.parents for vendored in VENDORED)
    )


def test_the_stylesheet_declares_the_palettes_custom_properties() -> None:
    css = STYLESHEET.read_text(encoding="utf-8")

    assert declared_properties(css) == {
        name: colour.upper() for name, colour in palette.CSS_PROPERTIES.items()
    }


def test_the_stylesheet_uses_only_declared_properties_and_no_colour_of_its_own() -> None:
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    rules = ROOT_RULE.sub("", css)

    assert HEX.findall(rules) == []
    assert set(re.findall(r"var\((--sr-[\w-]+)\)", rules)) == set(palette.CSS_PROPERTIES)


def test_no_source_holds_a_colour_outside_the_palette() -> None:
    found = {
        str(path.relative_to(ROOT)): HEX.findall(path.read_text(encoding="utf-8"))
        for path in sources()
        if path not in (ROOT / "src" / "skills_roadmap" / "palette.py", STYLESHEET)
    }

    assert {path: colours for path, colours in found.items() if colours} == (
        NOT_YET_FROM_THE_PALETTE
    )


def test_the_scan_sees_the_palette_and_the_stylesheet() -> None:
    """The scan above looks where colours are: it finds every one of the palette's own."""
    module = ROOT / "src" / "skills_roadmap" / "palette.py"
    scanned = sources()

    assert module in scanned and STYLESHEET in scanned
    values = [
        value
        for name, value in vars(palette).items()
        if name.isupper() and name != "CSS_PROPERTIES"
    ]
    colours = [value for value in values if isinstance(value, str)]
    colours += [colour for value in values if isinstance(value, dict) for colour in value.values()]

    assert set(HEX.findall(module.read_text(encoding="utf-8"))) == set(colours)


def test_every_status_and_level_has_its_colours() -> None:
    statuses = {status.value for status in Status}
    levels = {level.value for level in TrainingLevel}

    assert set(palette.STATUS_COLOURS) == statuses
    assert set(palette.STATUS_TEXT_COLOURS) == statuses
    assert set(palette.STATUS_TINTS) == statuses
    assert set(palette.LEVEL_COLOURS) == levels


def test_status_text_is_readable_on_white_and_on_its_tint() -> None:
    """WCAG AA: at least 4.5:1 between a status's text and its background."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a: str, b: str) -> float:
        light, dark = sorted((luminance(a), luminance(b)), reverse=True)
        return (light + 0.05) / (dark + 0.05)

    ratios = {
        status: (
            contrast(text, "#FFFFFF") >= 4.5,
            contrast(text, palette.STATUS_TINTS[status]) >= 4.5,
        )
        for status, text in palette.STATUS_TEXT_COLOURS.items()
    }

    assert ratios == {status.value: (True, True) for status in Status}
