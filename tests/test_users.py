"""Accounts and roles: hashing, verification, validation, role permissions and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from skills_roadmap import cli, users
from skills_roadmap.audit import AuditAction, AuditQuery, command_line_actor, query
from skills_roadmap.domain import Role, User
from skills_roadmap.exceptions import NotFoundError, SkillsRoadmapError
from skills_roadmap.settings import get_settings
from skills_roadmap.storage import get_engine, session_scope
from skills_roadmap.storage.tables import ClusterRow, RegionRow, UserRow
from skills_roadmap.users import AccountError, Permission

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its smallest cost: tests check behaviour, not the cost."""
    monkeypatch.setenv("SKILLS_ROADMAP_PASSWORD_HASH_TIME_COST", "1")
    monkeypatch.setenv("SKILLS_ROADMAP_PASSWORD_HASH_MEMORY_KIB", "64")
    get_settings.cache_clear()


def add_clusters(
    engine: Engine, clusters: dict[str, list[str]], *, new_regions: bool = True
) -> None:
    """Regions (code -> cluster ids) with just enough columns filled in."""
    with session_scope(engine, write=True) as session:
        for code in clusters if new_regions else ():
            session.add(RegionRow(code=code, name=code, country=code[:2], lat=0.0, lon=0.0))
        session.flush()
        for code, ids in clusters.items():
            for cluster_id in ids:
                session.add(
                    ClusterRow(id=cluster_id, name=cluster_id, region_code=code, helix_roles="")
                )


@pytest.fixture
def clustered(engine: Engine) -> Engine:
    add_clusters(engine, {"ES24": ["es24-data", "es24-ai"], "RO11": ["ro11-it"]})
    return engine


def stored_hash(engine: Engine, name: str) -> str:
    with session_scope(engine) as session:
        stored = session.scalars(select(UserRow.password_hash).where(UserRow.name == name)).one()
    assert stored is not None
    return stored


def test_password_is_stored_as_an_argon2id_hash_never_as_text(engine: Engine) -> None:
    users.create_user(engine, "ann", Role.ANALYST, PASSWORD, by="test")
    stored = stored_hash(engine, "ann")
    assert stored.startswith("$argon2id$v=19$m=64,t=1,p=4$")
    assert PASSWORD not in stored


@pytest.mark.parametrize(
    ("name", "password", "accepted"),
    [
        ("ann", PASSWORD, True),
        ("ann", "correct horse battery ", False),  # one space more
        ("ann", "", False),
        ("Ann", PASSWORD, False),  # names are exact
        ("bob", PASSWORD, False),  # no such account
        ("ann", "x" * 5000, False),  # longer than any valid password: not even hashed
    ],
)
def test_authenticate_accepts_only_the_right_password(
    engine: Engine, name: str, password: str, accepted: bool
) -> None:
    users.create_user(engine, "ann", Role.ANALYST, PASSWORD, by="test")
    expected = User(name="ann", role=Role.ANALYST) if accepted else None
    assert users.authenticate(engine, name, password) == expected


def test_disabled_account_cannot_sign_in(engine: Engine) -> None:
    users.create_user(engine, "ann", Role.OFFICIAL, PASSWORD, by="test")
    users.disable_user(engine, "ann", by="admin")
    assert users.authenticate(engine, "ann", PASSWORD) is None
    assert users.get_active_user(engine, "ann") is None


