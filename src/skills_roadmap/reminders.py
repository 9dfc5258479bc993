"""Reminder mails: one digest per late manager, listing their programmes that have not
reported a month and how to report; sent through the configured mail server, audited."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pandas as pd
from sqlalchemy import Engine

from skills_roadmap import audit
from skills_roadmap.analysis.frames import Frames
from skills_roadmap.audit import AuditAction
from skills_roadmap.domain import User
from skills_roadmap.exceptions import SkillsRoadmapError
from skills_roadmap.i18n import ngettext, use_language
from skills_roadmap.i18n.formats import Message
from skills_roadmap.i18n.words import _
from skills_roadmap.late import late_list
from skills_roadmap.settings import Settings

__all__ = [
    "Digest",
    "MailError",
    "Reminders",
    "RemindersUnavailableError",
    "compose",
    "plan_reminders",
    "send_reminders",
]

PRODUCT = "Skills Roadmap"


class RemindersUnavailableError(SkillsRoadmapError):
    """No mail server is configured, so no reminder can be sent."""


class MailError(SkillsRoadmapError):
    """The mail server could not be reached or refused to send."""


@dataclass(frozen=True)
class Digest:
    """What one manager is reminded of: their late programmes of one month.

    ``programmes`` holds the late list's rows (:data:`~skills_roadmap.late.LATE_COLUMNS`) of
    the clusters ``manager`` reports for; ``language`` is the one the manager chose, if any.
    """

    manager: str
    email: str | None
    cluster_ids: tuple[str, ...]
    programmes: pd.DataFrame
    language: str | None = None

    @property
    def programme_ids(self) -> list[str]:
        return [str(p) for p in self.programmes["programme_id"]]


@dataclass
class Reminders:
    """The reminders of one month: the mails, who cannot be reached and what happened.

    Attributes:
        period: the month, ``YYYY-MM``.
        mails: one per late manager with an e-mail address, with the manager's name.
        not_reachable: late managers without an e-mail address.
        no_manager: late programmes of clusters without any active manager, by cluster.
        failed: managers whose mail the server refused, with its reason.
        sent: whether the mails were handed to the mail server (False for a dry run).
    """

    period: str
    mails: list[tuple[Digest, EmailMessage]]
    not_reachable: list[Digest]
    no_manager: dict[str, list[str]]
    failed: dict[str, str] = field(default_factory=dict)
    sent: bool = False

    def to_dict(self) -> dict[str, object]:
        """The reminders as JSON: each mail's recipient, subject, programmes and text."""
        return {
            "period": self.period,
            "sent": self.sent,
            "mails": [
                {
                    "manager": digest.manager,
                    "to": str(message["To"]),
                    "subject": str(message["Subject"]),
                    "programme_ids": digest.programme_ids,
                    "body": message.get_content(),
                    "failed": self.failed.get(digest.manager),
                }
                for digest, message in self.mails
            ],
            "not_reachable": [
                {"manager": digest.manager, "programme_ids": digest.programme_ids}
                for digest in self.not_reachable
            ],
            "no_manager": self.no_manager,
        }

    def to_text(self) -> str:
        """What the command prints: the mails as they would be sent (a dry run, with the
        mail's own header names) or who was sent one, then who cannot be reached."""
        if self.sent:
            names = [d.manager for d, _mail in self.mails if d.manager not in self.failed]
            blocks = [
                Message(
                    ngettext(
                        "{count} reminder sent for {month}: {names}",
                        "{count} reminders sent for {month}: {names}",
                        len(names),
                    )
                ).format(count=len(names), month=self.period, names=", ".join(names))
            ]
        else:
            blocks = [
                f"To: {message['To']}\nSubject: {message['Subject']}\n\n{message.get_content()}"
                for _digest, message in self.mails
            ]
        lines = [
            _(
                "not reachable (no e-mail address): {manager}: {programmes}",
                manager=digest.manager,
                programmes=", ".join(digest.programme_ids),
            )
            for digest in self.not_reachable
        ]
        lines += [
            _(
                "no manager for cluster {cluster}: {programmes}",
                cluster=cluster,
                programmes=", ".join(ids),
            )
            for cluster, ids in self.no_manager.items()
        ]
        if not self.mails and not self.not_reachable and not self.no_manager:
            blocks = [
                _("Everyone due has reported {month}: no reminder to send", month=self.period)
            ]
        return "\n".join([*blocks, *lines]).rstrip("\n") + "\n"


def _upload_page(settings: Settings) -> str:
    base = settings.public_url.rstrip("/")
    if base:
        return _("the Upload page ({address})", address=f"{base}/upload")
    return _("the Upload page of the dashboard")


