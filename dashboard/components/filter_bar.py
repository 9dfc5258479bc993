"""The filter bar: region, cluster, level, as-of month, funding source, delivery mode and
provider helix, kept in the address bar so that any view is a link and the browser's back
button works.

A page puts :func:`selection_components` (a page-local ``dcc.Location``, the selection store and
what the page path fixes) and :func:`filter_bar` in its layout; its charts listen to the
``ids.FILTERS`` store. One callback here keeps dropdowns, store and address bar in step.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dash
import dash_bootstrap_components as dbc
import numpy as np
from dash import (
    ALL,
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
)

from dashboard import ids, strings
from dashboard.components.attributes import attributes
from dashboard.components.formats import month_words
from dashboard.data import cached
from dashboard.url_state import MULTIPLE, ParsedQuery, merge, parse_query, parse_search, to_search
from skills_roadmap.analysis import Filters, Frames, apply_filters, month_to_period
from skills_roadmap.text import capitalised

ALL_FIELDS = (
    "regions",
    "clusters",
    "levels",
    "as_of",
    "funding_sources",
    "delivery_modes",
    "provider_helices",
)
# The lists that grow with the network. Above ``LISTED_OPTIONS`` options the browser would
# spend most of a second indexing them for search on every page load, so it gets the first
# ones and the selected ones, and typing asks the server for the matches.
SEARCHED_FIELDS = ("regions", "clusters")
LISTED_OPTIONS = 100

Options = list[dict[str, str]]
Scope = Mapping[str, Any]
"""What a page's path fixes, as the ``ids.PAGE_SCOPE`` store holds it: ``{"regions": [code]}``."""


def is_cluster_page(scope: Scope | None) -> bool:
    """Whether the page's path fixes a cluster."""
    return bool(scope and scope.get("clusters"))


SELECTION = Input(ids.FILTERS, "data")
"""The input of every callback that redraws something for a new selection."""
SELECTION_STATE = State(ids.FILTERS, "data")
SCOPE = State(ids.PAGE_SCOPE, "data")


@dataclass(frozen=True)
class FilterChoices:
    """The values each filter offers, as dropdown options, and the month shown when none is
    picked (the latest complete month)."""

    options: Mapping[str, Options] = field(default_factory=dict)
    latest: str | None = None

    def known(self) -> dict[str, set[str]]:
        """Per Filters field, the values that exist (what ``parse_query`` checks against)."""
        return {name: {option["value"] for option in opts} for name, opts in self.options.items()}


def _reported_months(months: np.ndarray) -> np.ndarray:
    """The distinct months of a progress column, newest first: counted per month instead of
    sorted, since the column holds millions of rows and a few dozen months."""
    if not len(months):
        return months
    first = int(months.min())
    return (np.flatnonzero(np.bincount(months - first)) + first)[::-1]


def _month_option(month: int, provisional: bool) -> dict[str, str]:
    """A month of the month filter: its label in words, "October 2026 (provisional)" after
    the month shown by default; its value the ``YYYY-MM`` code the address and callbacks use."""
    period = month_to_period(month)
    words = month_words(period)
    label = strings.PROVISIONAL_MONTH.format(period=words) if provisional else words
    return {"label": capitalised(label), "value": period}


