"""Reminder mails reach a real SMTP server: one digest per late manager with their late
programmes, managers without an e-mail address listed as not reachable, and the sending audited.

The network is ``late_helpers``': ARA-2 (aragon-ai) and CLJ-1 (cluj-it) are late for March
2025; maria (aragon-ai) and ion (cluj-it) have e-mail addresses, mihai (both) has none.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from late_helpers import make_late_network
from pseudo_text import escaped_words
from sqlalchemy import Engine
from typer.testing import CliRunner

from skills_roadmap import audit, users
from skills_roadmap.audit import AuditAction, AuditQuery
from skills_roadmap.cli import app as cli_app
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine

REFUSED = "nobody@refused.example.org"


@dataclass
class Mailbox:
    """What the server received: each mail's envelope recipients and the parsed mail."""

    mails: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address == REFUSED:
            return "550 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        mail = message_from_bytes(content, _class=EmailMessage, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.mails.append((list(envelope.rcpt_tos), mail))
        return "250 Message accepted for delivery"

    def received(self) -> list[tuple[list[str], str, str]]:
        """Each mail's recipients, subject and the programme lines of its text."""
        return [
            (
                recipients,
                str(mail["Subject"]),
                " ".join(
                    line.split()[0]
                    for line in str(mail.get_body().get_content()).splitlines()  # type: ignore[union-attr]
                    if line.startswith("  ") and "(cluster " in line
                ),
            )
            for recipients, mail in self.mails
        ]


@dataclass
class Credentials:
    """An authenticator accepting one user name and password, noting every attempt."""

    attempts: list[tuple[str, str]] = field(default_factory=list)

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.attempts.append((data.login.decode(), data.password.decode()))
        accepted = (data.login, data.password) == (b"roadmap", b"mail secret")
        return AuthResult(success=accepted, handled=False)  # not handled: the server answers 535


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server (aiosmtpd) on a free local port, and what it received."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def guarded_mailbox() -> Iterator[tuple[Mailbox, Credentials, int]]:
    """A real SMTP server that offers a log-in (over plain text: a test on this machine)."""
    box, credentials, port = Mailbox(), Credentials(), free_port()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        authenticator=credentials,
        auth_require_tls=False,
    )
    controller.start()
    yield box, credentials, port
    controller.stop()


