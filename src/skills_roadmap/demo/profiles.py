"""What a programme at each training level typically looks like: size, length, cost, outcomes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from skills_roadmap.domain import TrainingLevel


@dataclass(frozen=True)
class LevelProfile:
    """Ranges the generator draws from for one training level (low and high inclusive).

    ``course_months`` is how long one participant takes from enrolment to completion; a
    programme stops enrolling that many months before it ends so its last cohort finishes.
    ``seasonality`` weighs enrolment by calendar month (January first): low in July, August
    and December, peaks in autumn and spring; expert tracks start mostly in September.
    """

    span_months: tuple[int, int]
    course_months: tuple[int, int]
    capacity: tuple[int, int, int]  # low, high, step
    cost_per_head_eur: tuple[float, float]
    drop_rate: tuple[float, float]
    certified_share: tuple[float, float]
    women_share: tuple[float, float]
    seasonality: tuple[float, ...]


PROFILES: dict[TrainingLevel, LevelProfile] = {
    TrainingLevel.BASIC: LevelProfile(
        span_months=(9, 36),
        course_months=(1, 2),
        capacity=(150, 1200, 10),
        cost_per_head_eur=(120.0, 450.0),
        drop_rate=(0.05, 0.15),
        certified_share=(0.3, 0.6),
        women_share=(0.42, 0.6),
        seasonality=(1.0, 1.1, 1.2, 1.1, 1.0, 0.7, 0.35, 0.3, 1.3, 1.4, 1.2, 0.5),
    ),
    TrainingLevel.INTERMEDIATE: LevelProfile(
        span_months=(12, 36),
        course_months=(3, 6),
        capacity=(40, 250, 5),
        cost_per_head_eur=(1_200.0, 3_500.0),
        drop_rate=(0.08, 0.2),
        certified_share=(0.6, 0.85),
        women_share=(0.25, 0.42),
        seasonality=(1.2, 1.1, 1.1, 1.0, 0.9, 0.6, 0.3, 0.25, 1.5, 1.3, 1.0, 0.4),
    ),
    TrainingLevel.EXPERT: LevelProfile(
        span_months=(20, 36),
        course_months=(9, 12),
        capacity=(8, 40, 1),
        cost_per_head_eur=(8_000.0, 22_000.0),
        drop_rate=(0.05, 0.15),
        certified_share=(0.8, 0.95),
        women_share=(0.15, 0.32),
        seasonality=(0.8, 1.0, 0.6, 0.3, 0.2, 0.2, 0.05, 0.1, 3.0, 1.6, 0.5, 0.1),
    ),
}

SEASONALITY = np.array([PROFILES[level].seasonality for level in TrainingLevel])