def filter_choices(frames: Frames, shown: int | None = None) -> FilterChoices:
    """What the filters offer within ``frames``: its regions, clusters, funding sources,
    delivery modes and reported months (newest first; those after ``shown``, the month shown
    when none is picked, marked provisional)."""
    shown = frames.as_of if shown is None else shown
    regions = frames.regions.sort_values("name", kind="stable")
    clusters = frames.clusters.sort_values("name", kind="stable")
    programmes = frames.programmes
    months = _reported_months(frames.progress["month"].to_numpy())
    funding = sorted(str(value) for value in programmes["funding_source"].dropna().unique())
    modes = {str(value) for value in programmes["delivery_mode"].dropna().unique()}
    helices = {str(value) for value in programmes["provider_helix"].dropna().unique()}
    return FilterChoices(
        options={
            "regions": [
                {"label": f"{name} ({code})", "value": str(code)}
                for code, name in zip(regions["region_code"], regions["name"], strict=True)
            ],
            "clusters": [
                {"label": str(name), "value": str(cluster)}
                for cluster, name in zip(clusters["cluster_id"], clusters["name"], strict=True)
            ],
            "levels": [
                {"label": label, "value": level} for level, label in strings.LEVEL_LABELS.items()
            ],
            "as_of": [_month_option(m, shown is not None and m > shown) for m in months],
            "funding_sources": [{"label": name, "value": name} for name in funding],
            "delivery_modes": [
                {"label": label, "value": mode}
                for mode, label in strings.DELIVERY_LABELS.items()
                if mode in modes
            ],
            "provider_helices": [
                {"label": label, "value": helix}
                for helix, label in strings.HELIX_LABELS.items()
                if helix in helices
            ],
        },
        latest=None if shown is None else month_to_period(shown),
    )


def page_choices(scope: Mapping[str, Any] | None) -> FilterChoices:
    """The filter choices inside what a page's path fixes (a region page offers that region's
    clusters), computed once per data version."""
    pinned = Filters.model_validate(dict(scope or {}))

    def choices(frames: Frames, chosen: Filters) -> FilterChoices:
        # Every reported month is offered, the provisional ones too.
        latest = chosen.model_copy(update={"as_of": frames.as_of_period})
        return filter_choices(apply_filters(frames, latest), frames.default_as_of)

    return cached("choices", pinned, choices)


def control_value(filters: Filters, name: str) -> Any:
    """The dropdown value that shows ``filters``' field ``name``."""
    value = getattr(filters, name)
    return [str(item) for item in value] if name in MULTIPLE else value


def filters_from_controls(
    names: Sequence[str], values: Sequence[Any], scope: Mapping[str, Any] | None
) -> Filters:
    """The selection the dropdowns show, plus what the page's path fixes."""
    chosen = {
        name: tuple(value or ()) if name in MULTIPLE else (value or None)
        for name, value in zip(names, values, strict=True)
    }
    return merge(Filters.model_validate(chosen), scope or {})


def filters_data(filters: Filters) -> dict[str, Any]:
    """The selection as the ``ids.FILTERS`` store holds it (JSON)."""
    return filters.model_dump(mode="json")


def read_filters(data: Mapping[str, Any] | None) -> Filters:
    """The selection held by the ``ids.FILTERS`` store."""
    return Filters.model_validate(dict(data or {}))


def problems_alert(problems: Sequence[str]) -> dbc.Alert | None:
    """The friendly message for values left out of the filters, or nothing."""
    if not problems:
        return None
    return dbc.Alert(
        [html.P(problem, className="mb-0") for problem in problems],
        color="warning",
        className="mt-2 mb-0 py-2",
        dismissable=True,
    )


def read_page_query(
    query: Mapping[str, Any], scope: Mapping[str, Any]
) -> tuple[Filters, FilterChoices, ParsedQuery]:
    """What a page's ``layout(**query)`` needs: the selection (query plus the path's scope),
    the filter choices and what was left out of the query."""
    choices = page_choices(scope)
    parsed = parse_query(query, choices.known())
    return merge(parsed.filters, scope), choices, parsed


def selection_components(filters: Filters, scope: Mapping[str, Any]) -> list[Any]:
    """The page-local address bar and the stores of the selection and of the path's scope.

    The address bar starts out holding the selection's own query, so mounting it changes
    nothing: the charts' first callbacks need not wait for a round trip that would only
    confirm the filters the layout already shows.
    """
    return [
        dcc.Location(
            id=ids.FILTER_LOCATION, refresh=False, search=to_search(filters, omit=tuple(scope))
        ),
        dcc.Store(id=ids.FILTERS, data=filters_data(filters)),
        dcc.Store(id=ids.PAGE_SCOPE, data=dict(scope)),
    ]


