"""``workbench cat`` and ``push`` with blog posts: by the blog post's URL (it says what it is) and by a
bare id (tried as a page, then as a blog post: ids are shared by every kind of content)."""

from __future__ import annotations

import json

from tests.cli.helpers import run, use_site
from workbench.confluence.page_ref import parse_page_ref


def ident(server, title: str) -> str:
    row = server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))
    assert row is not None
    return str(row["id"])


def test_a_blog_post_url_is_understood():
    ref = parse_page_ref(
        "https://acme.atlassian.net/wiki/spaces/ENG/blog/2026/01/05/4456449/Release+2.0"
    )
    assert (ref.page_id, ref.kind) == ("4456449", "blogpost")
    assert parse_page_ref("https://acme.atlassian.net/wiki/spaces/ENG/pages/1/T").kind == "page"
    assert parse_page_ref("123").kind is None


def test_cat_and_push_a_blog_post(demo_server, capsys, monkeypatch, tmp_path):
    use_site(monkeypatch, demo_server.base_url)
    post = ident(demo_server, "Postmortem digest: November")
    code, out, err = run(capsys, "cat", post, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["type"] == "blogpost" and data["title"] == "Postmortem digest: November"
    url = data["url"]
    assert "/blog/" in url
    demo_server.requests.clear()
    code, out, err = run(capsys, "cat", url, "--format", "md")
    assert code == 0 and "Two incidents this month" in out
    assert [e.path for e in demo_server.requests.entries(path_prefix="/wiki/api/v2/")] == [
        f"/wiki/api/v2/blogposts/{post}"
    ]  # the URL said blog post: no page lookup first
    edited = tmp_path / "post.md"
    edited.write_text(out.rstrip("\n") + "\n\nBoth have follow-up actions.\n", encoding="utf-8")
    code, out, err = run(capsys, "push", url, str(edited), "--base-version", "1")
    assert code == 0, err
    row = demo_server.store.get_page(post)
    assert row["type"] == "blogpost" and row["version"] == 2 and "follow-up actions" in row["body"]
    code, _, err = run(capsys, "cat", "987654321", "--format", "storage")
    assert code == 5 and "nor a blog post" in err
