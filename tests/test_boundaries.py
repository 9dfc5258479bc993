"""The house rules the code's layout promises, checked on its source: what may import what."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = [ROOT / "src" / "skills_roadmap", ROOT / "dashboard"]
FIRST_PARTY = {"skills_roadmap", "dashboard"}
DASH_INTERNALS = ROOT / "dashboard" / "dash_internals.py"


def product_modules() -> Iterator[tuple[str, ast.Module]]:
    """Every Python module of the product (library and dashboard), parsed, by its path."""
    for folder in PRODUCT:
        for path in sorted(folder.rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements of ``tree`` that run (those under ``if TYPE_CHECKING`` do not)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif not _is_type_checking(node):
            yield from runtime_imports(node)


def imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [] if node.level or node.module is None else [node.module]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_dependencies() -> set[str]:
    """The distributions pyproject.toml requires (not the optional extras), canonical names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = (re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", spec) for spec in project["dependencies"])
    return {_canonical(name.group()) for name in names if name}


def test_every_third_party_module_the_product_imports_is_a_declared_dependency() -> None:
    """A module pulled in only as another package's dependency can vanish with its update."""
    distributions = importlib.metadata.packages_distributions()
    declared = declared_dependencies()
    undeclared: dict[str, list[str]] = {}
    for path, tree in product_modules():
        for node in runtime_imports(tree):
            for module in imported_modules(node):
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in FIRST_PARTY or top == "__future__":
                    continue
                providers = {_canonical(d) for d in distributions.get(top, [top])}
                if not providers & declared:
                    undeclared.setdefault(top, []).append(path)
    assert undeclared == {}


STORAGE = "src/skills_roadmap/storage/"
# What a module outside storage may take from SQLAlchemy: the handles storage gives out
# (an engine, a session whose transaction spans several storage calls), as types only.
SQLALCHEMY_HANDLES = {"sqlalchemy": {"Engine"}, "sqlalchemy.orm": {"Session"}}
DRIVERS = {"sqlite3", "psycopg", "psycopg2", "asyncpg", "pg8000"}
# Methods that run SQL or reach past SQLAlchemy to the driver.
SQL_METHODS = {
    "connect",
    "connection",
    "cursor",
    "driver_connection",
    "exec_driver_sql",
    "execute",
    "executemany",
    "raw_connection",
    "scalar",
    "scalars",
}
SQL_TEXT = re.compile(
    r"^\s*(SELECT\b.*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|COPY\s+\w+)\b", re.S
)


def _sql_uses(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top == "sqlalchemy" or top in DRIVERS:
                    yield f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            top = node.module.split(".")[0]
            names = {alias.name for alias in node.names}
            if top == "sqlalchemy" and not names <= SQLALCHEMY_HANDLES.get(node.module, set()):
                yield f"from {node.module} import {', '.join(sorted(names))}"
            elif top in DRIVERS or node.module == "skills_roadmap.storage.tables":
                yield f"from {node.module} import {', '.join(sorted(names))}"
            elif node.module == "skills_roadmap.storage" and "tables" in names:
                yield "from skills_roadmap.storage import tables"
        elif isinstance(node, ast.Attribute) and node.attr in SQL_METHODS:
            yield f".{node.attr}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL_TEXT.match(node.value):
                yield f"SQL text {node.value[:40]!r}"


def test_sql_is_written_in_storage_only() -> None:
    """Outside ``storage/`` no module builds or runs SQL: no SQLAlchemy statement, table row,
    driver or SQL text, no call that executes one; they call storage's functions instead."""
    found = {
        path: sorted(set(_sql_uses(tree)))
        for path, tree in product_modules()
        if not path.startswith(STORAGE)
    }
    assert {path: uses for path, uses in found.items() if uses} == {}


def test_the_sql_check_recognises_sql() -> None:
    """The check above finds each kind of SQL it looks for (it would pass vacuously if not)."""
    source = """
import sqlite3
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from skills_roadmap.storage.tables import UserRow
rows = session.execute(select(UserRow)).all()
names = session.scalars(query)
raw = engine.raw_connection()
query = "SELECT name FROM users WHERE active"
"""
    assert sorted(set(_sql_uses(ast.parse(source)))) == [
        ".execute",
        ".raw_connection",
        ".scalars",
        "SQL text 'SELECT name FROM users WHERE active'",
        "from skills_roadmap.storage.tables import UserRow",
        "from sqlalchemy import Engine, select, text",
        "import sqlite3",
    ]


def _private_dash_uses(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "dash":
            parts = node.module.split(".")
            names = [alias.name for alias in node.names]
            if any(part.startswith("_") for part in parts) or any(n.startswith("_") for n in names):
                yield f"from {node.module} import {', '.join(names)}"
            elif node.module == "dash.dash":  # the module behind the public `dash` package
                yield f"from {node.module} import {', '.join(names)}"
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            if isinstance(node.value, ast.Name) and node.value.id == "dash":
                yield f"dash.{node.attr}"
        elif isinstance(node, ast.Attribute) and node.attr == "callback_map":
            yield "Dash.callback_map"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith(("/_dash", "_dash-")) or node.value == "/_favicon.ico":
                yield repr(node.value)


def test_private_dash_names_are_used_in_one_module_only() -> None:
    """Dash may change them in any minor release: one module to check, against one bounded
    minor version of Dash."""
    found = {
        path: sorted(set(_private_dash_uses(tree)))
        for path, tree in product_modules()
        if path.startswith("dashboard/") and path != DASH_INTERNALS.relative_to(ROOT).as_posix()
    }
    assert {path: uses for path, uses in found.items() if uses} == {}
    assert sorted(set(_private_dash_uses(ast.parse(DASH_INTERNALS.read_text("utf-8"))))) == [
        "'/_dash-component-suites/'",
        "'/_dash-update-component'",
        "'/_favicon.ico'",
        "Dash.callback_map",
        "from dash._pages import _parse_query_string, _path_to_page",
        "from dash.dash import _ID_CONTENT, _ID_DUMMY, _ID_LOCATION, _ID_STORE",
    ]


def test_dash_is_bounded_to_the_minor_version_the_suite_runs_against() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    [spec] = [s for s in project["dependencies"] if re.match(r"dash[<>=!~ ]", s)]
    lower, upper = re.fullmatch(r"dash>=(\d+\.\d+),<(\d+\.\d+)", spec).groups()  # type: ignore[union-attr]
    installed = ".".join(importlib.metadata.version("dash").split(".")[:2])
    assert (lower, _next_minor(lower)) == (installed, upper)


def _next_minor(version: str) -> str:
    major, minor = version.split(".")
    return f"{major}.{int(minor) + 1}"


def test_no_page_imports_storage() -> None:
    """Pages read through ``dashboard.data`` (the snapshot and the few records they list), so
    what a page shows never depends on how it reaches the database."""
    found = [
        (name, module)
        for name, tree in product_modules()
        if name.startswith("dashboard/pages/")
        for node in runtime_imports(tree)
        for module in imported_modules(node)
        if module.startswith("skills_roadmap.storage")
    ]
    assert found == []