@pytest.fixture
def late_network(network_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """March reported by ARA-1 alone; maria and ion have e-mail addresses, mihai none."""
    yield make_late_network(network_engine, monkeypatch)
    get_engine.cache_clear()


def configure_mail(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    for key, value in {
        "SKILLS_ROADMAP_SMTP_HOST": "127.0.0.1",
        "SKILLS_ROADMAP_SMTP_PORT": str(port),
        "SKILLS_ROADMAP_SMTP_SENDER": "roadmap@network.example.org",
        "SKILLS_ROADMAP_SMTP_STARTTLS": "false",
        "SKILLS_ROADMAP_PUBLIC_URL": "https://roadmap.example.org/",
    }.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()


def test_reminders_reach_the_smtp_server_one_digest_per_late_manager(
    late_network: Engine, mailbox: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = mailbox
    configure_mail(monkeypatch, port)

    result = CliRunner().invoke(cli_app, ["periods", "remind", "2025-03"])

    assert result.exit_code == 0, result.output
    assert box.received() == [
        (["ion@cluj.example"], "Progress for 2025-03 due: 1 programme not reported yet", "CLJ-1"),
        (
            ["maria@aragon.example.org"],
            "Progress for 2025-03 due: 1 programme not reported yet",
            "ARA-2",
        ),
    ]
    _, to_maria = box.mails[1]
    assert (str(to_maria["From"]), str(to_maria["To"])) == (
        "Skills Roadmap <roadmap@network.example.org>",
        "maria <maria@aragon.example.org>",
    )
    text = str(to_maria.get_body().get_content())  # type: ignore[union-attr]
    assert "  ARA-2  Programme ARA-2  (cluster Aragón AI, last month reported: never)" in text
    assert "https://roadmap.example.org/upload" in text
    assert result.stdout == (
        "2 reminders sent for 2025-03: ion, maria\n"
        "not reachable (no e-mail address): mihai: ARA-2, CLJ-1\n"
    )
    [entry] = audit.query(late_network, AuditQuery(action=AuditAction.REMINDERS_SENT))
    assert (entry.object, json.loads(entry.detail or "{}")) == (
        "2025-03",
        {"sent": ["ion", "maria"], "failed": [], "not_reachable": ["mihai"], "no_manager": []},
    )


def test_a_refused_recipient_is_reported_and_the_other_mails_still_go(
    late_network: Engine, mailbox: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = mailbox
    configure_mail(monkeypatch, port)
    users.set_email(late_network, "ion", REFUSED, by="test")

    result = CliRunner().invoke(cli_app, ["periods", "remind", "2025-03", "--json"])

    assert result.exit_code == 1
    assert [recipients for recipients, _ in box.mails] == [["maria@aragon.example.org"]]
    document = json.loads(result.stdout)
    assert [(m["manager"], m["failed"] is not None) for m in document["mails"]] == [
        ("ion", True),
        ("maria", False),
    ]
    assert "not sent to ion" in result.stderr


def test_a_dry_run_prints_the_mails_and_sends_nothing(
    late_network: Engine, mailbox: tuple[Mailbox, int]
) -> None:
    box, _ = mailbox  # no mail server configured: a dry run needs none

    printed = CliRunner().invoke(cli_app, ["periods", "remind", "2025-03", "--dry-run"])
    as_json = CliRunner().invoke(cli_app, ["periods", "remind", "2025-03", "--dry-run", "--json"])

    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith(
        "To: ion <ion@cluj.example>\n"
        "Subject: Progress for 2025-03 due: 1 programme not reported yet\n\n"
        "Hello ion,\n"
    )
    assert printed.stdout.endswith("not reachable (no e-mail address): mihai: ARA-2, CLJ-1\n")
    document = json.loads(as_json.stdout)
    assert [(m["to"], m["programme_ids"]) for m in document["mails"]] == [
        ("ion <ion@cluj.example>", ["CLJ-1"]),
        ("maria <maria@aragon.example.org>", ["ARA-2"]),
    ]
    assert (document["sent"], document["not_reachable"], document["no_manager"]) == (
        False,
        [{"manager": "mihai", "programme_ids": ["ARA-2", "CLJ-1"]}],
        {},
    )
    assert box.mails == []
    assert audit.query(late_network, AuditQuery(action=AuditAction.REMINDERS_SENT)) == []


def test_without_a_mail_server_reminders_are_refused_saying_what_to_set(
    late_network: Engine,
) -> None:
    result = CliRunner().invoke(cli_app, ["periods", "remind", "2025-03", "--json"])

    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "error": "reminders are unavailable: no mail server is configured; set "
        "SKILLS_ROADMAP_SMTP_HOST and SKILLS_ROADMAP_SMTP_SENDER (or use --dry-run to see the "
        "mails)",
        "exit_code": 1,
    }


def test_a_month_everyone_reported_needs_no_reminder(late_network: Engine) -> None:
    """December 2023: no programme had started, so nobody was due."""
    result = CliRunner().invoke(cli_app, ["periods", "remind", "2023-12", "--dry-run"])

    assert (result.exit_code, result.stdout) == (
        0,
        "Everyone due has reported 2023-12: no reminder to send\n",
    )


def test_a_cluster_without_managers_is_named_with_its_late_programmes(
    late_network: Engine,
) -> None:
    users.disable_user(late_network, "ion", by="test")
    users.set_role(late_network, "mihai", "manager", ["aragon-ai"], by="test")

    result = CliRunner().invoke(cli_app, ["periods", "remind", "2025-03", "--dry-run", "--json"])

    document = json.loads(result.stdout)
    assert [m["manager"] for m in document["mails"]] == ["maria"]
    assert document["no_manager"] == {"cluj-it": ["CLJ-1"]}


@pytest.mark.parametrize(
    ("password", "exit_code", "received"),
    [
        ("mail secret", 0, 2),
        ("wrong", 1, 0),  # the server refuses the log-in: nothing is sent, one line says why
    ],
)
def test_reminders_log_in_to_a_server_that_asks(
    late_network: Engine,
    guarded_mailbox: tuple[Mailbox, Credentials, int],
    monkeypatch: pytest.MonkeyPatch,
    password: str,
    exit_code: int,
    received: int,
) -> None:
    box, credentials, port = guarded_mailbox
    configure_mail(monkeypatch, port)
    monkeypatch.setenv("SKILLS_ROADMAP_SMTP_USER", "roadmap")
    monkeypatch.setenv("SKILLS_ROADMAP_SMTP_PASSWORD", password)
    get_settings.cache_clear()

    result = CliRunner().invoke(cli_app, ["periods", "remind", "2025-03"])

    assert (result.exit_code, len(box.mails)) == (exit_code, received), result.output
    assert set(credentials.attempts) == {("roadmap", password)}  # smtplib tries PLAIN, LOGIN
    if exit_code:
        assert result.stderr.startswith(f"error: cannot send reminders through 127.0.0.1:{port}:")
        assert password not in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert audit.query(late_network, AuditQuery(action=AuditAction.REMINDERS_SENT)) == []


def test_each_manager_is_reminded_in_the_language_they_chose(
    late_network: Engine, mailbox: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    box, port = mailbox
    configure_mail(monkeypatch, port)
    users.set_language(late_network, "maria", "es")

    result = CliRunner().invoke(cli_app, ["periods", "remind", "2025-03"])

    assert result.exit_code == 0, result.output
    assert [subject for _, subject, _ in box.received()] == [
        "Progress for 2025-03 due: 1 programme not reported yet",  # ion: the installation's
        "Progreso de 2025-03 pendiente: 1 programa aún sin declarar",  # maria chose Spanish
    ]
    _, to_maria = box.mails[1]
    assert str(to_maria.get_body().get_content()).startswith("Hola, maria:")  # type: ignore[union-attr]


def test_a_reminder_in_the_pseudo_language_has_every_word_translated(
    late_network: Engine,
) -> None:
    """The subject, the mail's text and the dry run's lines around it: only the names, codes,
    months and addresses of the network stay as they are."""
    users.set_language(late_network, "maria", "en-XA")

    printed = CliRunner().invoke(
        cli_app, ["--lang", "en-XA", "periods", "remind", "2025-03", "--dry-run"]
    )

    assert printed.exit_code == 0, printed.output
    data = [
        "maria",
        "mihai",
        "ion",
        "aragon.example.org",
        "cluj.example",
        "Programme ARA-2",
        "Programme CLJ-1",
        "ARA-2",
        "Skills Roadmap",  # the product's name
        "Aragón AI",
        "Cluj IT",
        "To",  # the mail's own header names
        "Subject",
    ]
    mail_to_maria = printed.stdout.split("To: maria", 1)[1].split("not reachable", 1)[0]
    assert "⟦" in mail_to_maria
    assert escaped_words(mail_to_maria, data) == []
