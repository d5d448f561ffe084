"""Permission groups: one table puts every tool in a group, profiles compose groups, the built-in
profiles keep their meaning, and profiles of your own come from the config file (checked, with a
clear message for a wrong name) and are picked per site, in [agent] or with --agent-profile."""

from __future__ import annotations

import inspect
import json

import pytest

from workbench.agent import fences
from workbench.agent.fences import (
    TOOL_GROUPS,
    WRITE_TOOLS,
    FenceRefusal,
    Profiles,
    tools_of,
)
from workbench.agent.session import fence_for
from workbench.agent.tool_specs import TOOL_SPECS
from workbench.agent.toolkit import Toolkit
from workbench.cli import main
from workbench.config import (
    AGENT_PROFILES,
    PERMISSION_GROUPS,
    AgentProfile,
    Settings,
    load_settings,
    save_settings,
)
from workbench.errors import ConfigError, UsageError

READERS = {"list_spaces", "search_pages"}
PAGE_READERS = {"get_page", "get_page_outline", "get_section", "get_page_tree", "get_history"}


def _config(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_tool_of_the_toolkit_has_exactly_one_known_group():
    """Adding a tool without a line in TOOL_GROUPS fails here (it would be in no profile at all)."""
    handlers = {
        name.removeprefix("_tool_")
        for name, _ in inspect.getmembers(Toolkit, inspect.iscoroutinefunction)
        if name.startswith("_tool_")
    }
    assert handlers, "the toolkit's tools are its _tool_* methods"
    missing = sorted((handlers | set(TOOL_SPECS)) - set(TOOL_GROUPS))
    assert not missing, f"add these tools to workbench.agent.fences.TOOL_GROUPS: {missing}"
    # and the table names no tool that does not exist, and only groups the config knows
    assert set(TOOL_GROUPS) == handlers == set(TOOL_SPECS)
    assert set(TOOL_GROUPS.values()) <= set(PERMISSION_GROUPS) == set(fences.GROUPS)


def test_the_built_in_profiles_keep_their_meaning_and_none_may_delete():
    assert tuple(fences.PROFILES) == AGENT_PROFILES
    assert fences.PROFILES["search-only"] == READERS
    read_only = READERS | PAGE_READERS | {"get_comments", "list_attachments", "view_image"}
    assert fences.PROFILES["read-only"] == read_only
    assert fences.PROFILES["propose"] == read_only | {
        "propose_edit",
        "propose_page",
        "propose_comment",
        "propose_labels",
        "propose_move",
        "propose_copy",
        "propose_rename",
        "propose_attachment",
    }
    assert WRITE_TOOLS == fences.PROFILES["propose"] - read_only | {
        "propose_delete",
        "propose_membership",
        "propose_jira_issue",
        "propose_jira_fields",
        "propose_jira_transition",
        "propose_jira_comment",
        "propose_jira_worklog",
        "propose_jira_link",
    }
    for name in AGENT_PROFILES:
        assert "delete" not in Profiles().groups(name)
        assert "admin" not in Profiles().groups(name)  # group membership changes: opt-in only
        assert "jira_write" not in Profiles().groups(name)  # Jira proposals: opt-in only
        # people lookups: opt-in too (their schemas would not fit the fixed request budget)
        assert "users" not in Profiles().groups(name)
    # the groups the profiles are made of (what later tools join by their group)
    assert Profiles().groups("search-only") == {"spaces", "search"}
    assert Profiles().groups("read-only") == {
        "spaces",
        "search",
        "pages",
        "comments",
        "attachments",
    }
    assert Profiles().groups("propose") == Profiles().groups("read-only") | {"propose"}


def test_a_profile_of_your_own_composes_groups_and_is_fenced_by_them(tmp_path):
    path = _config(
        tmp_path,
        '[agent]\nprofile = "reviewer"\n'
        '[agent.profiles.reviewer]\ngroups = ["spaces", "pages", "comments", "propose"]\n'
        '[agent.profiles.finder]\ngroups = "search, spaces"\n',
    )
    settings = load_settings(path)
    assert settings.agent.profiles["reviewer"] == AgentProfile(
        "reviewer", ["spaces", "pages", "comments", "propose"]
    )
    assert settings.agent.profiles["finder"].groups == ["search", "spaces"]
    fence = fence_for(settings, None)
    assert fence.profile == "reviewer"
    assert fence.tools == (
        {"list_spaces", "get_comments"}
        | PAGE_READERS
        | (WRITE_TOOLS - {"propose_delete", "propose_membership"} - tools_of({"jira_write"}))
    )
    fence.check_tool("propose_edit")
    with pytest.raises(FenceRefusal, match=r"'reviewer' profile does not allow search_pages"):
        fence.check_tool("search_pages")
    with pytest.raises(FenceRefusal, match="There is no tool named 'delete_page'"):
        fence.check_tool("delete_page")
    # the person switches profile: the config's profiles stay choosable, widest built-in first
    assert fence.profiles.cycle_order() == (
        "propose",
        "read-only",
        "search-only",
        "reviewer",
        "finder",
    )
    assert fence.with_profile("finder").tools == READERS
    assert fence.with_profile("Read-Only").profile == "read-only"  # built-in names in any case
    with pytest.raises(UsageError) as info:
        fence.with_profile("admin")
    assert info.value.message == (
        "Unknown agent profile 'admin'. Choose one of: search-only, read-only, propose, reviewer, "
        "finder."
    )


def test_a_site_picks_its_profile_and_the_flag_wins(tmp_path):
    path = _config(
        tmp_path,
        '[profiles.work]\nurl = "https://x.atlassian.net/wiki"\nagent_profile = "finder"\n'
        '[agent.profiles.finder]\ngroups = ["search", "spaces"]\n',
    )
    settings = load_settings(path)
    site = settings.profile("work")
    assert fence_for(settings, site).tools == READERS
    assert fence_for(settings, site, "propose").profile == "propose"
    assert fence_for(settings, None).profile == "propose"  # [agent] profile's default


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[agent.profiles.x]\ngroups = ["pages", "root"]\n',
            "'groups' in [agent.profiles.x] of the config file {path} has the unknown group "
            "'root'; the permission groups are: spaces, search, pages, comments, attachments, "
            "users, propose, delete, jira, jira_write, admin.",
        ),
        (
            "[agent.profiles.x]\ngroups = []\n",
            "'groups' in [agent.profiles.x] of the config file {path} has no groups; the "
            "permission groups are: spaces, search, pages, comments, attachments, users, propose, "
            "delete, jira, jira_write, admin.",
        ),
        (
            '[agent.profiles.propose]\ngroups = ["pages", "delete"]\n',
            "[agent.profiles.propose] in the config file {path} redefines the built-in profile "
            "'propose' (built-in profiles keep their meaning: search-only, read-only, propose); "
            "give yours another name.",
        ),
        (
            "[agent.profiles.x]\ngroups = [1]\n",
            "'groups' in [agent.profiles.x] of the config file {path} must be a list of text, "
            'like ["ENG", "OPS"], not [1].',
        ),
        (
            '[agent.profiles.x]\ngroup = ["pages"]\n',
            "Unknown setting 'group' in [agent.profiles.x] of the config file {path}.",
        ),
        (
            '[agent]\nprofiles = "reviewer"\n',
            "'profiles' in the config file {path} must be a section like [agent.profiles.NAME], "
            "not 'reviewer'.",
        ),
        (
            '[agent]\nprofile = "reviewer"\n[agent.profiles.finder]\ngroups = ["search"]\n',
            "'profile' in [agent] of the config file {path} must be one of \"search-only\", "
            '"read-only", "propose", "finder" (a built-in profile, or one defined as '
            "[agent.profiles.NAME]), not 'reviewer'.",
        ),
        (
            '[profiles.w]\nurl = "https://x.atlassian.net/wiki"\nagent_profile = "reviewer"\n',
            "'agent_profile' in [profiles.w] of the config file {path} must be one of \"search-only\", "
            '"read-only", "propose" (a built-in profile, or one defined as [agent.profiles.NAME]), '
            "not 'reviewer'.",
        ),
    ],
)
def test_a_wrong_profile_or_group_says_the_file_section_and_the_names(tmp_path, text, message):
    path = _config(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert info.value.message == message.format(path=path)


def test_profiles_of_your_own_survive_a_save(tmp_path):
    settings = Settings()
    settings.agent.profiles["reviewer"] = AgentProfile("reviewer", ["pages", "propose"])
    settings.agent.profile = "reviewer"
    path = save_settings(settings, tmp_path / "config.toml")
    again = load_settings(path)
    assert again.agent.profiles == settings.agent.profiles
    assert again.agent.profile == "reviewer"
    assert "[agent.profiles.reviewer]" in path.read_text(encoding="utf-8")


def test_the_command_line_picks_a_profile_of_your_own_and_names_them_all_for_a_wrong_one(
    isolated_home, monkeypatch, capsys
):
    from workbench.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '[agent.profiles.outline]\ngroups = ["pages"]\n', encoding="utf-8"
    )  # reading pages only: no search, no listing of spaces
    assert main(["agent", "--tools-json", "--agent-profile", "outline"]) == 0
    names = {t["function"]["name"] for t in json.loads(capsys.readouterr().out)}
    assert names == PAGE_READERS
    assert main(["mcp", "--tools-json", "--agent-profile", "outline"]) == 0
    names = {t["name"] for t in json.loads(capsys.readouterr().out)}
    assert names == PAGE_READERS  # no get_proposal: it may not propose
    for command in (
        ["agent", "1", "do it"],
        ["mcp"],
        ["agent", "--tools-json"],
        ["mcp", "--tools-json"],
    ):
        assert main([*command, "--agent-profile", "admin"]) == 2
        err = capsys.readouterr().err
        assert (
            "Unknown agent profile 'admin'. Choose one of: search-only, read-only, propose, outline."
            in err
        ), command
        assert "Traceback" not in err


def test_the_help_names_the_built_in_profiles(capsys):
    for command in ("agent", "mcp"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = "".join(capsys.readouterr().out.split())  # argparse wraps at any hyphen
        assert "search-only,read-only,proposeoroneof[agent.profiles]" in out
