"""Which language a request reads: the switch, ``?lang=``, the browser's wish, the default."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from dashboard.app import create_app
from skills_roadmap.settings import Settings


@pytest.fixture
def client(engine: Engine) -> FlaskClient:
    """A local-mode dashboard on an empty database, whose default language is Portuguese."""
    settings = Settings(default_language="pt")
    return create_app(settings, engine).server.test_client()


def page_language(response_text: str) -> str:
    return response_text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_switch_remembers_the_language_and_returns_to_the_page_without_a_lang_parameter(
    client: FlaskClient,
) -> None:
    response = client.get(
        "/language/es",
        headers={"Referer": "http://localhost/region/ES24?levels=basic&lang=fr"},
    )

    assert (response.status_code, response.location) == (303, "/region/ES24?levels=basic")
    assert "lang=es" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"]


def test_the_switch_goes_to_the_overview_when_it_comes_from_another_site(
    client: FlaskClient,
) -> None:
    response = client.get("/language/sv", headers={"Referer": "https://elsewhere.example/x"})

    assert (response.status_code, response.location) == (303, "/")


def test_the_switch_refuses_a_language_the_dashboard_does_not_speak(client: FlaskClient) -> None:
    assert client.get("/language/ja").status_code == 404


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("?lang=sv", "de", "el", "sv"),  # a shared link that asks for a language
        ("", "de", "el", "de"),  # the user's choice
        ("", None, "ja, el;q=0.8, en;q=0.5", "el"),  # the browser's first wish spoken here
        ("", None, "ja", "pt"),  # the installation's default
        ("?lang=xx", None, None, "pt"),
    ],
)
def test_a_page_is_in_the_language_asked_for_else_chosen_else_wished_else_the_default(
    client: FlaskClient,
    query: str,
    cookie: str | None,
    accept: str | None,
    expected: str,
) -> None:
    if cookie:
        client.set_cookie("lang", cookie)
    headers = {"Accept-Language": accept} if accept else {}

    response = client.get("/" + query, headers=headers)

    assert page_language(response.get_data(as_text=True)) == expected


def test_a_link_with_lang_makes_that_language_the_remembered_choice(client: FlaskClient) -> None:
    response = client.get("/?lang=fi")

    assert "lang=fi" in response.headers["Set-Cookie"]
    assert page_language(client.get("/").get_data(as_text=True)) == "fi"


def test_the_navbar_and_the_page_are_rendered_in_the_chosen_language(client: FlaskClient) -> None:
    client.set_cookie("lang", "es")

    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)

    assert "Vista general" in layout  # the overview's name in the navbar
    assert "Español" in layout  # the language switch shows the current language
    assert "Overview" not in layout


def test_the_default_language_must_be_one_the_dashboard_speaks() -> None:
    with pytest.raises(ValueError, match="default_language must be one of en, es"):
        Settings(default_language="ja")


def test_a_chart_cached_for_one_language_is_not_served_in_another(client: FlaskClient) -> None:
    """Charts are kept per selection and snapshot: the same selection in two languages must
    give each its own words."""
    from dashboard import strings
    from dashboard.data import cached
    from skills_roadmap.analysis import Filters
    from skills_roadmap.i18n import use_language

    app = client.application
    with app.test_request_context():

        def words(_frames: object, _filters: Filters) -> str:
            return str(strings.OVERVIEW_TITLE)

        with use_language("en"):
            english = cached("title", Filters(), words)
        with use_language("es"):
            spanish = cached("title", Filters(), words)

    assert (english, spanish) == ("Is the roadmap on track?", "¿Va en camino la hoja de ruta?")
