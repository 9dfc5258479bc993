"""The EU frames funds and ministries report against, and which training level counts toward
each: one declaration, read by the analysis, the reports and the filter by frame.

The sources and the reasoning behind each mapping are in ``docs/eu-frames.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from skills_roadmap.domain import TrainingLevel
from skills_roadmap.i18n import N_

__all__ = [
    "BASIC_SKILLS_SHARE",
    "DIGCOMP_LEVELS",
    "EU_FRAMES",
    "ICT_SPECIALISTS_GOAL",
    "EuFrame",
    "FrameKey",
    "frame_levels",
]


class FrameKey(StrEnum):
    """The frames a level can be reported against."""

    BASIC_SKILLS = "digital-decade-basic-skills"
    ICT_SPECIALISTS = "digital-decade-ict-specialists"
    AI_LITERACY = "ai-act-article-4"


@dataclass(frozen=True)
class EuFrame:
    """One frame: what it asks for, by when, and the levels whose people count toward it."""

    key: FrameKey
    name: str
    short: str
    goal: str
    year: int | None
    levels: tuple[TrainingLevel, ...]
    source: str


BASIC_SKILLS_SHARE = 0.8
"""The Digital Decade's goal: at least 80 % of people aged 16-74 with at least basic digital
skills by 2030."""

ICT_SPECIALISTS_GOAL = 20_000_000
"""The Digital Decade's goal: at least 20 million ICT specialists employed in the EU by 2030."""

EU_FRAMES: tuple[EuFrame, ...] = (
    EuFrame(
        key=FrameKey.BASIC_SKILLS,
        name=N_("Digital Decade: basic digital skills"),
        short=N_("basic digital skills"),
        goal="at least 80 % of people aged 16-74 with at least basic digital skills",
        year=2030,
        levels=(TrainingLevel.BASIC,),
        source="Decision (EU) 2022/2481 (Digital Decade Policy Programme 2030), Article 4(1)(1)",
    ),
    EuFrame(
        key=FrameKey.ICT_SPECIALISTS,
        name=N_("Digital Decade: ICT specialists"),
        short=N_("ICT specialists"),
        goal="at least 20 million ICT specialists employed in the EU",
        year=2030,
        levels=(TrainingLevel.INTERMEDIATE, TrainingLevel.EXPERT),
        source="Decision (EU) 2022/2481 (Digital Decade Policy Programme 2030), Article 4(1)(1)",
    ),
    EuFrame(
        key=FrameKey.AI_LITERACY,
        name=N_("AI Act: AI literacy (Article 4)"),
        short=N_("AI literacy (Article 4)"),
        goal="a sufficient level of AI literacy of the staff of AI providers and deployers",
        year=None,
        levels=(TrainingLevel.BASIC,),
        source="Regulation (EU) 2024/1689 (AI Act), Article 4, applicable from 2 February 2025",
    ),
)

DIGCOMP_LEVELS: dict[TrainingLevel, str] = {
    TrainingLevel.BASIC: N_("DigComp 2.2 levels 1-4 (foundation and intermediate)"),
    TrainingLevel.INTERMEDIATE: N_("DigComp 2.2 levels 5-6 (advanced)"),
    TrainingLevel.EXPERT: N_("DigComp 2.2 levels 7-8 (highly specialised)"),
}
"""Each level's DigComp 2.2 proficiency levels (JRC, 2022).

Names (a frame's ``name`` and ``short``, these levels) are in English, marked for translation:
``gettext`` them where they are shown."""


def frame_levels(key: FrameKey | str) -> tuple[TrainingLevel, ...]:
    """The levels whose people count toward the frame ``key``."""
    wanted = FrameKey(key)
    return next(frame.levels for frame in EU_FRAMES if frame.key is wanted)
