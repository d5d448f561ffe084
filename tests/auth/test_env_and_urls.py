"""The ``CONFLUENCE_*`` environment is read in one place (``workbench.auth.env``) and site URLs are
normalised in one place (``workbench.confluence.urls``); every caller agrees with them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import workbench
from workbench.auth import env
from workbench.auth.env import EnvSite, env_site
from workbench.confluence.urls import same_site, site_key, typed_site_url
from workbench.errors import ConfigError

PACKAGE = Path(workbench.__file__).parent


def test_unset_or_blank_url_is_no_site():
    assert env_site({}) is None
    assert env_site({"CONFLUENCE_URL": "   ", "CONFLUENCE_USERNAME": "me"}) is None


def test_the_site_as_the_environment_names_it():
    site = env_site(
        {
            "CONFLUENCE_URL": "  https://me:pw@acme.atlassian.net/wiki/ ",
            "CONFLUENCE_USERNAME": " me@acme.com ",
            "CONFLUENCE_PASSWORD": "dc-password",
            "CONFLUENCE_API_TOKEN": "api-token-123",
        }
    )
    assert site == EnvSite(
        url="https://acme.atlassian.net/wiki", username="me@acme.com", secret="api-token-123"
    )  # the API token wins over the password
    assert site.auth == "basic" and site.has_credentials and site.kind() == ""
    password_only = env_site(
        {
            "CONFLUENCE_URL": "https://wiki.corp",
            "CONFLUENCE_USERNAME": "me",
            "CONFLUENCE_PASSWORD": "pw",
        }
    )
    assert password_only is not None and password_only.secret == "pw"
    pat = env_site({"CONFLUENCE_URL": "https://wiki.corp", "CONFLUENCE_PERSONAL_TOKEN": "pat-1"})
    assert pat is not None and pat.auth == "pat"


def test_secrets_stay_out_of_the_repr():
    site = env_site(
        {
            "CONFLUENCE_URL": "https://wiki.corp",
            "CONFLUENCE_USERNAME": "me",
            "CONFLUENCE_API_TOKEN": "s3cret-token",
            "CONFLUENCE_PERSONAL_TOKEN": "pat-s3cret",
        }
    )
    assert "s3cret" not in repr(site) and "me" in repr(site)


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("CONFLUENCE_FLAVOUR", "DC", "dc"),
        ("CONFLUENCE_FLAVOR", "cloud", "cloud"),
        ("CONFLUENCE_FLAVOUR", "", ""),
    ],
)
def test_the_flavour_in_either_spelling(name, value, kind):
    site = env_site({"CONFLUENCE_URL": "https://wiki.corp", name: value})
    assert site is not None and site.kind() == kind


def test_a_wrong_flavour_and_missing_credentials_are_clear_messages():
    site = env_site({"CONFLUENCE_URL": "https://wiki.corp", "CONFLUENCE_FLAVOUR": "server"})
    assert site is not None
    with pytest.raises(ConfigError, match="CONFLUENCE_FLAVOUR is 'server'; use 'cloud' or 'dc'"):
        site.kind()
    with pytest.raises(ConfigError, match="CONFLUENCE_URL is set but no credentials are"):
        site.require_credentials()
    no_secret = env_site({"CONFLUENCE_URL": "https://wiki.corp", "CONFLUENCE_USERNAME": "me"})
    assert no_secret is not None and no_secret.auth == "" and not no_secret.has_credentials


def test_client_from_env_uses_it(monkeypatch):
    from workbench.auth.connect import client_from_env

    for name in env.NAMES:
        monkeypatch.delenv(name, raising=False)
    assert client_from_env() is None
    monkeypatch.setenv("CONFLUENCE_URL", "https://acme.atlassian.net/")
    with pytest.raises(ConfigError, match="no credentials"):
        client_from_env()
    monkeypatch.setenv("CONFLUENCE_FLAVOUR", "server")
    with pytest.raises(ConfigError, match="CONFLUENCE_FLAVOUR is 'server'"):
        client_from_env()
    monkeypatch.setenv("CONFLUENCE_FLAVOUR", "cloud")
    monkeypatch.setenv("CONFLUENCE_USERNAME", "me@acme.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "t0ken")
    client = client_from_env()
    assert client is not None and client.urls.base == "https://acme.atlassian.net/wiki"


def test_nothing_else_reads_the_confluence_variables():
    """No module but auth/env.py names a CONFLUENCE_* variable in os.environ / os.getenv."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "auth" / "env.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            key = None
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("get", "getenv", "pop", "setdefault"):
                    key = node.args[0].value
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                key = node.slice.value
            if isinstance(key, str) and key.startswith("CONFLUENCE_"):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} reads {key}")
    assert not offenders, (
        "read the CONFLUENCE_* variables through workbench.auth.env:\n" + "\n".join(offenders)
    )


