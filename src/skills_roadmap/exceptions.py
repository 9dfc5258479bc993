"""Errors a user can meet; each message says what to do about it."""

from __future__ import annotations


class SkillsRoadmapError(Exception):
    """Base of every error the CLI and the web app show as one clear line."""


class ConfigurationError(SkillsRoadmapError):
    """A setting is missing or wrong (database URL, secret key, file paths)."""


class DatabaseError(SkillsRoadmapError):
    """The database cannot be reached or is not initialised."""


class NotFoundError(SkillsRoadmapError):
    """A region, cluster, programme or user named by the user does not exist."""


class UnreadableFileError(SkillsRoadmapError):
    """An uploaded file cannot be read at all: wrong type, empty, encrypted, too big, hostile."""


class PermissionDeniedError(SkillsRoadmapError):
    """The current user's role does not allow the action."""


class ServingError(SkillsRoadmapError):
    """The server cannot start or keep serving (port taken, workers failing at start-up)."""