def matching_options(options: Options, search: str | None, selected: Any) -> Options:
    """The options a searched dropdown shows: the selected ones, then the first
    ``LISTED_OPTIONS`` whose label or value contains every typed word (case ignored), the
    way the dropdown itself matches."""
    values = selected if isinstance(selected, list) else [selected]
    chosen = {str(value) for value in values if value is not None}
    words = (search or "").lower().split()
    kept = [option for option in options if option["value"] in chosen]
    for option in options:
        if len(kept) >= LISTED_OPTIONS + len(chosen):
            break
        text = f"{option['label']} {option['value']}".lower()
        if option["value"] not in chosen and all(word in text for word in words):
            kept.append(option)
    return kept


def _placeholder(name: str, choices: FilterChoices) -> str:
    if name == "as_of" and choices.latest:
        return capitalised(strings.FILTER_LATEST.format(period=month_words(choices.latest)))
    if name in SEARCHED_FIELDS and len(choices.options.get(name, [])) > LISTED_OPTIONS:
        return strings.FILTER_SEARCH
    return strings.FILTER_ALL


def _dropdown(name: str, choices: FilterChoices, filters: Filters) -> dbc.Col:
    control_id = {"type": ids.FILTER, "name": name}
    value = control_value(filters, name)
    options = list(choices.options.get(name, []))
    if name in SEARCHED_FIELDS:
        options = matching_options(options, None, value)
    return dbc.Col(
        [
            dbc.Label(strings.FILTER_LABELS[name], className="form-label small mb-1 fw-semibold"),
            dcc.Dropdown(
                id=control_id,
                options=options,
                value=value,
                multi=name in MULTIPLE,
                placeholder=_placeholder(name, choices),
                className=f"filter-{name}",
            ),
        ],
        xs=12,
        sm=6,
        lg=4,
        xl=2,
        className="mb-2",
    )


def active_values(
    filters: Filters, choices: FilterChoices, scope: Scope | None, fields: Collection[str]
) -> list[tuple[str, str, str]]:
    """The filter values the selection holds beyond what the page's path fixes, each as
    ``(field, value, label)``: what the chips on a phone show."""
    fixed = set(scope or {})
    active = []
    for name in ALL_FIELDS:
        if name not in fields or name in fixed:
            continue
        labels = {option["value"]: option["label"] for option in choices.options.get(name, [])}
        value = control_value(filters, name)
        for item in value if isinstance(value, list) else [value] if value else []:
            active.append((name, str(item), labels.get(str(item), str(item))))
    return active


def filter_chips(active: Sequence[tuple[str, str, str]]) -> list[html.Button]:
    """One removable chip per active filter value; a click on it removes that value."""
    return [
        html.Button(
            [
                html.Span(f"{strings.FILTER_LABELS[name]}: ", className="visually-hidden"),
                label,
                html.Span(" ×", className="ms-1", **attributes(aria_hidden="true")),
            ],
            id={"type": ids.FILTER_CHIP, "name": name, "value": value},
            type="button",
            className="btn btn-sm btn-outline-primary rounded-pill filter-chip",
            title=strings.FILTER_CHIP_REMOVE.format(label=strings.FILTER_LABELS[name], value=label),
            **attributes(
                aria_label=strings.FILTER_CHIP_REMOVE.format(
                    label=strings.FILTER_LABELS[name], value=label
                )
            ),
        )
        for name, value, label in active
    ]


def drawer_label(count: int) -> str:
    """The words of the button that opens the filter drawer, with how many values are set."""
    return strings.FILTER_DRAWER_COUNT.format(count=count) if count else strings.FILTER_DRAWER_OPEN