def test_hash_is_upgraded_at_log_in_when_the_cost_settings_rise(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.create_user(engine, "ann", Role.ANALYST, PASSWORD, by="test")
    monkeypatch.setenv("SKILLS_ROADMAP_PASSWORD_HASH_TIME_COST", "2")
    get_settings.cache_clear()
    assert users.authenticate(engine, "ann", PASSWORD) is not None
    assert stored_hash(engine, "ann").startswith("$argon2id$v=19$m=64,t=2,p=4$")
    assert users.authenticate(engine, "ann", PASSWORD) is not None


@pytest.mark.parametrize(
    ("name", "role", "password", "clusters", "error", "message"),
    [
        ("ann", "analyst", PASSWORD, [], AccountError, "user 'ann' already exists"),
        ("local", "admin", PASSWORD, [], AccountError, "reserved for local single-user mode"),
        ("bob", "analyst", "short", [], AccountError, "8 to 1024 characters; this one has 5"),
        ("bob smith", "analyst", PASSWORD, [], AccountError, "2 to 64 characters: letters, digits"),
        ("bob", "boss", PASSWORD, [], AccountError, "use one of admin, official, manager, analyst"),
        ("bob", "manager", PASSWORD, [], AccountError, "must be bound to at least one cluster"),
        ("bob", "analyst", PASSWORD, ["es24-ai"], AccountError, "only managers are bound"),
        ("bob", "manager", PASSWORD, ["xx-none"], NotFoundError, "no cluster xx-none"),
    ],
)
def test_create_user_refuses_bad_accounts_with_a_message_saying_why(
    clustered: Engine,
    name: str,
    role: str,
    password: str,
    clusters: list[str],
    error: type[SkillsRoadmapError],
    message: str,
) -> None:
    users.create_user(clustered, "ann", Role.ANALYST, PASSWORD, by="test")
    with pytest.raises(error, match=message):
        users.create_user(clustered, name, role, password, clusters, by="test")
    assert [u.name for u in users.list_users(clustered)] == ["ann"]


def test_list_users_gives_role_state_and_clusters(clustered: Engine) -> None:
    users.create_user(clustered, "mia", "manager", PASSWORD, ["es24-ai", "ro11-it"], by="t")
    users.create_user(clustered, "olaf", "official", PASSWORD, by="t")
    users.disable_user(clustered, "olaf", by="t")
    assert users.list_users(clustered) == [
        User(name="mia", role=Role.MANAGER, cluster_ids=("es24-ai", "ro11-it")),
        User(name="olaf", role=Role.OFFICIAL, active=False),
    ]


@pytest.mark.parametrize(
    ("role", "permissions"),
    [
        (Role.ADMIN, {"view", "export", "admin", "approve", "plan"}),
        # approve or return managers' months; plan the budget
        (Role.OFFICIAL, {"view", "export", "approve", "plan"}),
        (Role.MANAGER, {"view", "export", "upload"}),
        (Role.ANALYST, {"view", "export", "plan"}),
    ],
)
def test_each_role_has_exactly_its_permissions(role: Role, permissions: set[str]) -> None:
    assert users.ROLE_PERMISSIONS[role] == {Permission(p) for p in permissions}


def test_disabled_account_has_no_permission() -> None:
    assert users.permissions_of(User(name="olaf", role=Role.OFFICIAL, active=False)) == set()


@pytest.fixture
def team(clustered: Engine) -> Engine:
    users.create_user(clustered, "mia", "manager", PASSWORD, ["es24-ai", "ro11-it"], by="t")
    users.create_user(clustered, "max", "manager", PASSWORD, ["es24-ai"], by="t")
    users.create_user(clustered, "ada", "admin", PASSWORD, by="t")
    users.create_user(clustered, "ann", "analyst", PASSWORD, by="t")
    users.disable_user(clustered, "max", by="t")
    return clustered


@pytest.mark.parametrize(
    ("name", "clusters"),
    [
        ("mia", frozenset({"es24-ai", "ro11-it"})),
        ("max", frozenset()),  # disabled
        ("ada", frozenset()),  # admins manage programmes but do not report progress
        ("ann", frozenset()),
        ("nobody", frozenset()),
        ("local", None),  # local single-user mode: every cluster
    ],
)
def test_clusters_user_may_report_for(
    team: Engine, name: str, clusters: frozenset[str] | None
) -> None:
    assert users.clusters_user_may_report_for(team, name) == clusters


def test_set_role_demotes_and_rebinds_clusters(team: Engine) -> None:
    assert users.set_role(team, "mia", "analyst", by="ada") == User(name="mia", role=Role.ANALYST)
    assert users.clusters_user_may_report_for(team, "mia") == frozenset()
    users.set_role(team, "ann", "manager", ["ro11-it"], by="ada")
    assert users.clusters_user_may_report_for(team, "ann") == frozenset({"ro11-it"})


def test_set_password_replaces_the_old_one_and_is_audited_without_it(engine: Engine) -> None:
    users.create_user(engine, "ann", Role.ANALYST, PASSWORD, by="t")
    users.set_password(engine, "ann", "a brand new secret", by="ada")
    assert users.authenticate(engine, "ann", PASSWORD) is None
    assert users.authenticate(engine, "ann", "a brand new secret") is not None
    [entry] = query(engine, AuditQuery(action=AuditAction.USER_PASSWORD))
    assert (entry.user_name, entry.object, entry.detail) == ("ada", "ann", None)


def test_changing_an_unknown_user_says_how_to_find_the_names(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="`skills-roadmap users list` shows the accounts"):
        users.disable_user(engine, "ghost", by="t")


def test_every_account_change_is_audited_with_who_and_what(clustered: Engine) -> None:
    users.create_user(clustered, "mia", "manager", PASSWORD, ["es24-ai"], by="cli:root")
    users.set_role(clustered, "mia", "official", by="ada")
    users.disable_user(clustered, "mia", by="ada")
    entries = [(e.user_name, e.action, e.object, e.detail) for e in query(clustered, AuditQuery())]
    assert entries == [
        ("ada", "user_disable", "mia", None),
        (
            "ada",
            "user_role",
            "mia",
            '{"new": {"clusters": [], "role": "official"}, '
            '"old": {"clusters": ["es24-ai"], "role": "manager"}}',
        ),
        ("cli:root", "user_create", "mia", '{"clusters": ["es24-ai"], "role": "manager"}'),
    ]


def test_demo_accounts_are_one_per_role_with_the_manager_on_the_aragon_ai_cluster(
    engine: Engine,
) -> None:
    # Neither the first by id nor the first stored: the first in the demo catalogue.
    add_clusters(engine, {"ES24": ["aragon-agrifood-digital", "aragon-ict", "aragon-ai"]})
    created = users.create_demo_accounts(engine, "demo-password")
    assert created == ["admin", "official", "manager", "analyst"]
    assert users.list_users(engine) == [
        User(name="admin", role=Role.ADMIN),
        User(name="analyst", role=Role.ANALYST),
        User(name="manager", role=Role.MANAGER, cluster_ids=("aragon-ai",)),
        User(name="official", role=Role.OFFICIAL),
    ]
    assert users.authenticate(engine, "manager", "demo-password") is not None
    assert users.create_demo_accounts(engine, "another-password") == []


def test_demo_accounts_of_the_eu_scale_manage_the_first_aragon_cluster(clustered: Engine) -> None:
    """The EU-scale demo names its clusters after their region (es24-ai …): the manager gets
    the first Aragón cluster by id."""
    assert users.create_demo_accounts(clustered, "demo-password") == [
        "admin",
        "official",
        "manager",
        "analyst",
    ]
    assert users.get_user(clustered, "manager") == User(
        name="manager", role=Role.MANAGER, cluster_ids=("es24-ai",)
    )


def test_demo_accounts_without_aragon_manage_the_first_cluster(engine: Engine) -> None:
    add_clusters(engine, {"RO11": ["ro11-it", "ro11-ai"]})
    users.create_demo_accounts(engine, "demo-password")
    assert users.get_user(engine, "manager") == User(
        name="manager", role=Role.MANAGER, cluster_ids=("ro11-ai",)
    )


def test_demo_accounts_need_the_demo_network(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="load the demo network before its accounts"):
        users.create_demo_accounts(engine, "demo-password")


def test_accounts_work_the_same_on_each_backend(any_engine: Engine) -> None:
    add_clusters(any_engine, {"ES24": ["es24-ai"]})
    users.create_user(any_engine, "mia", "manager", PASSWORD, ["es24-ai"], by="t")
    assert users.authenticate(any_engine, "mia", PASSWORD) == User(
        name="mia", role=Role.MANAGER, cluster_ids=("es24-ai",)
    )
    users.disable_user(any_engine, "mia", by="t")
    assert users.authenticate(any_engine, "mia", PASSWORD) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda engine: users.disable_user(engine, "ghost", by="t"),
        lambda engine: users.set_password(engine, "ghost", "a brand new secret", by="t"),
        lambda engine: users.set_role(engine, "ghost", "analyst", by="t"),
    ],
    ids=["disable", "password", "role"],
)
def test_changing_an_unknown_user_changes_nothing_on_each_backend(
    any_engine: Engine, change: Callable[[Engine], object]
) -> None:
    users.create_user(any_engine, "ann", Role.ANALYST, PASSWORD, by="t")
    with pytest.raises(NotFoundError, match="no user 'ghost'"):
        change(any_engine)
    assert users.list_users(any_engine) == [User(name="ann", role=Role.ANALYST)]
    assert [e.action for e in query(any_engine, AuditQuery())] == ["user_create"]


