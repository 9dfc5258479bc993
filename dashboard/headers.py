"""Response headers of every answer: the Content-Security-Policy, caching and the rest.

What the browser is told, and why:

* **Content-Security-Policy**: scripts only from this site, plus Dash's own inline scripts by
  their SHA-256 (``app.csp_hashes()``: the renderer's start-up line and the clientside
  callbacks); no plugins, no ``<base>``, no framing, forms only to this site. Styles allow
  ``'unsafe-inline'`` because Plotly and the data grid inject ``<style>`` elements while
  drawing; images allow ``data:`` (Bootstrap's and the grid's icons) and ``blob:`` (Plotly
  draws a chart's PNG download through one); neither can run code.
* **Cache-Control: no-store** on everything except the public static files (``/assets/``,
  Dash's bundles): pages, callback answers, downloads and API answers hold data a user
  may see only while signed in, and must not stay in a shared or browser cache.
* ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` (for browsers older than
  ``frame-ancestors``) and ``Referrer-Policy: same-origin``.

HSTS is left to the reverse proxy that terminates HTTPS (docs/deploy.md): only it knows the
site is served over HTTPS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dash
import flask

from dashboard.dash_internals import COMPONENT_SUITES_PREFIX

STATIC_PREFIXES = ("/assets/", COMPONENT_SUITES_PREFIX)
"""Paths of public files that are the same for everyone: cacheable, unlike the rest."""

NO_STORE = "no-store"

BASE_POLICY: Mapping[str, Sequence[str]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),  # + the hashes of Dash's inline scripts
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:", "blob:"),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "frame-ancestors": ("'none'",),
    "form-action": ("'self'",),
}


def content_security_policy(inline_script_hashes: Sequence[str] = ()) -> str:
    """The policy's header value, allowing the inline scripts with these CSP hashes.

    >>> content_security_policy(["'sha256-abc='"]).split("; ")[:2]
    ["default-src 'self'", "script-src 'self' 'sha256-abc='"]
    """
    directives = {**BASE_POLICY}
    directives["script-src"] = (*BASE_POLICY["script-src"], *inline_script_hashes)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def is_static(request: flask.Request) -> bool:
    """Whether ``request`` asks for one of the public static files (cacheable by anyone).

    Judged by the route that serves it, as the log-in gate does, not by the path's text.
    """
    rule = request.url_rule.rule if request.url_rule is not None else ""
    return rule.startswith(STATIC_PREFIXES)


class ResponseHeaders:
    """The ``after_request`` hook of one app, its policy computed at the first response.

    At the first response, not at start-up: Dash gathers the clientside callbacks' inline
    scripts when it sets itself up for the first request, and hashes them then.
    """

    def __init__(self, app: dash.Dash) -> None:
        self.app = app
        self._policy: str | None = None

    @property
    def policy(self) -> str:
        if self._policy is None:
            self._policy = content_security_policy(self.app.csp_hashes())
        return self._policy

    def __call__(self, response: flask.Response) -> flask.Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", self.policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if not is_static(flask.request):
            headers["Cache-Control"] = NO_STORE
        return response


def install(app: dash.Dash) -> None:
    """Send the security and caching headers with every response of ``app``."""
    app.server.after_request(ResponseHeaders(app))
