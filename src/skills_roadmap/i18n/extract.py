"""Babel's extractor for catalogue modules (see :mod:`skills_roadmap.i18n.constants`).

Their messages are constants, not ``gettext`` calls, so Babel's Python extractor would not
see them: this one takes every string an upper-case constant holds, directly or as a dict's
value, and each ``(singular, plural)`` pair as one plural message. ``babel.cfg`` names the
modules it reads. Modules that build their words from declarations (the field catalogue)
list them in a ``translatable()`` function instead, which :func:`extract_declared` calls.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

LETTER = re.compile(r"[^\W\d_]")
"""A message has words: symbols ("—", "?") are the same in every language."""
Extracted = tuple[int, str | None, str | tuple[str, str], list[str]]


def _messages(node: ast.expr) -> Iterator[Extracted]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and LETTER.search(node.value):
        yield node.lineno, None, node.value, []
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _messages(value)
    elif (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and all(
            isinstance(item, ast.Constant) and isinstance(item.value, str) for item in node.elts
        )
    ):
        singular, plural = (item.value for item in node.elts)  # type: ignore[attr-defined]
        yield node.lineno, "ngettext", (singular, plural), []


def extract_declared(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """The words a declarative module lists in its ``translatable()`` (``options["module"]``
    names it): the field catalogue builds its labels from declarations, not literals."""
    module = importlib.import_module(options["module"])
    for message in dict.fromkeys(module.translatable()):
        yield 0, None, message, []


def extract_constants(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """The messages of the catalogue module in ``fileobj``, in Babel's extractor shape."""
    tree = ast.parse(fileobj.read())
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            names = [target.id for target in statement.targets if isinstance(target, ast.Name)]
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names = [statement.target.id]
        else:
            continue
        if statement.value is not None and any(name.isupper() for name in names):
            yield from _messages(statement.value)