# --- the `skills-roadmap users` and `demo` commands -------------------------------------------


@pytest.fixture
def run(clustered: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[CliRunner, Engine]]:
    monkeypatch.setenv(
        "SKILLS_ROADMAP_DATABASE_URL", clustered.url.render_as_string(hide_password=False)
    )
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield CliRunner(), clustered
    get_engine.cache_clear()


def test_users_add_reads_the_password_from_stdin(run: tuple[CliRunner, Engine]) -> None:
    runner, engine = run
    result = runner.invoke(
        cli.app,
        [
            "users",
            "add",
            "mia",
            "--role",
            "manager",
            "--cluster",
            "es24-ai",
            "--cluster",
            "ro11-it",
            "--password-stdin",
        ],
        input=f"{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert (
        result.output == "user added: mia                     manager   active    es24-ai,ro11-it\n"
    )
    assert users.authenticate(engine, "mia", PASSWORD) is not None


def test_users_add_prompts_twice_without_echo(run: tuple[CliRunner, Engine]) -> None:
    runner, engine = run
    result = runner.invoke(
        cli.app, ["users", "add", "olaf", "--role", "official"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert users.authenticate(engine, "olaf", PASSWORD) is not None


def test_users_list_disable_and_set_role(run: tuple[CliRunner, Engine]) -> None:
    runner, engine = run
    users.create_user(engine, "mia", "manager", PASSWORD, ["es24-ai"], by="t")
    users.create_user(engine, "olaf", "official", PASSWORD, by="t")
    assert runner.invoke(cli.app, ["users", "disable", "olaf"]).output == "user disabled: olaf\n"
    result = runner.invoke(
        cli.app, ["users", "set-password", "mia", "--password-stdin"], input="mia's new password\n"
    )
    assert result.output == "password set: mia\n"
    assert users.authenticate(engine, "mia", "mia's new password") is not None
    result = runner.invoke(cli.app, ["users", "set-role", "mia", "--role", "analyst"])
    assert result.output == "role set: mia                     analyst   active    -\n"
    assert runner.invoke(cli.app, ["users", "list"]).output == (
        "name                    role      state     clusters\n"
        "mia                     analyst   active    -\n"
        "olaf                    official  disabled  -\n"
    )
    disabled = query(engine, AuditQuery(action=AuditAction.USER_DISABLE))
    assert [(e.user_name, e.object) for e in disabled] == [(command_line_actor(), "olaf")]


def test_users_add_error_is_one_line_and_exit_1(run: tuple[CliRunner, Engine]) -> None:
    runner, _ = run
    result = runner.invoke(
        cli.app, ["users", "add", "mia", "--role", "manager", "--password-stdin"], input="pw\n"
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: account 'mia' is not valid: manager mia must be bound to at least one cluster"
    ]


def test_demo_accounts_print_a_generated_password_once(
    run: tuple[CliRunner, Engine], capsys: pytest.CaptureFixture[str]
) -> None:
    _, engine = run
    add_clusters(engine, {"ES24": ["aragon-ai"]}, new_regions=False)
    cli.add_demo_accounts(engine, None)
    line = capsys.readouterr().out.strip()
    prefix = "demo accounts admin, official, manager, analyst created with password "
    assert line.startswith(prefix) and line.endswith(" (shown only now)")
    password = line.removeprefix(prefix).removesuffix(" (shown only now)")
    assert len(password) >= 16
    assert users.authenticate(engine, "analyst", password) is not None


def test_demo_accounts_with_a_given_password_do_not_print_it(
    run: tuple[CliRunner, Engine], capsys: pytest.CaptureFixture[str]
) -> None:
    _, engine = run
    add_clusters(engine, {"ES24": ["aragon-ai"]}, new_regions=False)
    cli.add_demo_accounts(engine, "given-password")
    assert capsys.readouterr().out == "demo accounts admin, official, manager, analyst created\n"
    assert users.authenticate(engine, "admin", "given-password") is not None


def test_demo_refuses_a_too_short_accounts_password_before_loading_anything(
    run: tuple[CliRunner, Engine],
) -> None:
    runner, _ = run
    result = runner.invoke(cli.app, ["demo", "--accounts-password", "short"])
    assert result.exit_code == 1
    assert "a password must have 8 to 1024 characters" in result.output


def test_a_manager_gets_an_e_mail_address_that_is_validated_stored_and_audited(
    run: tuple[CliRunner, Engine],
) -> None:
    runner, engine = run
    added = runner.invoke(
        cli.app,
        ["users", "add", "mia", "--role", "manager", "--cluster", "es24-ai", "--password-stdin"]
        + ["--email", " mia@aragon.example.org "],
        input=f"{PASSWORD}\n",
    )
    wrong = runner.invoke(cli.app, ["users", "set-email", "mia", "--email", "mia at aragon"])
    header = runner.invoke(
        cli.app, ["users", "set-email", "mia", "--email", "a@b.org\nBcc: all@b.org"]
    )
    changed = runner.invoke(cli.app, ["users", "set-email", "mia", "--email", "mia@ai.example"])
    listed = runner.invoke(cli.app, ["users", "list"])
    removed = runner.invoke(cli.app, ["users", "set-email", "mia", "--email", ""])

    assert added.output == (
        "user added: mia                     manager   active    es24-ai  mia@aragon.example.org\n"
    )
    assert (wrong.exit_code, wrong.output) == (
        1,
        "error: 'mia at aragon' is not an e-mail address: write it as name@example.org\n",
    )
    assert header.exit_code == 1 and len(header.output.splitlines()) == 1
    assert changed.output == (
        "e-mail set: mia                     manager   active    es24-ai  mia@ai.example\n"
    )
    assert listed.output.splitlines()[1].endswith("es24-ai  mia@ai.example")
    assert (removed.exit_code, removed.output) == (0, "e-mail removed: mia\n")
    assert users.get_user(engine, "mia") == User(
        name="mia", role=Role.MANAGER, cluster_ids=("es24-ai",)
    )
    entries = [(e.action, e.detail) for e in query(engine, AuditQuery(user=command_line_actor()))]
    assert entries == [
        ("user_email", '{"new": null, "old": "mia@ai.example"}'),
        ("user_email", '{"new": "mia@ai.example", "old": "mia@aragon.example.org"}'),
        (
            "user_create",
            '{"clusters": ["es24-ai"], "email": "mia@aragon.example.org", "role": "manager"}',
        ),
    ]


def test_a_users_language_is_remembered_normalised_and_refused_when_not_spoken(
    team: Engine,
) -> None:
    chosen = users.set_language(team, "mia", "es_ES.UTF-8")
    with pytest.raises(AccountError, match="'ja' is not a supported language: use one of en, es"):
        users.set_language(team, "mia", "ja")
    cleared = users.set_language(team, "max", " ")

    assert (chosen.language, cleared.language) == ("es", None)
    assert [(u.name, u.language) for u in users.list_users(team)] == [
        ("ada", None),
        ("ann", None),
        ("max", None),
        ("mia", "es"),
    ]
    with pytest.raises(NotFoundError):
        users.set_language(team, "nobody", "fr")


def test_an_account_created_with_a_language_keeps_it(clustered: Engine) -> None:
    users.create_user(clustered, "ana", "official", PASSWORD, by="t", language="pt")

    assert users.get_user(clustered, "ana") == User(name="ana", role=Role.OFFICIAL, language="pt")


def test_the_command_line_sets_and_removes_an_accounts_language(
    run: tuple[CliRunner, Engine],
) -> None:
    runner, engine = run
    users.create_user(engine, "mia", "manager", PASSWORD, ["es24-ai"], by="t")

    chosen = runner.invoke(cli.app, ["users", "set-language", "mia", "--language", "pt"])
    wrong = runner.invoke(cli.app, ["users", "set-language", "mia", "--language", "klingon"])
    listed = runner.invoke(cli.app, ["users", "list"])
    removed = runner.invoke(cli.app, ["users", "set-language", "mia", "--language", ""])

    assert (chosen.exit_code, chosen.stdout.split()) == (
        0,
        ["language", "set:", "mia", "manager", "active", "es24-ai", "pt"],
    )
    assert wrong.exit_code == 1
    assert "'klingon' is not a supported language: use one of en, es, ro" in wrong.stderr
    assert listed.stdout.splitlines()[1].split()[-1] == "pt"
    assert (removed.exit_code, removed.stdout) == (0, "language removed: mia\n")
    assert users.get_user(engine, "mia").language is None  # type: ignore[union-attr]
