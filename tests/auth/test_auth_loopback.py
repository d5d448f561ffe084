"""The one-shot loopback listener, over real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from workbench.auth.errors import LoginFailed
from workbench.auth.loopback import LoopbackListener

STATE = "s" * 32


async def get(port: int, query: str, path: str = "/callback") -> httpx.Response:
    async with httpx.AsyncClient(trust_env=False) as browser:
        return await browser.get(f"http://127.0.0.1:{port}{path}?{query}")


async def test_binds_loopback_only_and_takes_the_right_state_after_a_wrong_one():
    async with LoopbackListener(state=STATE, port=0) as listener:
        host, port = listener._server.sockets[0].getsockname()[:2]
        assert host == "127.0.0.1" and port == listener.port and len(listener._server.sockets) == 1
        wrong = await get(port, "code=evil&state=attacker")
        assert wrong.status_code == 400 and "does not belong" in wrong.text
        missing = await get(port, "code=evil")
        assert missing.status_code == 400
        other = await get(port, "", path="/favicon.ico")
        assert other.status_code == 404
        answer = asyncio.ensure_future(get(port, f"code=the-code&state={STATE}"))
        result = await listener.wait(5)
        assert result.code == "the-code"
        await asyncio.sleep(0.05)
        assert not answer.done()  # the browser waits until the flow knows how the login ended
        listener.finish(True, "Login worked", "Workbench can now use Acme.")
        ok = await answer
        assert ok.status_code == 200 and "Login worked" in ok.text and "close this tab" in ok.text
        assert "Acme" in ok.text and "default-src 'none'" in ok.headers["content-security-policy"]
        again = await get(port, f"code=second&state={STATE}")
        assert again.status_code == 400 and "already" in again.text


async def test_denied_consent_ends_the_wait_with_a_clear_message():
    async with LoopbackListener(state=STATE, port=0) as listener:
        page = await get(listener.port, f"error=access_denied&state={STATE}")
        assert page.status_code == 200 and "denied" in page.text
        with pytest.raises(LoginFailed, match="consent was denied"):
            await listener.wait(5)


async def test_port_in_use_is_reported_plainly():
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    try:
        with pytest.raises(LoginFailed) as err:
            async with LoopbackListener(state=STATE, port=busy.getsockname()[1]):
                pass
        assert (
            f"Port {busy.getsockname()[1]}" in err.value.message and "--port" in err.value.message
        )
    finally:
        busy.close()


async def test_gives_up_after_the_timeout():
    async with LoopbackListener(state=STATE, port=0) as listener:
        with pytest.raises(LoginFailed, match="No login callback arrived within"):
            await listener.wait(0.2)


async def test_garbage_request_gets_an_answer_and_the_listener_keeps_waiting():
    async with LoopbackListener(state=STATE, port=0) as listener:
        reader, writer = await asyncio.open_connection("127.0.0.1", listener.port)
        writer.write(b"NONSENSE\r\n\r\n")
        await writer.drain()
        answer = await reader.read()
        writer.close()
        assert answer.startswith(b"HTTP/1.1 400")
        answer = asyncio.ensure_future(get(listener.port, f"code=c&state={STATE}"))
        assert (await listener.wait(5)).code == "c"
    ok = await answer  # closing the listener answers a callback still waiting
    assert ok.status_code == 200 and "Return to Workbench" in ok.text
