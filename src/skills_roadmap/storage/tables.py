"""The database schema as SQLAlchemy 2 typed ORM classes.

Periods are stored as ``YYYY-MM`` text: sortable, portable between SQLite and PostgreSQL,
and the same spelling as the progress sheet. Enumerations are stored as their text value.
Changing anything here needs an Alembic migration (``storage/migrations/versions``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# A NUTS code (ES24) or a network's own region code (up to 8 letters and digits).
REGION_CODE_LENGTH = 8


class RegionRow(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(REGION_CODE_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    adults: Mapped[int | None] = mapped_column(Integer, doc="people aged 16-74; NULL: not known")


class ClusterRow(Base):
    __tablename__ = "clusters"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    helix_roles: Mapped[str] = mapped_column(String(100), doc="comma-separated HelixRole values")
    website: Mapped[str | None] = mapped_column(String(300))


class ClusterRegionRow(Base):
    """A region a cluster also works in, besides its home region (``clusters.region_code``)."""

    __tablename__ = "cluster_regions"

    cluster_id: Mapped[str] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True)

    __table_args__ = (Index("ix_cluster_regions_region_code", "region_code"),)


class ProgrammeRow(Base):
    __tablename__ = "programmes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    provider: Mapped[str] = mapped_column(String(200))
    provider_helix: Mapped[str] = mapped_column(String(16))
    delivery_mode: Mapped[str] = mapped_column(String(16))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    budget_eur: Mapped[float] = mapped_column(Float)
    funding_source: Mapped[str] = mapped_column(String(100), index=True)


class TargetRow(Base):
    __tablename__ = "targets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    scope_id: Mapped[str | None] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))
    metric: Mapped[str] = mapped_column(String(16))
    deadline_year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer)
    baseline_year: Mapped[int] = mapped_column(Integer)
    baseline_value: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (Index("ix_targets_scope", "scope", "scope_id"),)


class MilestoneRow(Base):
    __tablename__ = "target_milestones"

    target_id: Mapped[str] = mapped_column(
        ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class TargetRevisionRow(Base):
    __tablename__ = "target_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target_id: Mapped[str] = mapped_column(ForeignKey("targets.id"), index=True)
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))


# A progress row reports an ESF+ band (migration 0010 spells the same condition).
BREAKDOWN_REPORTED = (
    "COALESCE(men, non_binary, age_under_18, age_18_29, age_30_54, age_55_over, employed, "
    "unemployed, long_term_unemployed, inactive, isced_0_2, isced_3_4, isced_5_8) IS NOT NULL"
)


class ProgressRow(Base):
    """One programme's flows in one month. NULL optional counts mean "not reported"."""

    __tablename__ = "progress"

    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    enrolled: Mapped[int] = mapped_column(Integer)
    completed: Mapped[int] = mapped_column(Integer)
    certified: Mapped[int | None] = mapped_column(Integer)
    dropped_out: Mapped[int | None] = mapped_column(Integer)
    women: Mapped[int | None] = mapped_column(Integer)
    spend_eur: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)
    # The ESF+ participant breakdowns (``fields.BREAKDOWNS``), NULL when not reported.
    men: Mapped[int | None] = mapped_column(Integer)
    non_binary: Mapped[int | None] = mapped_column(Integer)
    age_under_18: Mapped[int | None] = mapped_column(Integer)
    age_18_29: Mapped[int | None] = mapped_column(Integer)
    age_30_54: Mapped[int | None] = mapped_column(Integer)
    age_55_over: Mapped[int | None] = mapped_column(Integer)
    employed: Mapped[int | None] = mapped_column(Integer)
    unemployed: Mapped[int | None] = mapped_column(Integer)
    long_term_unemployed: Mapped[int | None] = mapped_column(Integer)
    inactive: Mapped[int | None] = mapped_column(Integer)
    isced_0_2: Mapped[int | None] = mapped_column(Integer)
    isced_3_4: Mapped[int | None] = mapped_column(Integer)
    isced_5_8: Mapped[int | None] = mapped_column(Integer)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    # The upload that created the row (``upload_id`` is the last that changed it): what a
    # revert removes. NULL for the demo's rows and rows stored before it was kept. No foreign
    # key: adding one would make SQLite copy the whole table (migration 0009).
    created_upload_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_progress_period", "period"),
        Index(
            "ix_progress_created_upload_id",
            "created_upload_id",
            sqlite_where=text("created_upload_id IS NOT NULL"),
            postgresql_where=text("created_upload_id IS NOT NULL"),
        ),
        # The change feed: rows an upload wrote since a snapshot (storage/snapshot.py). Demo
        # rows carry no upload, so the index holds only uploaded rows.
        Index(
            "ix_progress_upload_id",
            "upload_id",
            sqlite_where=text("upload_id IS NOT NULL"),
            postgresql_where=text("upload_id IS NOT NULL"),
        ),
        # The rows that report any ESF+ band, which the snapshot reads apart: few or none in
        # most networks, so the read is a few index probes instead of a scan of the table.
        Index(
            "ix_progress_breakdowns",
            "programme_id",
            "period",
            sqlite_where=text(BREAKDOWN_REPORTED),
            postgresql_where=text(BREAKDOWN_REPORTED),
        ),
    )


