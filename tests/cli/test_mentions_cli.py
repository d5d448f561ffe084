"""``workbench cat`` shows mentioned people by name and ``workbench push`` maps the names back to ids."""

from __future__ import annotations

import pytest

from .helpers import run, use_site

PRIYA = "557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31"  # demo users, in every seed
MARCUS = "712020:0b9d8e2c-47a1-4f3e-b6c2-91e5d7a4f208"
TWIN = "557058:twin-of-priya"
GHOST = "557058:left-the-company"


def mention(account_id: str) -> str:
    return f'<ac:link><ri:user ri:account-id="{account_id}" /></ac:link>'


BODY = (
    f"<p>Owner: {mention(PRIYA)}; backup: {mention(MARCUS)}.</p>"
    f"<p>Former owner: {mention(GHOST)}.</p>"
    "<p>Review every quarter.</p>"
)


@pytest.fixture
def site(local_confluence, monkeypatch):
    server = local_confluence("empty")
    space = server.store.create_space("OPS", "Operations")
    server.page_id = str(server.store.create_page(space["id"], "Ownership", BODY)["id"])
    use_site(monkeypatch, server.base_url)
    return server


def test_cat_shows_names_and_push_maps_them_back(site, capsys, tmp_path):
    site.requests.clear()
    code, markdown, err = run(capsys, "cat", site.page_id)
    assert code == 0, err
    assert markdown.startswith("Owner: ⟦@Priya Raman⟧; backup: ⟦@Marcus Oyelaran⟧.\n")
    assert f"Former owner: ⟦@{GHOST}⟧." in markdown  # the server has no name for it: the id form
    assert len(site.requests.entries(method="POST", path_prefix="/wiki/api/v2/users-bulk")) == 1

    file = tmp_path / "page.md"
    file.write_text(markdown.replace("every quarter", "every month"), encoding="utf-8")
    code, out, err = run(capsys, "push", site.page_id, str(file), "--base-version", "1")
    assert code == 0, err
    assert site.store.get_page(site.page_id)["body"] == BODY.replace("every quarter", "every month")

    file.write_text(markdown, encoding="utf-8")  # version 1's text on top of version 2: a revert
    code, out, err = run(capsys, "push", site.page_id, str(file), "--base-version", "2")
    assert code == 0 and "as version 3" in out, err
    assert site.store.get_page(site.page_id)["body"] == BODY


def test_push_refuses_a_name_nobody_has(site, capsys, tmp_path):
    _, markdown, _ = run(capsys, "cat", site.page_id)
    file = tmp_path / "page.md"
    file.write_text(
        markdown.replace("Review every quarter.", "Review with ⟦@Nobody Known⟧."), encoding="utf-8"
    )
    code, out, err = run(capsys, "push", site.page_id, str(file), "--base-version", "1")
    assert code == 2 and "⟦@Nobody Known⟧ names nobody" in err and "nothing was sent" in err
    assert "Traceback" not in err
    assert site.store.get_page(site.page_id)["version"] == 1


def test_two_people_with_one_name_keep_the_id_form(site, capsys, tmp_path):
    site.store.add_user(TWIN, "Priya Raman")
    space_id = site.store.get_page(site.page_id)["space_id"]
    twins = str(
        site.store.create_page(space_id, "Twins", f"<p>{mention(PRIYA)} and {mention(TWIN)}</p>")[
            "id"
        ]
    )
    code, markdown, _ = run(capsys, "cat", twins)
    assert markdown == f"⟦@{PRIYA}⟧ and ⟦@{TWIN}⟧\n"
    file = tmp_path / "twins.md"
    file.write_text(markdown.replace("\n", ", thanks\n"), encoding="utf-8")
    code, _, err = run(capsys, "push", twins, str(file), "--base-version", "1")
    assert code == 0, err
    assert (
        site.store.get_page(twins)["body"] == f"<p>{mention(PRIYA)} and {mention(TWIN)}, thanks</p>"
    )
