"""Requests no page of this app can make get a 4xx, not a 500 and a traceback in the log.

* A Dash bundle path that no installed component package registered answers 404 (Dash
  itself raises an error that Flask turns into 500).
* A callback request whose body is not JSON, or not the shape Dash's renderer sends, or names
  a callback the app does not have, or brings a different number of inputs than the callback
  declares, answers 400 before Dash reads it (Dash would fail on it with a ``KeyError`` or a
  ``TypeError``, a 500).

Checked after the log-in gate, so an anonymous request still gets 401.
"""

from __future__ import annotations

from typing import Any

import dash
import flask
from dash.exceptions import DependencyException
from flask import abort
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dashboard.dash_internals import CALLBACK_RULE, declared_callback_arity


class Dependency(BaseModel):
    """One input, state or output of a callback request: a component id and a property."""

    model_config = ConfigDict(extra="allow")

    id: str | dict[str, Any]
    property: str


# A pattern-matching dependency (ALL, ALLSMALLER) arrives as a list of them.
Dependencies = list[Dependency | list[Dependency]]


class CallbackBody(BaseModel):
    """The body Dash's renderer posts to run a callback (what Dash's dispatch reads)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    output: str
    outputs: Dependency | Dependencies = Field(default_factory=list)
    inputs: Dependencies = Field(default_factory=list)
    state: Dependencies = Field(default_factory=list)
    changed_prop_ids: list[str] = Field(default_factory=list, alias="changedPropIds")


def callback_body_problem(app: dash.Dash, body: object) -> str | None:
    """Why ``body`` cannot be a request of one of ``app``'s server callbacks; None if it can."""
    try:
        parsed = CallbackBody.model_validate(body)
    except ValidationError as error:
        return f"not a callback request: {error.errors()[0]['msg']}"
    declared = declared_callback_arity(app, parsed.output)
    if declared is None:
        return "no such callback"
    if (len(parsed.inputs), len(parsed.state)) != declared:
        return "inputs or state do not match the callback"
    return None


class MalformedRequests:
    """The ``before_request`` check of one app's callback requests."""

    def __init__(self, app: dash.Dash) -> None:
        self.app = app

    def __call__(self) -> None:
        request = flask.request
        if request.url_rule is None or request.url_rule.rule != CALLBACK_RULE:
            return
        problem = callback_body_problem(self.app, request.get_json(silent=True))
        if problem is not None:
            abort(400, description=problem)


def _unknown_component_file(_error: DependencyException) -> ResponseReturnValue:
    return "Not Found", 404


def install(app: dash.Dash) -> None:
    """Answer ``app``'s impossible requests with 404 or 400 (call after the log-in gate)."""
    app.server.before_request(MalformedRequests(app))
    app.server.register_error_handler(DependencyException, _unknown_component_file)
