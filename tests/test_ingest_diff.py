"""Diffing incoming rows against stored ones: new, changed field by field, unchanged."""

from __future__ import annotations

import pandas as pd

from skills_roadmap.ingest.diff import diff_rows


def frame(rows: list[tuple[str, object, object]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": pd.Series([r[0] for r in rows], dtype=object),
            "count": pd.Series([r[1] for r in rows], dtype="Int64"),
            "note": pd.Series([r[2] for r in rows], dtype=object),
            "row": range(2, 2 + len(rows)),
        }
    )


def test_rows_are_new_changed_or_unchanged() -> None:
    stored = frame([("a", 1, "x"), ("b", 2, None), ("c", None, None)])
    incoming = frame([("a", 1, "x"), ("b", 3, "y"), ("c", None, None), ("d", 4, None)])
    diff = diff_rows(incoming, stored, key=["id"], fields=["count", "note"])
    assert diff.new["id"].tolist() == ["d"]
    assert diff.changed["id"].tolist() == ["b"]
    assert diff.unchanged["id"].tolist() == ["a", "c"]
    assert diff.changes.to_dict("records") == [
        {"id": "b", "row": 3, "field": "count", "old": 2, "new": 3},
        {"id": "b", "row": 3, "field": "note", "old": None, "new": "y"},
    ]


def test_a_value_becoming_blank_is_a_change() -> None:
    diff = diff_rows(
        frame([("a", None, None)]), frame([("a", 5, None)]), key=["id"], fields=["count"]
    )
    assert diff.changes[["field", "old", "new"]].to_dict("records") == [
        {"field": "count", "old": 5, "new": None}
    ]


def test_only_the_given_fields_are_compared() -> None:
    diff = diff_rows(frame([("a", 9, "x")]), frame([("a", 1, "x")]), key=["id"], fields=["note"])
    assert (len(diff.new), len(diff.changed), len(diff.unchanged)) == (0, 0, 1)


def test_nothing_stored_means_everything_is_new() -> None:
    diff = diff_rows(frame([("a", 1, "x")]), frame([]), key=["id"], fields=["count", "note"])
    assert (len(diff.new), len(diff.changed), len(diff.unchanged), len(diff.changes)) == (
        1,
        0,
        0,
        0,
    )