def _body(digest: Digest, period: str, settings: Settings) -> str:
    """The mail's text: the late programmes, then the three steps of reporting."""
    rows = digest.programmes
    lines = [
        _("Hello {name},", name=digest.manager),
        "",
        Message(
            ngettext(
                "{count} programme of your clusters ran in {month} and have not reported it yet:",
                "{count} programmes of your clusters ran in {month} and have not reported it yet:",
                len(rows),
            )
        ).format(count=len(rows), month=period),
        "",
    ]
    for row in rows.to_dict("records"):
        last = row["last_period"] or _("never")
        listed = _(
            "(cluster {cluster}, last month reported: {last})",
            cluster=row["cluster_name"],
            last=last,
        )
        lines.append(f"  {row['programme_id']}  {row['name']}  {listed}")
    lines += [
        "",
        _("How to report:"),
        "  "
        + _(
            "1. Download the progress template of your cluster on {page}.",
            page=_upload_page(settings),
        ),
        "  "
        + _(
            "2. Fill in one row per programme for {month}: enrolled, completed and the rest.",
            month=period,
        ),
        "  " + _("3. Upload the file on the same page, check the report, and confirm."),
        "",
        _(
            "This reminder was sent by {product}; you get it because you manage these clusters.",
            product=PRODUCT,
        ),
    ]
    return "\n".join(lines) + "\n"


def compose(digest: Digest, period: str, settings: Settings) -> EmailMessage:
    """The digest mail to one manager (plain text, UTF-8), in the language they chose (the
    dashboard's language switch remembers it), else the installation's
    ``Settings.default_language``."""
    with use_language(digest.language or settings.default_language):
        return _composed(digest, period, settings)


def _composed(digest: Digest, period: str, settings: Settings) -> EmailMessage:
    count = len(digest.programmes)
    message = EmailMessage()
    if settings.smtp_sender:
        message["From"] = Address(PRODUCT, addr_spec=settings.smtp_sender)
    message["To"] = Address(digest.manager, addr_spec=digest.email or "")
    message["Subject"] = Message(
        ngettext(
            "Progress for {month} due: {count} programme not reported yet",
            "Progress for {month} due: {count} programmes not reported yet",
            count,
        )
    ).format(month=period, count=count)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=(settings.smtp_sender or "@localhost").split("@")[-1])
    message.set_content(_body(digest, period, settings))
    return message


def plan_reminders(
    frames: Frames,
    period: str,
    managers: Mapping[str, tuple[User, ...]],
    settings: Settings,
) -> Reminders:
    """The reminders of ``period``, composed but not sent: one digest per active manager of a
    cluster with late programmes, covering every such cluster of theirs."""
    late = late_list(frames, period, managers)
    people: dict[str, User] = {}
    for cluster in late["cluster_id"].unique():
        for user in managers.get(cluster, ()):
            people[user.name] = user
    mails, not_reachable = [], []
    for name in sorted(people):
        user = people[name]
        mine = late[late["cluster_id"].isin(user.cluster_ids)].reset_index(drop=True)
        clusters = tuple(sorted(mine["cluster_id"].unique()))
        digest = Digest(name, user.email, clusters, mine, user.language)
        if user.email:
            mails.append((digest, compose(digest, period, settings)))
        else:
            not_reachable.append(digest)
    orphans = late[late["managers"].map(len) == 0]
    no_manager = {
        str(cluster): [str(p) for p in rows["programme_id"]]
        for cluster, rows in orphans.groupby("cluster_id", sort=True)
    }
    return Reminders(period, mails, not_reachable, no_manager)


def check_mail_settings(settings: Settings) -> None:
    """Refuse, with what to set, when no mail server or sender is configured."""
    if not settings.smtp_host or not settings.smtp_sender:
        raise RemindersUnavailableError(
            _(
                "reminders are unavailable: no mail server is configured; set "
                "SKILLS_ROADMAP_SMTP_HOST and SKILLS_ROADMAP_SMTP_SENDER (or use --dry-run to "
                "see the mails)"
            )
        )


def _connect(settings: Settings) -> smtplib.SMTP:
    server = smtplib.SMTP(
        settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
    )
    try:
        if settings.smtp_starttls:
            server.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password.get_secret_value())
    except BaseException:
        server.close()
        raise
    return server


def send_reminders(engine: Engine, reminders: Reminders, settings: Settings, *, by: str) -> None:
    """Hand each mail of ``reminders`` to the mail server over one connection, and record in
    the audit log who was reminded, who could not be reached and which mails were refused.

    A mail the server refuses is noted in ``reminders.failed`` and the others are still sent.

    Raises:
        RemindersUnavailableError: no mail server is configured.
        MailError: the server cannot be reached, or refuses the connection or the log-in.
    """
    check_mail_settings(settings)
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    if reminders.mails:
        try:
            server = _connect(settings)
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(
                _(
                    "cannot send reminders through {server}: {error}; check the "
                    "SKILLS_ROADMAP_SMTP_* settings",
                    server=where,
                    error=error,
                )
            ) from None
        with server:
            for digest, message in reminders.mails:
                try:
                    server.send_message(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                    reminders.failed[digest.manager] = str(error)
    reminders.sent = True
    audit.record(
        engine,
        by,
        AuditAction.REMINDERS_SENT,
        reminders.period,
        {
            "sent": [d.manager for d, _ in reminders.mails if d.manager not in reminders.failed],
            "failed": sorted(reminders.failed),
            "not_reachable": [digest.manager for digest in reminders.not_reachable],
            "no_manager": sorted(reminders.no_manager),
        },
    )
