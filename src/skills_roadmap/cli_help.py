"""The command line's ``--help`` in the command's language.

Typer reads the help texts (docstrings, ``help=``) once, in English, when the commands are
declared: they are the gettext message ids. The command classes here translate them, and the
words click puts around them ("Usage:", "Options", "[default: …]"), when the help is
formatted, in the language that applies then: the global ``--lang`` (else ``LANG``, else the
``default_language`` setting), which the top-level group reads before anything else so that
``skills-roadmap --lang es --help`` is Spanish too. :func:`translatable` lists every help text
for the catalogs (``babel.cfg``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

import typer
from typer import _click as click  # Typer's own copy of click: its commands derive from it
from typer.core import TyperArgument, TyperCommand, TyperGroup

from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext, negotiate, use_language
from skills_roadmap.i18n.languages import supported
from skills_roadmap.i18n.words import _

__all__ = ["TranslatedTyper", "UnknownLanguageError", "command_language", "translatable"]

USAGE = N_("Usage:")
ARGUMENTS = N_("Arguments")
OPTIONS = N_("Options")
COMMANDS = N_("Commands")
HELP_OPTION = N_("Show this message and exit.")
DEFAULT = N_("default: {value}")
REQUIRED = N_("required")
FRAME = (USAGE, ARGUMENTS, OPTIONS, COMMANDS, HELP_OPTION, DEFAULT, REQUIRED)
"""The words click writes around the help texts, in the order a help page shows them."""

EXTRAS = re.compile(r"\s*\[([^\[\]]*)\]$")
"""The ``[default: 7; required]`` click appends to an option's help."""
TRANSLATED = ("help", "short_help", "options_metavar", "subcommand_metavar")
"""The attributes of a command or parameter that hold words (``[OPTIONS]``, ``COMMAND
[ARGS]...`` are words of the usage line)."""


class UnknownLanguageError(SkillsRoadmapError):
    """``--lang`` names a language the command line does not speak."""


def command_language(chosen: str | None, environment: str | None) -> str:
    """The language of a command: ``--lang``, else the ``LANG`` environment variable (such as
    ``es_ES.UTF-8``; ``C`` and languages not spoken fall through), else ``default_language``.

    Raises:
        UnknownLanguageError: ``--lang`` names no supported language.
    """
    from skills_roadmap.settings import get_settings

    if chosen is not None and supported(chosen) is None:
        raise UnknownLanguageError(
            _(
                "unknown language '{chosen}': give --lang one of {codes}",
                chosen=chosen,
                codes=", ".join(LANGUAGES),
            )
        )
    return negotiate(chosen, environment, default=get_settings().default_language)


def global_option(args: Sequence[str]) -> str | None:
    """The value of the global ``--lang`` in a command line's arguments: the one before the
    command's name (a later ``--lang`` is the command's own, such as the template's)."""
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if not arg.startswith("-"):
            break
    return None


def root_language(args: Sequence[str]) -> str:
    """The language of a command line (:func:`command_language`): without ``--lang`` when it
    names an unknown language, English when the configuration is broken; the command then
    refuses either in one line, in that language."""
    for chosen in (global_option(args), None):
        try:
            return command_language(chosen, os.environ.get("LANG"))
        except SkillsRoadmapError:
            continue
    return DEFAULT_LANGUAGE


@contextmanager
def _translated(*holders: object) -> Iterator[None]:
    """Within the block, the help texts of ``holders`` (commands, parameters) read in the
    current language; in English again afterwards (the objects may format help again)."""
    with ExitStack() as restore:
        for holder in holders:
            for name in TRANSLATED:
                english = getattr(holder, name, None)
                if isinstance(english, str) and english:
                    setattr(holder, name, gettext(english))
                    restore.callback(setattr, holder, name, english)
        yield


def _extras(text: str) -> str:
    """An option's help with click's ``[default: …; required]`` in the current language (the
    default's value as it is)."""
    found = EXTRAS.search(text)
    if found is None:
        return text
    words = []
    for item in found.group(1).split("; "):
        if item == "required":
            words.append(gettext(REQUIRED))
        elif item.startswith("default: "):
            words.append(gettext(DEFAULT).format(value=item.removeprefix("default: ")))
        else:
            words.append(item)
    return f"{text[: found.start()]}  [{'; '.join(words)}]"


class TranslatedHelp(click.Command):
    """Formats a command's help in the current language (see the module's docstring)."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        subcommands = list(getattr(self, "commands", {}).values())
        with _translated(self, *self.get_params(ctx), *subcommands):
            super().format_help(ctx, formatter)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), gettext(USAGE) + " ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {ARGUMENTS: [], OPTIONS: []}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                section = ARGUMENTS if isinstance(param, TyperArgument) else OPTIONS
                sections[section].append((record[0], _extras(record[1])))
        for title, rows in sections.items():
            if rows:
                with formatter.section(gettext(title)):
                    formatter.write_dl(rows)
        if isinstance(self, TyperGroup):
            self.format_commands(ctx, formatter)


class Command(TranslatedHelp, TyperCommand):
    """A command whose ``--help`` is in the command's language."""


class Group(TranslatedHelp, TyperGroup):
    """A group of commands whose ``--help`` is in the command's language; the top-level group
    runs the whole command line in it (its ``--help`` is answered before any callback)."""

    def main(self, args: Sequence[str] | None = None, *more: Any, **options: Any) -> Any:
        language = root_language(sys.argv[1:] if args is None else args)
        with use_language(language):  # undone when the command ends (tests run many)
            return super().main(args, *more, **options)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section(gettext(COMMANDS)):
                formatter.write_dl(rows)


class TranslatedTyper(typer.Typer):
    """A Typer app whose groups and commands format their help in the command's language, in
    click's plain layout (whose pieces can be translated)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(cls=Group, rich_markup_mode=None, **options)

    def command(self, *args: Any, **options: Any) -> Callable[[Any], Any]:
        return super().command(*args, cls=Command, **options)


def _texts(command: click.Command, ctx: click.Context) -> Iterator[str]:
    for holder in (command, *command.get_params(ctx)):
        for name in TRANSLATED:
            text = getattr(holder, name, None)
            if isinstance(text, str) and text:
                yield text
    if isinstance(command, TyperGroup):
        for name, subcommand in command.commands.items():
            yield from _texts(subcommand, click.Context(subcommand, info_name=name, parent=ctx))


def translatable() -> Iterator[str]:
    """Every help text of ``skills-roadmap`` and the words around them, for the translation
    catalogs: ``babel.cfg`` gathers them from here (docstrings and ``help=`` are not
    ``gettext`` calls)."""
    from skills_roadmap.cli import app

    root = typer.main.get_command(app)
    texts = _texts(root, click.Context(root, info_name="skills-roadmap"))
    yield from dict.fromkeys((*FRAME, *texts))
