"""A real long-task answer (Confluence Cloud, ``GET /wiki/rest/api/longtask/{id}``) read by the copy
of a page tree: the recording predates the spec's required ``finished`` member, so a task is also
finished when it says ``percentageComplete: 100`` (see SOURCES.md)."""

from __future__ import annotations

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.lifecycle_copy import CopyItem, CopyPlan
from workbench.confluence.models import Page, Version

from .replay import Answer, Replay, recorded


def _page(page_id: str, title: str) -> Page:
    return Page(id=page_id, title=title, space_id="98306", version=Version(number=3))


async def test_a_recorded_finished_long_task_ends_the_tree_copy():
    task = recorded("confluenceps__cloud_longtask_finished.json")
    started = '{"id": "885174", "links": {"status": "/rest/api/longtask/885174"}}'
    routes = {
        ("POST", "/wiki/rest/api/content/100/pagehierarchy/copy"): Answer(202, started),
        ("GET", "/wiki/rest/api/longtask/885174"): Answer(200, task),
        ("GET", "/wiki/api/v2/pages"): Answer(200, '{"results": [], "_links": {}}'),
    }
    plan = CopyPlan(
        source=_page("100", "Runbooks"),
        parent=_page("200", "Archive"),
        items=(
            CopyItem("100", "Runbooks", "2027 Runbooks", 0),
            CopyItem("101", "Failover", "2027 Failover", 1),
        ),
        tree=True,
        prefix="2027 ",
    )
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    with Replay(routes) as site:
        async with ConfluenceClient(site.origin + "/wiki", backoff_base=0) as client:
            result = await client.copy(plan, sleep=sleep)
    polls = [s for s in site.seen if s.path.endswith("/longtask/885174")]
    assert len(polls) == 1 and not slept  # read as finished on the first poll
    assert result.created == 2 and result.title == "2027 Runbooks"
    posted = [s for s in site.seen if s.method == "POST"]
    assert [s.path for s in posted] == ["/wiki/rest/api/content/100/pagehierarchy/copy"]
