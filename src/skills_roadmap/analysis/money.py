"""Money: spend against budget, and what one completer or certified person costs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from skills_roadmap.analysis.flows import divide, group_sums, programme_totals
from skills_roadmap.analysis.frames import Frames


def money(frames: Frames, by: Sequence[str] = ("level", "funding_source")) -> pd.DataFrame:
    """Budget, spend, absorption and unit costs per group of programmes.

    Definitions (spend and people summed over every reported month through the as-of month):
        budget_eur: the programmes' whole budgets.
        absorption: spend_eur / budget_eur.
        cost_per_completer: spend_eur / completed.
        cost_per_certified: spend_eur / certified.
        A blank spend is "not reported" and adds nothing, so unit costs of programmes that
        report spend irregularly read low until they catch up.

    Args:
        frames: the (filtered) frames.
        by: programme columns such as ``level``, ``funding_source``, ``region_code``,
            ``cluster_id`` or ``programme_id``; empty for one total row. Every selected
            programme counts, reported or not.

    Returns:
        ``by`` columns, then ``budget_eur, spend_eur, completed, certified, absorption,
        cost_per_completer, cost_per_certified``.
    """
    totals = programme_totals(frames, ["spend_eur", "completed", "certified"])
    sums = group_sums(totals, by, ["budget_eur", "spend_eur", "completed", "certified"])
    return sums.assign(
        absorption=divide(sums["spend_eur"], sums["budget_eur"]),
        cost_per_completer=divide(sums["spend_eur"], sums["completed"]),
        cost_per_certified=divide(sums["spend_eur"], sums["certified"]),
    )
