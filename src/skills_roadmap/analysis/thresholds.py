"""The analysis settings: status thresholds, run-rate window and inclusion goal, in one value."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from skills_roadmap.settings import Settings

_DEFAULTS = Settings.model_fields


class AnalysisSettings(BaseModel):
    """The knobs of the analysis layer, defaulting to the installation's settings.

    Kept apart from :class:`~skills_roadmap.settings.Settings` so that pure functions take a
    small immutable value (easy to vary in tests and notebooks) instead of reading the
    environment.

    >>> AnalysisSettings().on_track, AnalysisSettings().at_risk
    (0.95, 0.8)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    on_track: float = Field(
        _DEFAULTS["on_track_ratio"].default,
        gt=0,
        description="achieved / expected at or above this is on track.",
    )
    at_risk: float = Field(
        _DEFAULTS["at_risk_ratio"].default,
        gt=0,
        description="achieved / expected at or above this (and below on track) is at risk.",
    )
    run_rate_months: int = Field(
        _DEFAULTS["run_rate_months"].default,
        ge=1,
        description="Months of recent progress averaged into the run rate of a forecast.",
    )
    women_goal: float = Field(
        _DEFAULTS["women_share_goal"].default,
        ge=0,
        le=1,
        description="Goal for the share of women among participants.",
    )
    complete_month_share: float = Field(
        _DEFAULTS["complete_month_share"].default,
        gt=0,
        le=1,
        description="Share of the programmes due that makes a month complete (shown by default).",
    )

    @model_validator(mode="after")
    def _at_risk_below_on_track(self) -> Self:
        if self.at_risk > self.on_track:
            raise ValueError(
                f"the at-risk threshold ({self.at_risk}) must not exceed the on-track "
                f"threshold ({self.on_track})"
            )
        return self

    @classmethod
    def from_settings(cls, settings: Settings) -> AnalysisSettings:
        """The analysis settings of an installation (environment variables or ``.env``)."""
        return cls(
            on_track=settings.on_track_ratio,
            at_risk=settings.at_risk_ratio,
            run_rate_months=settings.run_rate_months,
            women_goal=settings.women_share_goal,
            complete_month_share=settings.complete_month_share,
        )
