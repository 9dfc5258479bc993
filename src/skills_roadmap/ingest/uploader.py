"""Who is uploading and what they may upload, from the accounts table."""

from __future__ import annotations

from sqlalchemy import Engine

from skills_roadmap.domain import Role
from skills_roadmap.exceptions import NotFoundError
from skills_roadmap.i18n.words import _
from skills_roadmap.users import get_user, reporting_clusters


def upload_scope(engine: Engine, name: str | None) -> frozenset[str] | None:
    """The clusters account ``name`` may report progress for; ``None`` means no limit.

    No name is the local command line, which may do everything; an administrator is not
    limited either; a manager gets their clusters; any other role gets none, so every
    progress row is refused and administrators' sheets too.

    Raises:
        NotFoundError: there is no account called ``name``.
    """
    if name is None:
        return None
    user = get_user(engine, name)
    if user is None:
        raise NotFoundError(
            _(
                "no account is called '{name}': leave out --user, or create the account with "
                "`skills-roadmap users add`",
                name=name,
            )
        )
    return None if user.role is Role.ADMIN and user.active else reporting_clusters(user)
