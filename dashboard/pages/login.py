"""The log-in form: a plain server-rendered HTML page, not a Dash page.

Why not a Dash page: Dash pages are rendered by callbacks, so a Dash log-in page would need
callbacks open to anonymous visitors and JavaScript to sign in. A plain HTML form posts
without JavaScript, works with password managers and screen readers, and lets the gate
refuse every Dash request from someone not signed in.
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app, url_for
from jinja2 import Environment, Template

from dashboard import strings

TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ s.LOGIN_TITLE }}</title>
<link rel="stylesheet" href="{{ css_url }}">
</head>
<body>
<main class="container py-5" style="max-width: 26rem">
<h1 class="h3 mb-4">{{ s.LOGIN_HEADING }}</h1>
{% if error %}
<div class="alert alert-danger" role="alert" id="login-error">{{ error }}</div>
{% endif %}
<form method="post" action="{{ action }}">
<input type="hidden" name="next" value="{{ next_path }}">
<div class="mb-3">
<label class="form-label" for="name">{{ s.LOGIN_NAME }}</label>
<input class="form-control" id="name" name="name" value="{{ name }}" autocomplete="username"
 maxlength="64" required autofocus{% if error %} aria-describedby="login-error"{% endif %}>
</div>
<div class="mb-4">
<label class="form-label" for="password">{{ s.LOGIN_PASSWORD }}</label>
<input class="form-control" id="password" name="password" type="password"
 autocomplete="current-password" required>
</div>
<button class="btn btn-primary" type="submit">{{ s.LOGIN_SUBMIT }}</button>
</form>
</main>
</body>
</html>
"""


@lru_cache(maxsize=4)
def _template(environment: Environment) -> Template:
    # Compiled once: the form is the answer to every refused attempt of a log-in flood, so
    # it must cost next to nothing (compiling it took longer than the rest of the refusal).
    return environment.from_string(TEMPLATE)


def login_page(*, next_path: str, css_url: str, name: str = "", error: str | None = None) -> str:
    """The log-in form's HTML; every value is escaped by the template engine.

    Args:
        next_path: where to go after signing in, already checked to be a path on this site.
        css_url: the dashboard's own Bootstrap stylesheet (no internet needed).
        name: the user name typed before, kept after a failed attempt.
        error: the reason the last attempt failed, announced to screen readers.
    """
    return _template(current_app.jinja_env).render(
        s=strings,
        action=url_for("login"),
        next_path=next_path,
        css_url=css_url,
        name=name,
        error=error,
    )