# -- one URL normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://acme.atlassian.net/wiki", "https://acme.atlassian.net"),
        ("https://ACME.atlassian.net/wiki/", "https://acme.atlassian.net"),
        ("https://me:pw@acme.atlassian.net/wiki", " https://acme.atlassian.net/ "),
        ("HTTPS://acme.atlassian.net/wiki?x=1#top", "https://acme.atlassian.net/wiki"),
        ("http://127.0.0.1:8090/confluence/", "http://127.0.0.1:8090/confluence"),
        ("http://[::1]:8090", "http://[::1]:8090/wiki"),
    ],
)
def test_urls_of_one_site(a, b):
    assert site_key(a) == site_key(b)
    assert same_site(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "https://acme.atlassian.net",
            "http://acme.atlassian.net",
        ),  # another scheme is another site
        ("https://acme.atlassian.net", "https://other.atlassian.net"),
        ("http://127.0.0.1:8090", "http://127.0.0.1:8091"),
        (
            "https://wiki.corp/confluence",
            "https://wiki.corp",
        ),  # a DC context path is part of the site
        ("", ""),
        ("https://acme.atlassian.net", ""),
    ],
)
def test_urls_of_different_sites(a, b):
    assert not same_site(a, b)


def test_site_keys_carry_no_credentials_and_survive_nonsense():
    assert "pw" not in site_key("https://me:pw@acme.atlassian.net/wiki")
    assert site_key("https://me:p@ss@acme.atlassian.net") == "https://acme.atlassian.net"
    assert site_key("http://host:notaport/x") == "http://host:notaport/x"  # no exception
    assert (
        typed_site_url("  https://me:pw@wiki.corp/confluence/ ") == "https://wiki.corp/confluence"
    )


def test_callers_compare_sites_with_the_one_function(tmp_path):
    from workbench.agent.session import same_site as agent_same_site
    from workbench.auth.profiles import profile_name_for
    from workbench.config import Profile, Settings
    from workbench.index.sites import normalise

    assert agent_same_site("https://acme.atlassian.net/wiki", "https://ACME.atlassian.net")
    assert normalise("https://ACME.atlassian.net/wiki/") == normalise("https://acme.atlassian.net")
    settings = Settings()
    settings.profiles["acme"] = Profile(name="acme", url="https://acme.atlassian.net/wiki")
    # the stored profile is found for the same site written another way
    assert (
        profile_name_for(settings, url="https://acme.atlassian.net/wiki/", wanted=None, hint="x")
        == "acme"
    )


def test_the_index_and_the_tui_name_the_environment_site_alike(monkeypatch, tmp_path):
    from workbench.config import Profile
    from workbench.index.sites import resolve_site, site_for_profile

    monkeypatch.setenv("CONFLUENCE_URL", "https://me:pw@Acme.atlassian.net/")
    ref = resolve_site(None)
    assert ref.key == site_key("https://acme.atlassian.net/wiki")
    assert (
        ref.key == site_for_profile(Profile(name="acme", url="https://acme.atlassian.net/wiki")).key
    )