def filter_bar(
    choices: FilterChoices,
    filters: Filters,
    problems: Sequence[str] = (),
    fields: Collection[str] = ALL_FIELDS,
    scope: Scope | None = None,
) -> html.Section:
    """The filters a page offers (``fields``), showing ``filters``.

    On a laptop they are a row above the page, as always. Below Bootstrap's lg breakpoint
    the same controls sit in a drawer (Bootstrap's responsive ``offcanvas-lg``), opened by a
    "Filters" button beside one removable chip per active value, so a phone shows the
    numbers first rather than a screenful of dropdowns.
    """
    active = active_values(filters, choices, scope, fields)
    title_id = f"{ids.FILTER_DRAWER}-title"
    return html.Section(
        [
            html.H2(strings.FILTERS_HEADING, className="visually-hidden"),
            html.Div(
                [
                    html.Button(
                        drawer_label(len(active)),
                        id=ids.FILTER_DRAWER_OPEN,
                        type="button",
                        className="btn btn-primary btn-sm",
                        **attributes(aria_expanded="false", aria_controls=ids.FILTER_DRAWER),
                    ),
                    html.Div(
                        filter_chips(active),
                        id=ids.FILTER_CHIPS,
                        role="group",
                        className="d-flex flex-wrap gap-1",
                        **attributes(aria_label=strings.FILTER_CHIPS_LABEL),
                    ),
                ],
                className="d-flex d-lg-none flex-wrap align-items-center gap-2 filter-summary",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Div(
                                strings.FILTERS_HEADING, id=title_id, className="offcanvas-title h5"
                            ),
                            html.Button(
                                id=ids.FILTER_DRAWER_CLOSE,
                                type="button",
                                className="btn-close",
                                **attributes(aria_label=strings.FILTER_DRAWER_CLOSE),
                            ),
                        ],
                        className="offcanvas-header",
                    ),
                    html.Div(
                        html.Div(
                            [
                                dbc.Row(
                                    [
                                        _dropdown(name, choices, filters)
                                        for name in ALL_FIELDS
                                        if name in fields
                                    ],
                                    className="g-2 align-items-end",
                                ),
                                html.Div(
                                    html.Button(
                                        strings.FILTER_RESET,
                                        id=ids.FILTER_RESET,
                                        type="button",
                                        className="btn btn-link btn-sm px-0",
                                    ),
                                ),
                            ],
                            className="w-100",
                        ),
                        className="offcanvas-body",
                    ),
                ],
                id=ids.FILTER_DRAWER,
                className="offcanvas-lg offcanvas-start filter-drawer",
                tabIndex="-1",
                **attributes(aria_labelledby=title_id),
            ),
            html.Div(
                id=ids.FILTER_DRAWER_BACKDROP,
                className="offcanvas-backdrop fade d-lg-none",
                hidden=True,
            ),
            html.Div(problems_alert(problems), id=ids.FILTER_MESSAGE, role="status"),
        ],
        className="filter-bar mb-3",
        **attributes(aria_label=strings.FILTERS_HEADING),
    )


# The drawer opens and closes in the browser, without a round trip: the Filters button opens
# it; its close button, the backdrop and Escape (filter_drawer.js) close it. Open, it is a
# modal dialog holding the focus; closed, the focus goes back to the Filters button.
clientside_callback(
    ClientsideFunction(namespace="skillsRoadmap", function_name="toggleFilterDrawer"),
    Output(ids.FILTER_DRAWER, "className"),
    Output(ids.FILTER_DRAWER, "role"),
    Output(ids.FILTER_DRAWER, "aria-modal"),
    Output(ids.FILTER_DRAWER_OPEN, "aria-expanded"),
    Output(ids.FILTER_DRAWER_BACKDROP, "hidden"),
    Input(ids.FILTER_DRAWER_OPEN, "n_clicks"),
    Input(ids.FILTER_DRAWER_CLOSE, "n_clicks"),
    Input(ids.FILTER_DRAWER_BACKDROP, "n_clicks"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.FILTER_CHIPS, "children"),
    Output(ids.FILTER_DRAWER_OPEN, "children"),
    SELECTION,
    State(ids.PAGE_SCOPE, "data"),
    State({"type": ids.FILTER, "name": ALL}, "id"),
    prevent_initial_call=True,
)
def update_chips(
    data: dict[str, Any] | None, scope: dict[str, Any] | None, controls: list[dict[str, str]]
) -> tuple[list[html.Button], str]:
    """The chips and the drawer button's count of a new selection."""
    fields = [control["name"] for control in controls]
    active = active_values(read_filters(data), page_choices(scope), scope, fields)
    return filter_chips(active), drawer_label(len(active))


