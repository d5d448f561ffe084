"""The config file: loading, precedence of profiles, clear errors for broken files, atomic saves."""

from __future__ import annotations

import pytest

from workbench.config import Profile, Settings, load_settings, save_settings
from workbench.errors import ConfigError


def test_missing_file_gives_defaults(tmp_path):
    settings = load_settings(tmp_path / "nope.toml")
    assert settings.profiles == {}
    assert settings.profile() is None
    assert settings.agent.profile == "propose"


def test_round_trip_keeps_profiles_agent_and_keymap(tmp_path):
    path = tmp_path / "config.toml"
    settings = Settings(default_profile="work")
    settings.profiles["work"] = Profile(
        name="work", url="https://x.atlassian.net/wiki", username="me@x.com"
    )
    settings.profiles["dc"] = Profile(
        name="dc", url="https://wiki.corp/confluence", auth="pat", kind="dc"
    )
    settings.agent.model = "llama3.1"
    settings.keymap["editor.save"] = "ctrl+w"
    save_settings(settings, path)
    again = load_settings(path)
    assert again.profile().name == "work"
    assert again.profile("dc").auth == "pat"
    assert again.agent.model == "llama3.1"
    assert again.keymap == {"editor.save": "ctrl+w"}


def test_single_profile_is_the_default(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[profiles.only]\nurl = "http://127.0.0.1:1/wiki"\n')
    assert load_settings(path).profile().name == "only"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("default_profile = \n", "not valid TOML"),
        ("[profiles.a]\nauth = 'pat'\n", "needs a 'url'"),
        ("[profiles.a]\nurl = 'u'\ncolour = 'red'\n", "Unknown setting 'colour'"),
        ("[agent]\nmax_steps = 3\nbogus = 1\n", "Unknown setting 'bogus'"),
        ("[weird]\nx = 1\n", "Unknown section"),
        ("profiles = 3\n", "'profiles' in the config file"),
        ("agent = 'fast'\n", "must be a section like [agent], not 'fast'"),
        ("[profiles.a]\nurl = 3\n", "'url' in [profiles.a] of the config file"),
        (
            "[profiles.a]\nurl = 'u'\nallow_spaces = [1, 2]\n",
            'must be a list of text, like ["ENG", "OPS"]',
        ),
        ("[agent]\nmodel = 3\n", "'model' in [agent] of the config file"),
        ("default_profile = 1\n", "'default_profile' in the config file"),
    ],
)
def test_broken_config_is_a_clear_error(tmp_path, text, fragment):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert fragment in info.value.message
    assert str(path) in info.value.message


def test_every_setting_type_has_a_check(tmp_path):
    from dataclasses import fields
    from typing import get_type_hints

    from workbench.config import AgentSettings, NetworkSettings, UiSettings, _accepts

    for cls in (Profile, AgentSettings, NetworkSettings, UiSettings):
        hints = get_type_hints(cls)
        for f in fields(cls):
            wanted, check = _accepts(hints[f.name])  # a KeyError here: a type without a check
            assert wanted and callable(check)
    path = tmp_path / "config.toml"
    path.write_text(
        "[profiles.a]\nurl = 'u'\nallow_spaces = 'ENG, OPS'\n"
    )  # the agent's fences split it
    assert load_settings(path).profiles["a"].allow_spaces == "ENG, OPS"


def test_unknown_profile_names_the_known_ones(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[profiles.work]\nurl = "u"\n')
    with pytest.raises(ConfigError, match="known: work"):
        load_settings(path).profile("home")


def test_an_unwritable_config_is_a_clear_error(tmp_path):
    blocker = tmp_path / "conf"
    blocker.write_text("a file where the config folder should be")
    with pytest.raises(
        ConfigError, match=r"^Cannot write the config file .*conf/config.toml: .*WORKBENCH_CONFIG"
    ):
        save_settings(Settings(default_profile="b"), blocker / "config.toml")
    assert blocker.read_text() == "a file where the config folder should be"
