"""One typed settings model: every name-valued setting is a ``Literal`` whose names are the one
source for messages, argparse choices and lookups; every wrong value gets a clear message naming the
file, the section, the key and what is allowed."""

from __future__ import annotations

import pytest

from workbench.config import (
    AGENT_PROFILES,
    AUTH_METHODS,
    DEFAULT_AGENT_PROFILE,
    SITE_KINDS,
    Profile,
    Settings,
    keymap_entries,
    load_settings,
    save_settings,
)
from workbench.errors import ConfigError


def _load(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path, load_settings(path)


@pytest.mark.parametrize(
    ("text", "key", "where", "allowed"),
    [
        (
            '[profiles.w]\nurl = "https://x.atlassian.net/wiki"\nauth = "token"\n',
            "auth",
            "[profiles.w]",
            AUTH_METHODS,
        ),
        (
            '[profiles.w]\nurl = "https://x.atlassian.net/wiki"\nkind = "server"\n',
            "kind",
            "[profiles.w]",
            SITE_KINDS,
        ),
        (
            '[profiles.w]\nurl = "https://x.atlassian.net/wiki"\nagent_profile = "admin"\n',
            "agent_profile",
            "[profiles.w]",
            AGENT_PROFILES,
        ),
        ('[agent]\nprofile = "write"\n', "profile", "[agent]", AGENT_PROFILES),
        ('[agent]\nprofile = "Propose"\n', "profile", "[agent]", AGENT_PROFILES),  # names are exact
        (
            '[profiles.w]\nurl = "https://x.atlassian.net/wiki"\nkind = 1\n',
            "kind",
            "[profiles.w]",
            SITE_KINDS,
        ),
    ],
)
def test_a_wrong_name_says_the_file_section_key_and_the_names(tmp_path, text, key, where, allowed):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    message = info.value.message
    assert f"'{key}' in {where} of the config file {path} must be one of " in message
    assert all(f'"{name}"' in message for name in allowed)


def test_the_right_names_load_and_an_unset_agent_profile_is_empty(tmp_path):
    _, settings = _load(
        tmp_path,
        '[profiles.dc]\nurl = "https://wiki.corp/confluence"\nauth = "pat"\nkind = "dc"\n'
        'agent_profile = "read-only"\n[profiles.c]\nurl = "https://x.atlassian.net/wiki"\n'
        '[agent]\nprofile = "search-only"\n',
    )
    assert settings.profiles["dc"].auth == "pat" and settings.profiles["dc"].kind == "dc"
    assert settings.profiles["dc"].agent_profile == "read-only"
    assert settings.profiles["c"].agent_profile == "" and settings.profiles["c"].auth == "api-token"
    assert settings.agent.profile == "search-only"


def test_ui_theme_is_checked_like_every_other_setting(tmp_path):
    with pytest.raises(ConfigError, match=r"'theme' in \[ui\] .* must be text in quotes, not 3"):
        _load(tmp_path, "[ui]\ntheme = 3\n")
    with pytest.raises(ConfigError, match=r"Unknown setting 'colour' in \[ui\]"):
        _load(tmp_path, '[ui]\ncolour = "red"\n')
    assert _load(tmp_path, '[ui]\ntheme = "nord"\n')[1].theme == "nord"


def test_a_keymap_list_of_keys_is_joined_and_other_values_are_kept_for_the_tui_to_name(tmp_path):
    _, settings = _load(
        tmp_path,
        '[keymap]\n"app.search" = ["slash", "ctrl+f"]\n"editor.save" = "ctrl+w"\n"app.quit" = 3\n'
        '"app.help" = []\n"app.palette" = [1, 2]\n',
    )
    assert settings.keymap["app.search"] == "slash,ctrl+f"  # used to become "['slash', 'ctrl+f']"
    assert settings.keymap["editor.save"] == "ctrl+w"
    # not turned into a string it was not: the TUI's check says "not a key" with the binding id
    assert settings.keymap["app.quit"] == 3
    assert settings.keymap["app.help"] == []
    assert settings.keymap["app.palette"] == [1, 2]
    assert keymap_entries({"x": [" f2 ", "ctrl+e"]}) == {"x": "f2,ctrl+e"}


def test_round_trip_keeps_the_names(tmp_path):
    path = tmp_path / "config.toml"
    settings = Settings()
    settings.profiles["dc"] = Profile(
        name="dc", url="https://wiki.corp", auth="basic", kind="dc", agent_profile="search-only"
    )
    settings.agent.profile = "read-only"
    save_settings(settings, path)
    again = load_settings(path)
    assert again.profiles["dc"] == settings.profiles["dc"]
    assert again.agent.profile == "read-only"


def test_the_cli_and_the_agent_use_the_same_names():
    from workbench.agent import fences
    from workbench.auth import profiles
    from workbench.commands import auth as auth_commands

    assert auth_commands.METHODS == AUTH_METHODS  # `workbench login --method` choices
    assert profiles.AUTH_METHODS == AUTH_METHODS
    assert tuple(fences.PROFILES) == AGENT_PROFILES
    assert fences.DEFAULT_PROFILE == DEFAULT_AGENT_PROFILE == Settings().agent.profile
    assert fences.check_profile_name("") == DEFAULT_AGENT_PROFILE
    from workbench.tui.agent.panel import PROFILE_ORDER

    # the panel cycles them widest first
    assert PROFILE_ORDER == ("propose", "read-only", "search-only")
    with pytest.raises(Exception, match="Choose one of: search-only, read-only, propose"):
        fences.check_profile_name("admin")


def test_agent_cli_help_names_the_profiles():
    """No argparse choices any more (profiles of your own come from the config file: the fence
    checks the name, see tests/agent/test_permission_groups.py); the help names the built-in ones
    from the same source."""
    import argparse

    from workbench.commands import agent as agent_commands
    from workbench.commands import mcp as mcp_commands

    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    agent_commands.register(subparsers)
    mcp_commands.register(subparsers)
    actions = [
        a
        for sub in parser._subparsers._group_actions
        for p in sub.choices.values()
        for a in p._actions
        if a.dest == "agent_profile"
    ]
    assert len(actions) == 2
    for action in actions:
        assert action.choices is None and ", ".join(AGENT_PROFILES) in action.help
