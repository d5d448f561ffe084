"""D7 and D12: the OAuth loopback listener after a login, and a hostile ``error_description``.

D7: the listener closes each callback connection itself, which leaves TIME-WAIT sockets on its port;
without SO_REUSEADDR the next ``workbench login`` failed with "port already in use" for about 60 s.
A port another program really listens on must still be refused.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import pytest

from tests.auth.test_auth_loopback import STATE, get
from workbench.auth.errors import LoginFailed
from workbench.auth.loopback import LoopbackListener


def _time_wait_sockets(port: int) -> int:
    """TIME-WAIT TCP sockets whose local port is ``port`` (Linux /proc), or -1 when unknown."""
    table = Path("/proc/net/tcp")
    if not table.exists():
        return -1
    count = 0
    for line in table.read_text().splitlines()[1:]:
        fields = line.split()
        local, state = fields[1], fields[3]
        if int(local.rsplit(":", 1)[1], 16) == port and state == "06":
            count += 1
    return count


async def test_login_again_at_once_on_the_same_port():
    async with LoopbackListener(state=STATE, port=0) as first:
        port = first.port
        for _ in range(3):  # the browser's stray requests (favicon …) and the callback itself
            await get(port, "", path="/favicon.ico")
        answer = asyncio.ensure_future(get(port, f"code=c1&state={STATE}"))
        assert (await first.wait(5)).code == "c1"
        first.finish(True, "Login worked", "")
        await answer
    if sys.platform.startswith("linux"):
        assert _time_wait_sockets(port) > 0  # the situation of the report: the port is in TIME-WAIT
    async with LoopbackListener(state=STATE, port=port) as second:  # no "port already in use"
        answer = asyncio.ensure_future(get(port, f"code=c2&state={STATE}"))
        assert (await second.wait(5)).code == "c2"
        second.finish(True, "Login worked", "")
        await answer


@pytest.mark.parametrize("reuse", [False, True], ids=["plain", "with-SO_REUSEADDR"])
async def test_a_port_another_program_listens_on_is_still_refused(reuse):
    busy = socket.socket()
    if reuse:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    try:
        with pytest.raises(LoginFailed, match="already in use"):
            async with LoopbackListener(state=STATE, port=busy.getsockname()[1]):
                pass
    finally:
        busy.close()


async def test_error_description_with_escape_sequences_is_shown_as_text():
    hostile = (
        "bad%1B%5D0%3BPWNED-TITLE%07%1B%5B31mRED%E2%80%AE"  # ESC ] 0;PWNED BEL ESC [31m RED U+202E
    )
    async with LoopbackListener(state=STATE, port=0) as listener:
        page = await get(
            listener.port, f"error=server_error&error_description={hostile}&state={STATE}"
        )
        with pytest.raises(LoginFailed) as info:
            await listener.wait(5)
    message = info.value.message
    assert "\x1b" not in message and "\x07" not in message and "\u202e" not in message
    assert "bad␛]0;PWNED-TITLE␇␛[31mRED<U+202E>" in message
    assert "\x1b" not in page.text
