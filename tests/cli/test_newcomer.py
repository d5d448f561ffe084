"""What a newcomer runs into on the command line, each found by using it, against real servers.

Plain words as a search, a storage or JSON file pushed as Markdown, a base version that does not
exist yet, a base URL that is not Confluence's (a 404 on an API endpoint, JSON of another shape,
an HTML page with status 200). Every failure is one or two sentences, a non-zero exit, no traceback.
"""

from __future__ import annotations

import http.server
import json
import threading

import pytest

from workbench.services.search import to_cql

from .helpers import run, use_site


def plain_words_query(typed: str) -> str | None:
    """What ``workbench search`` (and the TUI's bar: the same rule) searches for plain words, else None."""
    check = to_cql(typed)
    return check.cql if check.plain else None


@pytest.fixture
def site(local_confluence, monkeypatch):
    server = local_confluence("demo")
    use_site(monkeypatch, server.base_url)
    return server


def one_message(err: str) -> str:
    """The error line; asserts it is a single ``workbench:`` line of at most two sentences."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: "), err
    assert "Traceback" not in err and lines[0].count(". ") <= 2, err
    return lines[0]


def page_titled(server, title: str) -> dict:
    page_id = server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))["id"]
    page = server.store.get_page(page_id)
    return {**page, "id": str(page["id"])}


# -- search ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed, cql",
    [
        ("release", 'text ~ "release"'),
        ("release notes", 'text ~ "release notes"'),
        ('"release notes"', 'text ~ "\\"release notes\\""'),
        ("don't panic", 'text ~ "don\'t panic"'),
        ("how do I deploy?", 'text ~ "how do I deploy?"'),
        ('deploy "blue green"', 'text ~ "deploy \\"blue green\\""'),  # a phrase among words
        ('titl "x"', 'text ~ "titl \\"x\\""'),  # no operator: words, not a broken clause
    ],
)
def test_plain_words_become_a_text_search(typed, cql):
    assert plain_words_query(typed) == cql


@pytest.mark.parametrize(
    "typed",
    [
        "type = page",
        'title ~ "x"',
        "space = ~demo",
        "~demo",
        "space in (ENG",
        "space in ENG",
        "type = page and",
        "order by title",
        "",
        "  ",
        "label release",
        "watcher = currentUser()",
    ],
)
def test_cql_and_attempts_at_it_stay_as_typed(typed):
    assert plain_words_query(typed) is None


def test_search_with_plain_words_says_what_it_ran(site, capsys):
    code, out, err = run(capsys, "search", "release", "notes", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["cql"] == 'text ~ "release notes"'
    assert "Release notes" in [r["title"] for r in data["results"]]
    assert err.strip() == (
        'workbench: searching text ~ "release notes" (plain words are searched as text; '
        "use CQL for more)."
    )


def test_a_personal_space_key_must_be_quoted(site, capsys):
    code, out, err = run(capsys, "search", "space = ~demo")
    assert code == 2 and out == "" and '"~jsmith"' in one_message(err)
    code, out, _ = run(capsys, "search", 'space = "~demo"')
    assert code == 0 and "Notes to self" in out


# -- push -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "content, says",
    [
        (
            '<p>Edited in the storage format</p><ac:structured-macro ac:name="toc"/>',
            "looks like storage XHTML",
        ),
        ("<?xml version='1.0'?>\n<p>x</p>", "looks like storage XHTML"),
        ('{\n  "id": "1",\n  "storage": "<p>x</p>"\n}\n', "looks like a page's JSON"),
        ("# Title\n\x00\x01binary", "is a binary file"),
        ("\n  \n", "is empty, so nothing was sent: pushing it would blank the page"),
    ],
)
def test_push_refuses_what_is_not_markdown(site, capsys, tmp_path, content, says):
    page = page_titled(site, "Release notes")
    file = tmp_path / "page.md"
    file.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "push", page["id"], str(file), "--base-version", "1")
    message = one_message(err)
    assert code == 2 and out == "" and says in message and "nothing was sent" in message
    assert site.store.get_page(int(page["id"]))["version"] == page["version"] == 1


def test_push_refuses_storage_on_standard_input(site, capsys, monkeypatch):
    import io

    page = page_titled(site, "Release notes")
    monkeypatch.setattr("sys.stdin", io.StringIO("<p>from a pipe</p>"))
    code, _, err = run(capsys, "push", page["id"], "-", "--base-version", "1")
    assert code == 2 and "standard input looks like storage XHTML" in one_message(err)


def test_markdown_that_mentions_tags_is_pushed(site, capsys, tmp_path):
    page = page_titled(site, "Release notes")
    file = tmp_path / "page.md"
    file.write_text("Use `<p>` for paragraphs.\n\n<not a tag at the start>\n", encoding="utf-8")
    code, out, err = run(capsys, "push", page["id"], str(file), "--base-version", "1")
    assert code == 0 and "as version 2" in out, err


def test_push_with_a_base_version_from_the_future(site, capsys, tmp_path):
    page = page_titled(site, "Release notes")
    file = tmp_path / "page.md"
    file.write_text("New text.\n", encoding="utf-8")
    code, out, err = run(capsys, "push", page["id"], str(file), "--base-version", "9")
    assert code == 2 and out == ""
    assert one_message(err) == (
        f"workbench: Page {page['id']} has no version 9 (it is at version 1); nothing was sent. "
        "Pass the version 'workbench cat' printed as --base-version."
    )
    code, _, err = run(capsys, "push", "99999999", str(file), "--base-version", "9")
    assert code == 5 and "Page 99999999 was not found" in one_message(err)


# -- a base URL that is not Confluence's ----------------------------------------------------------
def test_a_base_url_without_the_api_says_so(site, capsys, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_URL", site.origin + "/nothere/wiki")
    code, out, err = run(capsys, "spaces")
    assert code == 5 and out == ""
    assert one_message(err) == (
        f"workbench: No Confluence REST API answered at {site.origin}/nothere/wiki/rest/api. Check the site URL: "
        "on Cloud https://SITE.atlassian.net/wiki; on Data Center the address you open in the browser, with any "
        "context path (e.g. https://confluence.example.com/confluence)."
    )
    code, _, err = run(capsys, "search", "type = page")
    assert (
        code == 5
        and f"No Confluence REST API answered at {site.origin}/nothere/wiki/rest/api"
        in one_message(err)
    )


class _Impostor(http.server.BaseHTTPRequestHandler):
    """Answers every request with the same body: a server that is not Confluence."""

    body = b"{}"
    content_type = "application/json"

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.send_response(200)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def impostor(monkeypatch):
    servers = []

    def start(body: bytes, content_type: str = "application/json") -> str:
        handler = type("Handler", (_Impostor,), {"body": body, "content_type": content_type})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        url = f"http://127.0.0.1:{server.server_address[1]}/wiki"
        use_site(monkeypatch, url)
        # said, not asked of the server: these tests are about how the client takes each answer
        monkeypatch.setenv("CONFLUENCE_FLAVOUR", "cloud")
        return url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "argv, says",
    [
        (("spaces",), "The server's answer for spaces has no list of results"),
        (("search", "type = page"), "The server's answer to the search is not Confluence's"),
        (("cat", "5"), "The server's answer for page 5 is not a Confluence page"),
    ],
)
def test_json_of_another_shape_is_not_taken_for_an_empty_site(impostor, capsys, argv, says):
    impostor(b'{"results": "nope", "id": 5}')
    code, out, err = run(capsys, *argv)
    message = one_message(err)
    assert code == 1 and out == "" and says in message and "base URL" in message
    assert "demo-token" not in message


@pytest.mark.parametrize("argv", [("spaces",), ("search", "type = page"), ("cat", "5")])
def test_an_html_page_with_status_200(impostor, capsys, argv):
    impostor(b"<!DOCTYPE html><html><body>Please log in</body></html>", "text/html")
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert one_message(err) == (
        "workbench: The server answered with an HTML page instead of JSON (status 200). "
        "Is the URL the Confluence base URL (ending in /wiki on Cloud)?"
    )


def test_cat_of_a_version_that_does_not_exist_yet(site, capsys):
    page = page_titled(site, "Release notes")
    code, out, err = run(capsys, "cat", page["id"], "--version", "7")
    assert code == 2 and out == ""
    assert (
        one_message(err) == f"workbench: Page {page['id']} has no version 7 (it is at version 1)."
    )
