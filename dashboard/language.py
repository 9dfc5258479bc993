"""Which language each request reads: the user's choice, else their browser's, else the
installation's default.

The choice is remembered in a cookie. It is made with the navbar's language switch (the
``/language/<code>`` route, which goes back to the page it came from) or by opening a link
with ``?lang=<code>`` (a shared view in the sender's language, when the sender asked for it).
A signed-in user's switch is also remembered on their account: their reminder mails are
written in it, and signing in on another browser sets the cookie to it.
Without a choice, the browser's ``Accept-Language`` decides, then ``default_language``.
Dash's callbacks carry the cookie and the browser's header, so a page and its callbacks read
alike.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit

import dash
import flask
from flask import redirect, request
from werkzeug.wrappers import Response

from skills_roadmap.i18n import LANGUAGES, current_language, negotiate
from skills_roadmap.i18n.languages import reset, supported, use
from skills_roadmap.settings import Settings

COOKIE = "lang"
PARAMETER = "lang"
ROUTE = "/language/<code>"
COOKIE_MAX_AGE_S = 365 * 24 * 3600


def choose(default: str) -> None:
    """Set the current request's language (``before_request``); :func:`forget` undoes it
    when the request ends, so a thread serving the next request starts from the default."""
    flask.g.language_token = use(
        negotiate(
            request.args.get(PARAMETER),
            request.cookies.get(COOKIE),
            accepted=request.accept_languages.values(),
            default=default,
        )
    )


def forget(_error: BaseException | None = None) -> None:
    """Undo the request's language (``teardown_request``)."""
    token = flask.g.pop("language_token", None)
    if token is not None:
        reset(token)


def remember(response: Response) -> Response:
    """Remember a language asked for with ``?lang=`` (``after_request``)."""
    asked = supported(request.args.get(PARAMETER))
    if asked and asked != request.cookies.get(COOKIE):
        set_cookie(response, asked)
    return response


def set_cookie(response: Response, code: str) -> None:
    """Make ``response`` remember ``code`` as the browser's language."""
    response.set_cookie(
        COOKIE, code, max_age=COOKIE_MAX_AGE_S, samesite="Lax", secure=request.is_secure
    )


def back_to(referrer: str | None) -> str:
    """Where the switch goes back to: the page it was used on, if it is on this site, without
    a ``lang`` parameter (the new choice wins), else the overview."""
    parts = urlsplit(referrer or "")
    if not referrer or parts.netloc.lower() != request.host.lower():
        return dash.get_relative_path("/")
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query) if key != PARAMETER])
    return (parts.path or "/") + (f"?{query}" if query else "")


def switch(code: str, keep: Callable[[str], None]) -> Response:
    """The language switch's route: remember ``code`` (in the cookie, and with ``keep``, on
    the signed-in user's account) and go back to the page."""
    chosen = supported(code)
    if chosen is None:
        flask.abort(404)
    keep(chosen)
    response = redirect(back_to(request.referrer), code=303)
    set_cookie(response, chosen)
    return response


def switch_path(code: str) -> str:
    """The address of the switch to ``code``."""
    return dash.get_relative_path(ROUTE.replace("<code>", code))


def choices() -> list[tuple[str, str, bool]]:
    """The switch's entries: code, the language's name in itself, whether it is current."""
    now = current_language()
    return [(code, name, code == now) for code, name in LANGUAGES.items()]


def install(server: flask.Flask, settings: Settings, keep: Callable[[str], None]) -> None:
    """Choose every request's language and serve the switch (a public route), which hands
    the choice to ``keep`` too (to remember it on the signed-in user's account)."""
    server.before_request(lambda: choose(settings.default_language))
    server.after_request(remember)
    server.teardown_request(forget)
    server.add_url_rule(ROUTE, "language", lambda code: switch(code, keep), methods=["GET"])
