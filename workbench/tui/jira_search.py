"""JQL in the search bar: a query that starts with ``jql:`` is Jira's, not Confluence's.

- :func:`split_jql`: the JQL part of what the bar holds (and where it starts), or None for CQL;
- :func:`highlight_jql`: its colours, from the same tokenizer kinds and theme styles as CQL
  (:func:`workbench.jira.jql.tokenize`, which shares CQL's lexer and parser base);
- :func:`check_jql`: the line under the bar — a syntax error (✗, not sent: an unterminated string,
  a bad operator, a missing parenthesis, with its position) or a doubt (⚠, sent: a field or function
  this subset does not know may be one of the site's custom fields; Jira decides);
- :func:`run_jql`: the search (one ``/search/jql`` request, up to :data:`LIMIT` issues) shown in the
  results pane — key, summary, status, assignee; ``enter`` on one opens the issue view;
- :func:`search_again`: after an action taken in the issue view (transition, comment, assignment),
  the results shown are searched again — an issue that no longer matches leaves them, a changed one
  is drawn anew; when that search fails the rows stay and the line above them says so.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets.option_list import Option

from workbench.errors import WorkbenchError
from workbench.textsafe import printable
from workbench.tui.theme import jira_status_style

if TYPE_CHECKING:
    from collections.abc import Mapping

    from workbench.jira.models import IssueSummary
    from workbench.tui.panes.results import ResultsPane

PREFIX = "jql:"
LIMIT = 50
#: the line under the bar while JQL is typed: what it is and what enter does
JQL_HINT = (
    "enter searches Jira · project, key, status, assignee, type, priority, labels, summary, text…"
)
_PREFIX = re.compile(r"\s*jql:\s*", re.I)
_JIRA_WORDS = re.compile(r"^Error in the JQL Query: |\s*\(line 1, character \d+\)$")


def split_jql(text: str) -> tuple[int, str] | None:
    """``(offset, jql)`` when ``text`` is a JQL query (``jql:`` first), else None."""
    match = _PREFIX.match(text)
    return (match.end(), text[match.end() :]) if match else None


def highlight_jql(text: Text, start: int, styles: Mapping[str, str]) -> None:
    """Colour the bar's ``jql:`` prefix as a keyword and the query after it as JQL."""
    # lazy, for start-up: workbench.jira.jql loads on first use
    from workbench.jira.jql import tokenize

    if styles.get("keyword"):
        text.stylize(styles["keyword"], 0, text.plain.index(":") + 1)
    for tok in tokenize(text.plain[start:]):
        style = styles.get(tok.kind)
        if style:
            text.stylize(style, start + tok.start, start + tok.end)


def check_jql(jql: str, offset: int) -> tuple[str, int | None, bool] | None:
    """What to say under the bar about ``jql`` (at ``offset`` in the bar): ``(message, position,
    warning)``, or None when this subset parses it. A warning does not stop the search."""
    # lazy, for start-up: workbench.jira.jql loads on first use
    from workbench.jira.jql import check

    if not jql.strip():
        return (
            "Type a JQL query after jql:, e.g. jql: project = PAY AND status != Done",
            None,
            False,
        )
    problem = check(jql)
    if problem is None:
        return None
    words = _JIRA_WORDS.sub("", problem.message)
    where = offset + problem.at if problem.at is not None else None
    if problem.position is None:  # well-formed, but a name this subset does not know: Jira decides
        return f"{words} Sent as typed: Jira decides.", where, True
    return words, where, False


def issue_prompt(issue: IssueSummary, variables: Mapping[str, str]) -> Text:
    """One JQL result: key, status lozenge, assignee, summary (all server text, printable)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(printable(issue.key), style="bold")
    text.append("  ")
    text.append(
        f" {printable(issue.status or 'no status').upper()} ",
        style=jira_status_style(variables, issue.status_category),
    )
    text.append(f"  {printable(issue.assignee or 'unassigned')}", style="dim")
    text.append(f"  {printable(' '.join(issue.summary.split()))}")
    return text


def run_jql(pane: ResultsPane, jql: str) -> None:
    """Search Jira with ``jql`` and show the issues in the results pane (a worker of the pane)."""
    pane.run_worker(_run(pane, jql), group="search", exclusive=True, exit_on_error=False)


def search_again(pane: ResultsPane, changed: str) -> None:
    """After an action on issue ``changed`` (the issue view's transition, comment, assignment): the
    JQL results the pane shows are searched again (one request), the same row highlighted when it
    still matches; the tab, the focus and the bar stay as they are. Nothing when the pane shows no
    JQL results."""
    if pane.source == "jira" and pane.jql:
        pane.run_worker(
            _run(pane, pane.jql, again_after=changed),
            group="search",
            exclusive=True,
            exit_on_error=False,
        )


def _summary(count: int, jql: str, note: str = "") -> Text:
    more = "+" if count >= LIMIT else ""
    noun = "issue" if count == 1 else "issues"
    return Text.assemble(
        (f"{count}{more} {noun}", "bold"),
        " for ",
        (printable(jql), "italic"),
        (" — from Jira (JQL) · enter opens an issue", "dim"),
        (f" · {printable(note)}" if note else "", "bold"),
    )


async def _run(pane: ResultsPane, jql: str, *, again_after: str = "") -> None:
    # lazy, for start-up: the Jira client loads on first use
    from workbench.confluence.errors import BadQuery
    from workbench.tui.jira_macros import jira_of

    ws = await pane.host.ready_workspace()
    listing = pane.listing
    highlighted = listing.highlighted
    was = (
        listing.get_option_at_index(highlighted).id
        if highlighted is not None and highlighted < listing.option_count
        else None
    )
    listing.loading = True
    try:
        issues = [issue async for issue in jira_of(ws).search(jql, limit=LIMIT)]
    except WorkbenchError as exc:
        if again_after:  # the rows stay; the line above them says they may be out of date
            note = f"not searched again after the change to {again_after}: {exc.message}"
            pane.summary.update(_summary(listing.option_count, jql, note))
        elif isinstance(exc, BadQuery):
            words = exc.message.removeprefix("Jira could not run that JQL: ")
            pane.post_message(pane.Refused(f"Jira: {words}"))
        else:
            pane.post_message(pane.Refused(f"Jira: {exc.message}"))
        return
    finally:
        listing.loading = False
    pane.results = []
    pane.source, pane.jql = "jira", jql
    listing.clear_options()
    variables = pane.app.theme_variables
    listing.add_options([Option(issue_prompt(i, variables), id=f"jira:{i.key}") for i in issues])
    pane.summary.update(_summary(len(issues), jql))
    ids = [f"jira:{i.key}" for i in issues]
    if again_after:  # the same row, where it still matches (else the one now in its place)
        if ids:
            listing.highlighted = (
                ids.index(was) if was in ids else min(highlighted or 0, len(ids) - 1)
            )
        return
    pane.host.show_tab("tab-results")
    if issues:
        listing.highlighted = 0
    listing.focus()
