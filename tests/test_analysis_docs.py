"""The analysis layer's documentation cannot rot: examples run and every public name is defined."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import skills_roadmap.analysis as analysis

DOCS = Path(__file__).resolve().parents[1] / "docs" / "analysis.md"
MODULES = sorted(
    f"{analysis.__name__}.{info.name}" for info in pkgutil.iter_modules(analysis.__path__)
)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name: str) -> None:
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


@pytest.mark.parametrize("name", analysis.__all__)
def test_every_public_name_is_documented(name: str) -> None:
    assert f"`{name}" in DOCS.read_text(encoding="utf-8")


def test_every_public_function_explains_itself() -> None:
    undocumented = [name for name in analysis.__all__ if not getattr(analysis, name).__doc__]
    assert undocumented == []
