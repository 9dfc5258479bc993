"""Load the roadmap's tables from the database into :class:`Frames`: all at once, or what
changed since an earlier load merged into it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import cast

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from skills_roadmap.analysis.complete_months import (
    DEFAULT_SHARE,
    complete_month,
    with_new_reports,
)
from skills_roadmap.analysis.filters import Filters, apply_filters
from skills_roadmap.analysis.frames import (
    BREAKDOWN_BANDS,
    BREAKDOWN_COLUMNS,
    PROGRESS_MEASURES,
    Frames,
    build_frames,
    sort_by_programme_and_month,
)
from skills_roadmap.analysis.periods import period_to_month
from skills_roadmap.storage import require_initialised
from skills_roadmap.storage.snapshot import (
    DataVersion,
    ProgressChanges,
    StoredTables,
    read_changes,
    read_tables,
)

# A progress row's key as one sortable integer: programme code × 2³² + month.
_KEY_SHIFT = np.int64(1 << 32)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Frames with the version of the stored data they were read at."""

    frames: Frames
    version: DataVersion


def _row_keys(codes: np.ndarray, months: np.ndarray) -> np.ndarray:
    return codes.astype(np.int64) * _KEY_SHIFT + months.astype(np.int64)


def progress_keys(progress: pd.DataFrame) -> np.ndarray:
    """Each progress row's (programme, month) as one integer, in the order the programme's
    categories sort."""
    return _row_keys(progress["programme_id"].cat.codes.to_numpy(), progress["month"].to_numpy())


def _in_key_order(frames: Frames) -> Frames:
    """``frames`` with progress rows ordered by programme, then month.

    One order whatever order the database returned rows in and however a snapshot was
    updated, so that sums over the rows (float additions in row order) come out the same to
    the last bit in every process. The database usually returns them in this order already,
    which a linear check confirms.
    """
    keys = progress_keys(frames.progress)
    if (keys[1:] > keys[:-1]).all():
        return frames
    order = np.argsort(keys, kind="stable")
    return replace(frames, progress=frames.progress.take(order).reset_index(drop=True))


def _coded_rows(rows: np.ndarray, categories: pd.Index, names: tuple[str, ...]) -> pd.DataFrame:
    """Stored rows (``code``, then ``names``) as a frame keyed by the programme's id."""
    return pd.DataFrame(
        {
            "programme_id": pd.Categorical.from_codes(rows["code"], categories=categories),
            **{name: rows[name] for name in names},
        }
    )


def _frames_of(stored: StoredTables, complete_month_share: float) -> Frames:
    tables = stored.tables
    progress = stored.progress
    categories = pd.Index(tables["programmes"]["programme_id"])
    frames = build_frames(
        regions=tables["regions"],
        clusters=tables["clusters"],
        cluster_regions=tables["cluster_regions"],
        programmes=tables["programmes"],
        targets=tables["targets"],
        milestones=tables["milestones"],
        progress=_coded_rows(progress, categories, ("month", *PROGRESS_MEASURES)),
        facilities=tables["facilities"],
        breakdowns=_coded_rows(
            stored.breakdowns, categories, ("month", "enrolled", *BREAKDOWN_BANDS)
        ),
        complete_month_share=complete_month_share,
        closed_periods=stored.version.closed_periods,
    )
    return _in_key_order(frames)


def load_snapshot(engine: Engine, complete_month_share: float = DEFAULT_SHARE) -> Snapshot:
    """Every table of the roadmap as :class:`Frames`, with the version they were read at,
    from one consistent read of the database (``complete_month_share``: see
    :func:`~skills_roadmap.analysis.frames.build_frames`).

    Raises:
        DatabaseError: the database cannot be reached or has no tables yet.
    """
    require_initialised(engine)
    stored = read_tables(engine)
    return Snapshot(_frames_of(stored, complete_month_share), stored.version)


def load_frames(
    engine: Engine,
    *,
    filters: Filters | None = None,
    complete_month_share: float = DEFAULT_SHARE,
) -> Frames:
    """Every table of the roadmap as typed DataFrames, read in one consistent snapshot.

    Call it once (per request or per notebook) and hand the result to the analysis functions;
    they never touch the database. ``filters`` narrows the result with
    :func:`~skills_roadmap.analysis.filters.apply_filters`.

    Raises:
        DatabaseError: the database cannot be reached or has no tables yet.
        NotFoundError: ``filters`` names a region, cluster or funding source that does not exist.
    """
    frames = load_snapshot(engine, complete_month_share).frames
    return frames if filters is None else apply_filters(frames, filters)


