"""The deterministic synthetic demo network (``skills-roadmap demo``)."""

from skills_roadmap.demo.build import (
    DemoSummary,
    DemoTables,
    build_demo,
    generate_demo,
    write_demo,
)
from skills_roadmap.demo.calendar import DEMO_FIRST_PERIOD, DEMO_LAST_PERIOD
from skills_roadmap.demo.layout import EuSize

__all__ = [
    "DEMO_FIRST_PERIOD",
    "DEMO_LAST_PERIOD",
    "DemoSummary",
    "DemoTables",
    "EuSize",
    "build_demo",
    "generate_demo",
    "write_demo",
]
