"""Why a domain model refused a value, in the reader's language: the domain's own rules by
their message and values, pydantic's checks in our words, its English only as a last resort."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from skills_roadmap.domain import Cluster, Region, Target, User, parse_period
from skills_roadmap.domain_errors import reason, refusal
from skills_roadmap.i18n import PSEUDO_LANGUAGE, use_language
from skills_roadmap.users import AccountError, _validated

TARGET = {
    "id": "T-1",
    "scope": "region",
    "scope_id": "ES24",
    "level": "basic",
    "deadline_year": 2027,
    "value": 500,
    "baseline_year": 2024,
}


def reasons(model: type[BaseModel], **fields: Any) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        model(**fields)
    return [reason(problem) for problem in refused.value.errors()]


@pytest.mark.parametrize(
    ("model", "fields", "english", "marked"),
    [
        (  # the domain's own rule, its values filled in
            Region,
            {"code": "ES21", "name": "Aragón", "country": "FR", "lat": 41.0, "lon": 0.0},
            ["region ES21 starts with ES but its country is FR"],
            ["⟦régîön ES21 stårts wîth ES büt îts cöüntry îs FR⟧"],
        ),
        (  # pydantic's bounds, lengths and number parsing in our words; 90.0 reads 90
            Region,
            {"code": "PYRENE", "name": "", "country": "ES", "lat": 95, "lon": "east"},
            ["at least 1 character", "must be 90 or less", "not a number"],
            ["⟦åt léåst 1 chåråctér⟧", "⟦müst bé 90 ör léss⟧", "⟦nöt å nümbér⟧"],
        ),
        (
            Cluster,
            {"id": "c", "name": "C", "region_code": "ES24", "website": "not a web address"},
            ["not a web address: write it as https://example.org"],
            ["⟦nöt å wéb åddréss: wrîté ît ås https://example.org⟧"],
        ),
        (
            Target,
            {**TARGET, "value": 0, "level": "guru"},
            ["not one of the allowed values", "must be more than 0"],
            ["⟦nöt öné öf thé ållöwéd vålüés⟧", "⟦müst bé möré thån 0⟧"],
        ),
        (
            Target,
            {**TARGET, "scope": "cluster", "scope_id": None},
            ["a cluster target needs the cluster it is for"],
            ["⟦å clüstér tårgét nééds thé clüstér ît îs för⟧"],
        ),
        (  # a check not listed keeps pydantic's English
            User,
            {"name": "maria", "role": "manager", "cluster_ids": "aragon-ai"},
            ["Input should be a valid tuple"],
            ["Input should be a valid tuple"],
        ),
    ],
)
def test_a_refusal_is_told_in_the_reader_language(
    model: type[BaseModel], fields: dict[str, Any], english: list[str], marked: list[str]
) -> None:
    assert reasons(model, **fields) == english
    with use_language(PSEUDO_LANGUAGE):
        assert reasons(model, **fields) == marked


def test_a_domain_value_error_keeps_its_english_and_is_translated_where_shown() -> None:
    with pytest.raises(ValueError) as refused:
        parse_period("May 2025")
    assert str(refused.value) == "'May 2025' is not a month: expected YYYY-MM, e.g. '2025-03'"
    with use_language(PSEUDO_LANGUAGE):
        assert refusal(refused.value) == (
            "⟦'May 2025' îs nöt å mönth: éxpéctéd YYYY-MM, é.g. '2025-03'⟧"
        )
    assert refusal(ValueError("not ours")) == "not ours"


def test_an_account_refused_by_the_domain_is_told_in_the_reader_language() -> None:
    with use_language(PSEUDO_LANGUAGE), pytest.raises(AccountError) as refused:
        _validated("mia", "manager", (), "mia at aragon")
    assert str(refused.value) == (
        "⟦åccöünt 'mia' îs nöt vålîd: "
        "⟦'mia at aragon' îs nöt ån é-måîl åddréss: wrîté ît ås nåmé@éxåmplé.örg⟧⟧"
    )
    with use_language(PSEUDO_LANGUAGE), pytest.raises(AccountError) as refused:
        _validated("mia", "manager", ())
    assert str(refused.value) == (
        "⟦åccöünt 'mia' îs nöt vålîd: ⟦månågér mia müst bé böünd tö åt léåst öné clüstér⟧⟧"
    )