def merge_progress(frames: Frames, changes: ProgressChanges) -> Frames | None:
    """``frames`` with changed progress rows put in: a row of a programme and month already
    there replaced, any other inserted. ``None`` when a row names a programme the frames do
    not know (the programmes changed: read everything again).

    Why this equals reading everything again (``tests/test_analysis_refresh.py`` checks it on
    random sequences of uploads):

    * The progress table's key is (programme, month); a commit inserts rows or overwrites
      stored ones, writing its upload id into each, and nothing deletes a progress row. So the
      rows whose upload is newer than the snapshot are exactly the rows inserted or changed
      since, with their values now, and every other row is as the snapshot holds it.
    * The values are converted by the same code as a full read (``storage.snapshot``), and
      the frames keep their rows ordered by (programme, month) (see :func:`_in_key_order`):
      a binary search finds each changed row or the place to insert it, and the result has
      the same rows in the same order as a full read.
    * Nothing else in the frames depends on progress, except what is recomputed here: the
      programme categories are the programmes' ids, unchanged while no Programmes sheet was
      committed (that reads everything again); ``year`` follows from ``month``; ``as_of`` is
      the latest reported month, which an insert can only move later; the reports per month
      (``month_reports``) gain the inserted rows (a changed row was reported already), and
      ``default_as_of`` follows from them. Programmes, targets, regions and the rest are
      untouched: a progress upload writes none of them.

    It costs a copy of the progress columns (tens of milliseconds for 1.6 million rows)
    instead of reading them (seconds).
    """
    if not changes.programme_ids:
        return frames
    progress = frames.progress
    programme_ids = progress["programme_id"]
    codes = programme_ids.cat.categories.get_indexer(pd.Index(changes.programme_ids))
    if (codes < 0).any():
        return None
    rows = changes.rows
    keys = _row_keys(codes, rows["month"])
    order = np.argsort(keys, kind="stable")
    keys, codes, rows = keys[order], codes[order], rows[order]
    stored = progress_keys(progress)
    at = np.searchsorted(stored, keys)
    found = at < len(stored)
    found[found] = stored[at[found]] == keys[found]
    new = ~found

    def merged(old: np.ndarray, values: np.ndarray) -> np.ndarray:
        column = old.copy()
        column[at[found]] = values[found]
        return np.insert(column, at[new], values[new]) if new.any() else column

    columns = {}
    for name in ("month", *PROGRESS_MEASURES):
        old = progress[name].to_numpy()
        columns[name] = merged(old, rows[name].astype(old.dtype))
    all_codes = merged(programme_ids.cat.codes.to_numpy(), codes)
    month = columns["month"]
    table = pd.DataFrame(
        {
            "programme_id": pd.Categorical.from_codes(
                all_codes, dtype=cast(pd.CategoricalDtype, programme_ids.dtype)
            ),
            "month": month,
            "year": (month // 12).astype(progress["year"].to_numpy().dtype),
            **{name: columns[name] for name in PROGRESS_MEASURES},
        }
    )
    latest = int(rows["month"].max())
    as_of = latest if frames.as_of is None else max(frames.as_of, latest)
    dtype = cast(pd.CategoricalDtype, programme_ids.dtype)
    inserted = pd.Categorical.from_codes(codes[new], dtype=dtype)
    reports = with_new_reports(
        frames.month_reports, frames.programmes, pd.Series(inserted), rows["month"][new], as_of
    )
    shown = complete_month(reports, frames.complete_month_share, frames.closed_months)
    return replace(
        frames,
        progress=table,
        breakdowns=_merge_breakdowns(frames.breakdowns, changes.breakdowns[order], codes, dtype),
        as_of=as_of,
        default_as_of=shown,
        month_reports=reports,
    )


def _merge_breakdowns(
    breakdowns: pd.DataFrame, changed: np.ndarray, codes: np.ndarray, dtype: pd.CategoricalDtype
) -> pd.DataFrame:
    """``breakdowns`` with the changed rows (their programmes' ``codes``) in: a row there
    before is dropped, and the changed rows that report any band are put in, in key order.

    The breakdowns are the few rows that report bands, so a concatenation and a sort cost
    little; a changed row whose bands were blanked simply leaves. The columns are joined as
    arrays, the programmes by their codes: joining categorical columns would compare their
    tens of thousands of categories on every refresh.
    """
    changed_keys = _row_keys(codes, changed["month"])
    kept = ~np.isin(progress_keys(breakdowns), changed_keys)
    reporting = ~np.isnan(np.stack([changed[name] for name in BREAKDOWN_BANDS])).all(axis=0)
    rows = changed[reporting]
    month = rows["month"].astype(np.int32)
    new = {
        "programme_id": codes[reporting],
        "month": month,
        "year": (month // 12).astype(np.int16),
        **{name: rows[name] for name in ("enrolled", *BREAKDOWN_BANDS)},
    }
    old = {"programme_id": breakdowns["programme_id"].cat.codes.to_numpy()[kept]} | {
        name: breakdowns[name].to_numpy()[kept] for name in BREAKDOWN_COLUMNS[1:]
    }
    joined = {
        name: np.concatenate([old[name], np.asarray(new[name]).astype(old[name].dtype)])
        for name in BREAKDOWN_COLUMNS
    }
    merged = pd.DataFrame(
        {
            **joined,
            "programme_id": pd.Categorical.from_codes(joined["programme_id"], dtype=dtype),
        }
    )[list(BREAKDOWN_COLUMNS)]
    return sort_by_programme_and_month(merged)


def with_closed_periods(frames: Frames, closed_periods: Collection[str]) -> Frames:
    """``frames`` with ``closed_periods`` as their closed months, and the month shown by
    default that follows: closing or reopening a month changes nothing else."""
    closed = tuple(sorted(period_to_month(period) for period in closed_periods))
    if closed == frames.closed_months:
        return frames
    shown = complete_month(frames.month_reports, frames.complete_month_share, closed)
    return replace(frames, closed_months=closed, default_as_of=shown)


def refresh_snapshot(engine: Engine, snapshot: Snapshot) -> Snapshot:
    """``snapshot`` brought up to date: the progress rows written since merged in
    (:func:`merge_progress`) when only progress was uploaded since, every table read again
    otherwise; a month closed or reopened since moves the month shown by default
    (:func:`with_closed_periods`). The same object when nothing changed at all; new frames
    only when data did (a rejected or repeated upload changes the version but not the frames).
    """
    changes = read_changes(engine, snapshot.version)
    share = snapshot.frames.complete_month_share
    if isinstance(changes, StoredTables):
        return Snapshot(_frames_of(changes, share), changes.version)
    if changes.version == snapshot.version:
        return snapshot
    frames = merge_progress(snapshot.frames, changes)
    if frames is None:
        return load_snapshot(engine, share)
    return Snapshot(with_closed_periods(frames, changes.version.closed_periods), changes.version)
