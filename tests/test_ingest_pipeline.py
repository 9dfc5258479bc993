"""Pipeline helpers: the garbage-collector pause and the shown file name."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from skills_roadmap.ingest.pipeline import cyclic_gc_paused, display_name


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


@pytest.mark.usefixtures("collector_enabled")
def test_the_collector_is_paused_in_the_block_and_restored_even_after_an_error() -> None:
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_a_collector_paused_before_stays_paused() -> None:
    gc.disable()
    with cyclic_gc_paused():
        pass
    assert not gc.isenabled()


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("march.xlsx", "march.xlsx"),
        ("C:\\Users\\maria\\march.xlsx", "march.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("  ", "upload"),
        ("x" * 300 + ".csv", "x" * 255),
    ],
)
def test_display_name_is_the_last_part_of_the_name(uploaded: str, shown: str) -> None:
    assert display_name(uploaded) == shown