class FacilityRow(Base):
    __tablename__ = "facilities"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    cluster_id: Mapped[str | None] = mapped_column(ForeignKey("clusters.id"))
    status: Mapped[str] = mapped_column(String(16))
    planned_open: Mapped[date] = mapped_column(Date)
    actual_open: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class UploadRow(Base):
    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="progress")
    uploaded_by: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rows_new: Mapped[int] = mapped_column(Integer, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(16))


class RevisionRow(Base):
    """An earlier value of a progress field, replaced by a later upload."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    programme_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(7))
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"), index=True)
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_revisions_programme_period", "programme_id", "period"),)


class UserRow(Base):
    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str | None] = mapped_column(String(16))


class UserClusterRow(Base):
    __tablename__ = "user_clusters"

    user_name: Mapped[str] = mapped_column(
        ForeignKey("users.name", ondelete="CASCADE"), primary_key=True
    )
    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"), primary_key=True)


class SessionRow(Base):
    """A signed-in session: the SHA-256 of its random id (the cookie holds the id itself)."""

    __tablename__ = "sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(ForeignKey("users.name", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ClosedPeriodRow(Base):
    """A reporting month an administrator closed: no upload may change its progress until
    it is reopened (with a reason, in the audit log)."""

    __tablename__ = "closed_periods"

    period: Mapped[str] = mapped_column(String(7), primary_key=True, doc="YYYY-MM")
    closed_by: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginLimitRow(Base):
    """A counter of the log-in limits (``skills_roadmap.login_limits``), shared by every process.

    ``kind`` says what is counted: failed log-ins of one name from one address, from one
    address, of one name, or in total; a name's successful log-in from an address; refused
    attempts summarised in one audit entry (``audit_id``). An empty name or address means
    "any". Rows past ``expires_at`` are deleted.
    """

    __tablename__ = "login_limits"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    audit_id: Mapped[int | None] = mapped_column(Integer)


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_name: Mapped[str | None] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    object: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)


class SchemaInfoRow(Base):
    """Key/value facts about the database itself (e.g. which demo seed filled it)."""

    __tablename__ = "schema_info"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PeriodSubmissionRow(Base):
    """Where one cluster's month stands in the approval workflow (``month_approval``): its
    manager submitted it, an official or administrator approved it or returned it with a
    comment. The latest state only; every change is in the audit log."""

    __tablename__ = "period_submissions"

    period: Mapped[str] = mapped_column(String(7), primary_key=True, doc="YYYY-MM")
    cluster_id: Mapped[str] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(16), doc="a SubmissionState value")
    submitted_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str] = mapped_column(String(64), doc="who set the state")
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str | None] = mapped_column(Text, doc="why it was returned")
