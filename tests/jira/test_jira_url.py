"""A profile's ``jira_url``: Jira on another host than Confluence (Data Center). A wrong value is
refused with a message that names the setting, the file and what is wrong; a right one sends the
site's login there — for ``workbench jira``, the agent's Jira tools and applying a Jira proposal."""

from __future__ import annotations

import httpx
import pytest

from tests.cli.helpers import run
from workbench.agent.apply_jira import jira_for
from workbench.auth import store
from workbench.auth.jira_connect import jira_url_for
from workbench.config import load_settings
from workbench.confluence.client import ConfluenceClient
from workbench.errors import ConfigError


def write_config(tmp_path, monkeypatch, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(path))
    return path


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("jira.example.com", "it is not an http:// or https:// address with a host"),
        ("https://me:secret@jira.example.com", "it holds a login"),
        ("https://jira.example.com/rest/api/2", "it names the REST API"),
        ("https://jira.example.com:99999", "its port is not a number from 1 to 65535"),
        ("https://jira.example.com/?os_authType=basic", "it has a ? query or a # fragment"),
    ],
)
def test_a_wrong_jira_url_is_refused_plainly(tmp_path, monkeypatch, value, why):
    path = write_config(
        tmp_path,
        monkeypatch,
        f'[profiles.dc]\nurl = "https://wiki.example.com"\nauth = "pat"\njira_url = "{value}"\n',
    )
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    message = info.value.message
    assert message.startswith(f"'jira_url' in [profiles.dc] of the config file {path} must be")
    assert "like https://jira.example.com or https://example.com/jira" in message
    assert why in message
    assert "me:secret" not in message  # a password is never repeated back


def test_a_wrong_jira_url_environment_variable_is_refused_plainly(monkeypatch, capsys):
    monkeypatch.setenv("JIRA_URL", "ftp://jira.example.com")
    monkeypatch.setenv("CONFLUENCE_URL", "http://127.0.0.1:9/wiki")
    monkeypatch.setenv("CONFLUENCE_PERSONAL_TOKEN", "x")
    code, out, err = run(capsys, "jira", "search", "project = ENG")
    assert code != 0 and out == ""
    assert "The JIRA_URL environment variable must be Jira's base address" in err


def test_jira_url_sends_the_login_to_jira_on_another_host(
    local_confluence, tmp_path, monkeypatch, capsys
):
    wiki = local_confluence(flavour="dc", context_path="/confluence")
    wiki.state.extras["jira"] = False  # no Jira beside this Confluence
    jira = local_confluence(flavour="dc", context_path="/confluence")
    jira_root = jira.base_url.removesuffix("/confluence")
    path = write_config(
        tmp_path,
        monkeypatch,
        f'[profiles.dc]\nurl = "{wiki.base_url}"\nauth = "pat"\nkind = "dc"\n'
        f'jira_url = "{jira_root}/"\n',
    )
    store.save_token("dc", "demo-token")
    assert load_settings(path).profiles["dc"].jira_url == jira_root  # without the slash
    code, out, err = run(capsys, "--profile", "dc", "jira", "search", "project = PAY ORDER BY key")
    assert code == 0, err
    assert out.splitlines()[1].split()[0] == "PAY-1311"
    assert jira.requests.entries(path_prefix="/rest/api/2/search")
    assert not wiki.requests.entries(path_prefix="/rest/api/")
    assert jira_url_for(wiki.base_url) == jira_root


async def test_the_agent_reaches_jira_at_the_profiles_jira_url(
    local_confluence, tmp_path, monkeypatch
):
    from workbench.auth.connect import BearerAuth

    wiki = local_confluence(flavour="dc", context_path="/confluence")
    jira = local_confluence(flavour="dc", context_path="/confluence")
    jira_root = jira.base_url.removesuffix("/confluence")
    write_config(
        tmp_path,
        monkeypatch,
        f'[profiles.dc]\nurl = "{wiki.base_url}"\nauth = "pat"\nkind = "dc"\njira_url = "{jira_root}"\n',
    )
    async with ConfluenceClient(wiki.base_url, auth=BearerAuth("demo-token"), kind="dc") as client:
        found = jira_for(client)
        assert found.root == jira_root and found._http is client._http
        issue = await found.issue("PAY-1311")
    assert issue.summary == "Webhook retries used the wrong backoff"
    assert jira.requests.entries(path_prefix="/rest/api/2/issue/PAY-1311")


def test_without_jira_url_jira_is_beside_confluence(demo_server):
    client = ConfluenceClient(demo_server.base_url, auth=httpx.BasicAuth("a", "b"))
    assert jira_for(client).root == demo_server.base_url.removesuffix("/wiki")
