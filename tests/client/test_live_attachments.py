"""The attachment methods of the client against the local Confluence over loopback HTTP: lists
with paging, uploads (new file, new version) with progress, streamed atomic downloads, delete to the
trash, Data Center's paths, and the exactly-once rule under ``--fault-rate``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.confluence.errors import BadRequest, NotFound
from workbench.errors import UsageError

from .helpers import WaitLog, client_for

POSTMORTEM = "Incident postmortem: 2026-09-14 checkout outage"


def page_of(server, title: str) -> str:
    return str(server.store.scalar("SELECT id FROM pages WHERE title = ?", (title,)))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


async def test_lists_every_attachment_across_pages_of_results(local_confluence):
    server = local_confluence("demo")
    page = page_of(server, "Runbooks")
    for n in range(260):  # more than one page of 250
        server.store.add_attachment(
            page, f"file-{n:03}.txt", server.store.save_bytes(b"%d" % n), media_type="text/plain"
        )
    async with client_for(server) as client:
        listed = await client.list_attachments(page)
        assert [a.title for a in listed] == [f"file-{n:03}.txt" for n in range(260)]
        assert all(a.id.startswith("att") and a.container_id == page for a in listed)
        found = await client.find_attachment(page, "file-007.txt")
        assert found is not None and found.size == 1
        assert await client.find_attachment(page, "nope.txt") is None
        with pytest.raises(NotFound):
            await client.list_attachments("99999999")


async def test_demo_image_metadata_and_a_streamed_download(local_confluence, tmp_path):
    server = local_confluence("demo")
    page = page_of(server, POSTMORTEM)
    async with client_for(server) as client:
        items = {a.title: a for a in await client.list_attachments(page)}
        chart = items["checkout-errors.png"]
        assert chart.is_image and chart.version == 2 and chart.comment == "rollback marked"
        assert chart.author_id and chart.modified_at.endswith("Z")
        seen: list[tuple[int, int]] = []
        out = await client.download_attachment(
            chart, tmp_path / "chart.png", progress=lambda d, t: seen.append((d, t))
        )
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) == chart.size
    assert seen[-1] == (chart.size, chart.size)
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]  # no temporary file left


async def test_upload_new_then_new_version_with_progress_and_download_round_trip(
    local_confluence, tmp_path
):
    server = local_confluence("demo")
    page = page_of(server, "Runbooks")
    big = os.urandom(3 * 1024 * 1024 + 17)
    source = write(tmp_path / "capture.bin", big)
    async with client_for(server) as client:
        progress: list[tuple[int, int]] = []
        first = await client.upload_attachment(
            page, source, comment="première capture", progress=lambda d, t: progress.append((d, t))
        )
        assert first.version == 1 and first.size == len(big) and first.comment == "première capture"
        assert progress[-1] == (len(big), len(big)) and len(progress) > 10
        assert [d for d, _ in progress] == sorted(d for d, _ in progress)
        write(source, b"second")
        second = await client.upload_attachment(page, source, minor_edit=True)
        assert second.id == first.id and second.version == 2 and second.size == 6
        with pytest.raises(BadRequest, match="already has an attachment"):
            await client.upload_attachment(page, source, new_version=False)
        renamed = await client.upload_attachment(page, source, name="capture (2).bin")
        assert renamed.id != first.id and renamed.version == 1
        target = tmp_path / "out" / "capture.bin"
        await client.download_attachment(second, target)
        assert target.read_bytes() == b"second"
        assert await client.same_bytes(second, source)
        assert not await client.same_bytes(second, write(tmp_path / "other", b"secont"))
        with pytest.raises(UsageError):
            await client.upload_attachment(page, tmp_path / "missing.bin")
    versions = server.store.attachment_versions(first.id)
    assert [v["version"] for v in versions] == [2, 1]
    assert [v["minor_edit"] for v in versions] == [1, 0]


async def test_a_failed_download_keeps_the_old_file(local_confluence, tmp_path):
    server = local_confluence("demo")
    page = page_of(server, "Runbooks")
    async with client_for(server) as client:
        made = await client.upload_attachment(page, write(tmp_path / "a.txt", b"new bytes"))
        target = write(tmp_path / "keep.txt", b"old bytes")
        await client.delete_attachment(made)
        with pytest.raises(NotFound):
            await client.download_attachment(made, target)
    assert target.read_bytes() == b"old bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "keep.txt"]


async def test_delete_moves_it_to_the_trash(local_confluence, tmp_path):
    server = local_confluence("demo")
    page = page_of(server, "Runbooks")
    async with client_for(server) as client:
        made = await client.upload_attachment(page, write(tmp_path / "gone.txt", b"x"))
        await client.delete_attachment(made)
        assert await client.find_attachment(page, "gone.txt") is None
        with pytest.raises(NotFound):
            await client.delete_attachment(made)
    assert server.store.attachment(made.id, trashed=True)["status"] == "trashed"


async def test_data_center_lists_uploads_versions_downloads_and_deletes(local_confluence, tmp_path):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    page = page_of(server, "Runbooks")
    source = write(tmp_path / "dc.txt", b"one")
    async with client_for(server, kind="dc", auth=("demo", "demo-password")) as client:
        first = await client.upload_attachment(page, source, comment="c")
        write(source, b"two!")
        second = await client.upload_attachment(page, source)
        assert (second.id, second.version, second.author_name) == (first.id, 2, "Demo User")
        (listed,) = await client.list_attachments(page)
        assert listed.download.startswith(f"/download/attachments/{page}/dc.txt")
        await client.download_attachment(listed, tmp_path / "back.txt")
        assert (tmp_path / "back.txt").read_bytes() == b"two!"
        await client.delete_attachment(listed)
        assert await client.list_attachments(page) == []


async def test_uploads_land_exactly_once_under_faults(local_confluence, tmp_path):
    server = local_confluence("demo", fault_rate=0.3, fault_seed=7)
    page = page_of(server, "Runbooks")
    log = WaitLog(cap=0.01)
    plan = {f"f{n}.txt": [] for n in range(4)}
    async with client_for(server, log=log) as client:
        for round_ in range(4):
            for name in plan:
                data = f"{name} round {round_}".encode()
                source = write(tmp_path / name, data)
                made = await client.upload_attachment(page, source, comment=f"r{round_}")
                assert made.version == round_ + 1 and made.title == name
                plan[name].append(data)
    chaos = server.state.extras["chaos"]
    assert chaos.counts["lost"] > 0 and chaos.counts["503"] + chaos.counts["reset"] > 0
    for name, uploads in plan.items():
        (row,) = server.store.list_attachments(page, filename=name)
        versions = server.store.attachment_versions(row["id"])
        assert [v["comment"] for v in reversed(versions)] == [f"r{r}" for r in range(4)]
        assert server.store.blob_path(row["sha256"]).read_bytes() == uploads[-1]


async def test_downloads_share_the_clients_pacing_under_a_rate_limit(local_confluence, tmp_path):
    """Downloads stream outside the retry transport (it reads answers whole), but they go through
    its pacer: a 429 on any of them pauses them all (and every other request of the client), the
    window narrows, and they are counted with the client's requests."""
    import asyncio

    server = local_confluence("demo", rate_limit=10)
    page = page_of(server, POSTMORTEM)
    log = WaitLog()
    async with client_for(
        server, log=log, backoff_base=0.2, max_wait=5.0, near_limit_interval=0
    ) as client:
        chart = {a.title: a for a in await client.list_attachments(page)}["checkout-errors.png"]
        sent = client.request_count
        results = await asyncio.gather(
            *(client.download_attachment(chart, tmp_path / f"c{n}.png") for n in range(40)),
            return_exceptions=True,
        )
        counted = client.request_count - sent
    failures = [r for r in results if isinstance(r, BaseException)]
    refused = server.state.extras["chaos"].counts["429"]
    assert failures == [], failures[:2]
    assert all((tmp_path / f"c{n}.png").stat().st_size == chart.size for n in range(40))
    assert counted >= 40  # each download is one of the client's requests (more after a 429)
    assert refused < 20, refused  # far fewer refusals than downloads: they waited together
    assert any("rate limited" in reason for _, reason in log.waits)