@callback(
    Output(ids.FILTER_LOCATION, "search", allow_duplicate=True),
    Input({"type": ids.FILTER_CHIP, "name": ALL, "value": ALL}, "n_clicks"),
    SELECTION_STATE,
    State(ids.PAGE_SCOPE, "data"),
    prevent_initial_call=True,
)
def remove_chip(
    _clicks: list[int | None], data: dict[str, Any] | None, scope: dict[str, Any] | None
) -> Any:
    """A click on a chip removes its value from the selection, through the address bar (so
    the back button brings it back and :func:`sync_filters` sets the dropdowns)."""
    chip = dash.ctx.triggered_id
    if not chip or not dash.ctx.triggered[0]["value"]:  # just drawn, not clicked
        return dash.no_update
    return to_search(
        without(read_filters(data), chip["name"], chip["value"]), omit=tuple(scope or ())
    )


def without(filters: Filters, name: str, value: str) -> Filters:
    """``filters`` without the value ``value`` of its field ``name``."""
    current = getattr(filters, name)
    if name in MULTIPLE:
        kept = tuple(item for item in current if str(item) != value)
        return filters.model_copy(update={name: kept})
    return filters.model_copy(update={name: None})


@callback(
    Output(ids.FILTER_LOCATION, "search"),
    Output({"type": ids.FILTER, "name": ALL}, "value"),
    Output(ids.FILTERS, "data"),
    Output(ids.FILTER_MESSAGE, "children"),
    Input(ids.FILTER_LOCATION, "search"),
    Input({"type": ids.FILTER, "name": ALL}, "value"),
    Input(ids.FILTER_RESET, "n_clicks"),
    State(ids.FILTERS, "data"),
    State(ids.PAGE_SCOPE, "data"),
    prevent_initial_call=True,
)
def sync_filters(
    search: str | None,
    values: list[Any],
    _reset: int | None,
    current: dict[str, Any] | None,
    scope: dict[str, Any] | None,
) -> tuple[Any, Any, Any, Any]:
    """Keep the dropdowns, the selection store and the address bar in step.

    A dropdown change (or "Clear filters") writes the address bar, which adds a browser
    history entry; an address-bar change (back/forward) sets the dropdowns. The store changes
    only when the selection does, so charts recompute only then.
    """
    names = [item["id"]["name"] for item in dash.ctx.inputs_list[1]]
    triggered = dash.ctx.triggered_id
    if triggered == ids.FILTER_LOCATION:
        parsed = parse_search(search, page_choices(scope).known())
        filters = merge(parsed.filters, scope or {})
        message = problems_alert(parsed.problems)
        if filters_data(filters) == current:
            return dash.no_update, [dash.no_update] * len(names), dash.no_update, message
        return (
            dash.no_update,
            [control_value(filters, name) for name in names],
            filters_data(filters),
            message,
        )
    if triggered == ids.FILTER_RESET:
        filters = merge(Filters(), scope or {})
        new_values: Any = [control_value(filters, name) for name in names]
    else:
        filters = filters_from_controls(names, values, scope)
        new_values = [dash.no_update] * len(names)
    if filters_data(filters) == current:
        return dash.no_update, new_values, dash.no_update, None
    return to_search(filters, omit=tuple(scope or ())), new_values, filters_data(filters), None


def _searched_options(name: str) -> None:
    """Register the callback that fills the ``name`` dropdown with the server's matches."""
    control = {"type": ids.FILTER, "name": name}

    @callback(
        Output(control, "options"),
        Input(control, "search_value"),
        Input(control, "value"),
        State(ids.PAGE_SCOPE, "data"),
        prevent_initial_call=True,
    )
    def search_options(search: str | None, value: Any, scope: dict[str, Any] | None) -> Options:
        """The selected options and the first matches of what was typed."""
        return matching_options(page_choices(scope).options.get(name, []), search, value)


for _name in SEARCHED_FIELDS:
    _searched_options(_name)
