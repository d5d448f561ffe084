"""Snapshots of the agent panel: no model configured, and a proposal under review with one hunk
accepted and one rejected (dark and light, and at 80×24). Sync tests: ``snap_compare`` runs the app."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.tui.helpers import wait_until
from workbench.agent.model import ModelConfig
from workbench.agent.proposals import Proposal
from workbench.tui.agent.review import ProposalReview

from .harness import PanelHarness

BEFORE = """# Runbook

Deploys happen on Tuesdays.

> [!NOTE]
> Ask in #ops before you start.

## Steps

Run the deploy script from the release branch.

```bash
./deploy.sh --prod --wait
```

Watch the dashboards for ten minutes.

## Rollback

Revert the release commit and deploy again.

Status: ⟦status Yellow: DRAFT⟧
"""
AFTER = BEFORE.replace("from the release branch.", "from the tagged release.").replace(
    "and deploy again.", "then deploy the previous tag."
)
MODEL = ModelConfig(base_url="http://127.0.0.1:9/v1", model="llama3.1")


def _proposal() -> Proposal:
    return Proposal(
        kind="edit",
        summary="Deploy from tags",
        before=BEFORE,
        after=AFTER,
        page_id="65539",
        title="Runbook",
        space_key="ENG",
        base_version=4,
        id=1,
    )


def _reviewing(theme: str):
    async def run_before(pilot) -> None:
        pilot.app.theme = theme
        app = pilot.app
        app.panel.show_proposal(_proposal())
        # the review takes the focus after a refresh: keys pressed before went to the prompt
        await wait_until(app, pilot, lambda: isinstance(app.focused, ProposalReview))
        await pilot.press("y", "n")
        await pilot.pause()

    return run_before


async def _prompt_steady(pilot) -> None:
    """The prompt focused, its cursor shown without blinking: a screenshot taken in the blink's
    "off" half had no cursor (more often the busier the machine)."""
    app = pilot.app
    prompt = app.panel.query_one(Input)
    await wait_until(app, pilot, lambda: prompt.has_focus)
    prompt.cursor_blink = False


def test_no_model_configured(snap_compare):
    assert snap_compare(
        PanelHarness(model=None), terminal_size=(120, 36), run_before=_prompt_steady
    )


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_review_with_a_rejected_hunk(snap_compare, theme):
    assert snap_compare(
        PanelHarness(model=MODEL), terminal_size=(120, 40), run_before=_reviewing(theme)
    )


def test_review_small_terminal(snap_compare):
    assert snap_compare(
        PanelHarness(model=MODEL), terminal_size=(80, 24), run_before=_reviewing("textual-dark")
    )
