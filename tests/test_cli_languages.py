"""The command line in the user's language: its messages, tables and ``--help`` follow
``--lang`` (else ``LANG``); in the pseudo-language every word it writes is marked "⟦…⟧"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skills_roadmap import cli
from skills_roadmap.cli_help import FRAME, translatable
from skills_roadmap.i18n import PSEUDO_LANGUAGE
from skills_roadmap.i18n.pseudo import pseudo
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine

PASSWORD = "a long enough passphrase 1"
MARKED = re.compile(r"⟦[^⟦⟧]*?(?:⟧|\.\.\.(?=\n))")
"""A marked message; one click cut short ("…", a command's help in a list) has no closing mark."""
CODE = re.compile(r"^(-|<.*>$|\{.*\}$|\[.*\]$)")
"""Option names, metavars and choices: what a user types, the same in every language."""


def unmarked(text: str) -> list[str]:
    """The words of ``text`` outside marked messages and other than code, in order."""
    rest, previous = text, ""
    while rest != previous:  # a message inside another: the inner one first
        rest, previous = MARKED.sub(" ", rest), rest
    return [word for word in rest.split() if re.search(r"[^\W\d_]", word) and not CODE.match(word)]


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """The command line on a fresh SQLite database of this test (``init`` makes it)."""
    monkeypatch.setenv("SKILLS_ROADMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.setenv("SKILLS_ROADMAP_PASSWORD_HASH_TIME_COST", "1")
    monkeypatch.setenv("SKILLS_ROADMAP_PASSWORD_HASH_MEMORY_KIB", "64")
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield CliRunner()
    get_engine.cache_clear()


def invoke(runner: CliRunner, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(cli.app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


COMMANDS = [
    "init",
    "demo",
    "serve",
    "status",
    "import",
    "template",
    "summary",
    "export",
    "plan",
    "periods",
    "users",
    "uploads",
]


def test_help_in_the_pseudo_language_marks_every_word_but_the_command_names(
    runner: CliRunner,
) -> None:
    code, out, _ = invoke(runner, "--lang", "en-XA", "--help")
    assert code == 0
    assert out.startswith("⟦Üsågé:⟧ skills-roadmap ")
    assert unmarked(out) == ["skills-roadmap", *COMMANDS]  # the program's name, then the commands


def test_help_follows_the_lang_environment_variable(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en-XA")
    code, out, _ = invoke(runner, "--help")
    assert (code, unmarked(out)) == (0, ["skills-roadmap", *COMMANDS])


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["users", "add"], ["skills-roadmap", "users", "add", "name"]),  # the argument's name
        (
            ["periods"],
            ["skills-roadmap", "periods", "list", "late", "remind", "close", "reopen"]
            + ["submit", "approve", "return", "status"],
        ),
        (["demo"], ["skills-roadmap", "demo"]),
    ],
)  # fmt: skip
def test_a_commands_help_in_the_pseudo_language_marks_every_word(
    runner: CliRunner, args: list[str], names: list[str]
) -> None:
    code, out, _ = invoke(runner, "--lang", "en-XA", *args, "--help")
    assert code == 0
    assert unmarked(out) == names


def test_a_commands_help_in_english_is_as_before(runner: CliRunner) -> None:
    code, out, _ = invoke(runner, "users", "disable", "--help")
    assert (code, out) == (
        0,
        "Usage: skills-roadmap users disable [OPTIONS] {name}\n"
        "\n"
        "  Stop an account signing in; its open sessions lose access on their next\n"
        "  request.\n"
        "\n"
        "Arguments:\n"
        "  name <str>  Log-in name.  [required]\n"
        "\n"
        "Options:\n"
        "  --help  Show this message and exit.\n",
    )


def test_the_template_commands_own_lang_is_not_the_help_language(runner: CliRunner) -> None:
    """``template --lang`` names the sheet's language; the help follows the global one."""
    code, out, _ = invoke(runner, "template", "--lang", "en-XA", "--help")
    assert code == 0
    assert out.startswith("Usage: skills-roadmap template [OPTIONS] {out}")


def test_commands_write_their_messages_in_the_pseudo_language(
    runner: CliRunner, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert invoke(runner, "--lang", PSEUDO_LANGUAGE, "init") == (
        0,
        pseudo("database ready: {url}").format(url=url) + "\n",
        "",
    )
    added = invoke(
        runner, "--lang", "en-XA", "users", "add", "mia", "--role", "official", "--password-stdin",
        stdin=f"{PASSWORD}\n",
    )  # fmt: skip
    row = f"{'mia':<24}{'official':<10}{pseudo('active'):<10}-"
    assert added == (0, pseudo("user added: {user}").format(user=row) + "\n", "")
    headings = [pseudo(word) for word in ("name", "role", "state", "clusters")]
    assert invoke(runner, "--lang", "en-XA", "users", "list") == (
        0,
        f"{headings[0]:<24}{headings[1]:<10}{headings[2]:<10}{headings[3]}\n{row}\n",
        "",
    )
    assert invoke(runner, "--lang", "en-XA", "periods", "late", "2025-03") == (
        0,
        pseudo("Everyone due has reported {period}").format(period="2025-03") + "\n",
        "",
    )


def test_demo_reports_its_progress_in_the_pseudo_language(runner: CliRunner) -> None:
    invoke(runner, "init")
    code, out, _ = invoke(runner, "--lang", "en-XA", "demo", "--accounts-password", PASSWORD)
    lines = out.splitlines()
    assert (code, len(lines), unmarked(out)) == (0, 6, [])
    assert lines[0] == pseudo("generating the {scale} demo (seed {seed})…").format(
        scale="network", seed=7
    )
    assert lines[-1] == pseudo("demo accounts {names} created").format(
        names="admin, official, manager, analyst"
    )


def test_a_refusal_in_the_pseudo_language_is_marked_whole(runner: CliRunner) -> None:
    """The ``error:`` before a refusal is translated with it, never English glued on."""
    refusal = pseudo('a reason is needed to reopen a month: --reason "..."')
    assert invoke(runner, "--lang", "en-XA", "periods", "reopen", "2025-03", "--reason", " ") == (
        2,
        "",
        pseudo("error: {message}").format(message=refusal) + "\n",
    )


def test_the_same_commands_in_english_keep_their_text(runner: CliRunner, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert invoke(runner, "init") == (0, f"database ready: {url}\n", "")
    assert invoke(runner, "periods", "reopen", "2025-03", "--reason", " ") == (
        2,
        "",
        'error: a reason is needed to reopen a month: --reason "..."\n',
    )
    assert invoke(runner, "status")[1].splitlines()[-4:] == [
        "level          programmes    enrolled   completed   certified",
        "basic                   0           0           0           0",
        "intermediate            0           0           0           0",
        "expert                  0           0           0           0",
    ]


def test_a_table_widens_a_column_for_a_longer_heading(runner: CliRunner) -> None:
    invoke(runner, "init")
    assert invoke(runner, "--lang", "es", "status")[1].splitlines()[-4:] == [
        "nivel           programas   inscritas que finalizaron certificadas",
        "básico                  0           0               0            0",
        "intermedio              0           0               0            0",
        "experto                 0           0               0            0",
    ]


def test_an_unknown_language_is_refused_in_one_line(runner: CliRunner) -> None:
    code, out, err = invoke(runner, "--lang", "xx", "status")
    assert (code, out, err) == (
        1,
        "",
        "error: unknown language 'xx': give --lang one of "
        "en, es, ro, sv, pt, it, fr, nl, fi, pl, el, de\n",
    )


def test_an_unknown_language_is_refused_in_the_language_of_lang(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en-XA")
    refusal = pseudo("unknown language '{chosen}': give --lang one of {codes}").format(
        chosen="xx", codes="en, es, ro, sv, pt, it, fr, nl, fi, pl, el, de"
    )
    assert invoke(runner, "--lang", "xx", "status") == (
        1,
        "",
        pseudo("error: {message}").format(message=refusal) + "\n",
    )


def test_every_help_text_is_listed_for_the_catalogs() -> None:
    listed = list(translatable())
    assert listed[: len(FRAME)] == list(FRAME)
    assert {
        "Plan and track a workforce AI-skills roadmap across regions and clusters.",
        "Create or upgrade the database schema (safe to run again).",
        "Log-in name: letters, digits and . _ - @",
        "[OPTIONS]",
        "COMMAND [ARGS]...",
    } <= set(listed)
    assert len(listed) == len(set(listed))
