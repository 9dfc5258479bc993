"""The budget planner: programme types from the history, and the plan of new cohorts that
closes a selection's gaps at the least cost or trains the most people within its budgets."""

from skills_roadmap.planning.model import PlanMode
from skills_roadmap.planning.planner import Plan, PlanningError, PlanRequest, plan
from skills_roadmap.planning.types import monthly_capacity, programme_types

__all__ = [
    "Plan",
    "PlanMode",
    "PlanRequest",
    "PlanningError",
    "monthly_capacity",
    "plan",
    "programme_types",
]
