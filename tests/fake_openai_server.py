"""A small real OpenAI-compatible HTTP server for batch tests and benchmarks (aiohttp, 127.0.0.1).

``POST /v1/chat/completions`` answers the forced tool call of whatever tool the request declares, with a
"pass" for every property of the tool's parameters, after ``latency`` seconds. Markers in the message
inject faults per message (attempts are counted per message text):

- ``[[fault:429x2]]``: the first 2 attempts get 429 with ``Retry-After: <retry_after>``;
- ``[[fault:500x2]]``: the first 2 attempts get 500 (``x99``: always);
- ``[[fault:hangx1]]``: the first attempt never answers (the client's timeout must fire);
- ``[[fault:401x1]]``: 401 whose message echoes the bearer token, as OpenAI's does (redaction test);
- ``[[fail:<criterion>]]``: that criterion's verdict is "fail".

``GET /stats`` returns the counters as JSON. Run it in a thread (``FakeOpenAIServer``) or as a process:
``python tests/fake_openai_server.py --latency 0.2`` prints its base URL on the first stdout line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import re
import threading
import time
from collections import Counter
from typing import Any

from aiohttp import web

_FAULT_RE = re.compile(r"\[\[fault:(401|429|500|hang)x(\d+)\]\]")
_FAIL_RE = re.compile(r"\[\[fail:([a-z_]+)\]\]")


class FakeOpenAI:
    """The server's state and handlers: latency, retry-after, counters per message."""

    def __init__(self, latency: float = 0.0, retry_after: float = 1.0) -> None:
        self.latency = latency
        self.retry_after = retry_after
        self.calls = 0
        self.answered = 0
        self.statuses: Counter[int] = Counter()
        self.per_message: Counter[str] = Counter()
        self.times: dict[str, list[float]] = {}
        self.auth: Counter[str] = Counter()
        self.max_in_flight = 0
        self._in_flight = 0

    def stats(self) -> dict[str, Any]:
        """Counters as plain JSON-able data."""
        return {"calls": self.calls, "answered": self.answered, "statuses": dict(self.statuses),
                "per_message": dict(self.per_message), "auth": dict(self.auth), "max_in_flight": self.max_in_flight,
                "times": self.times}

    async def completions(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.calls += 1
        self.auth[request.headers.get("Authorization", "")] += 1
        messages = body.get("messages", [])
        text = str(messages[-1].get("content", "")) if messages else ""
        key = hashlib.sha256(text.encode()).hexdigest()[:16]
        self.per_message[key] += 1
        self.times.setdefault(key, []).append(time.monotonic())
        attempt = self.per_message[key]
        self._in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            fault = _FAULT_RE.search(text)
            if fault and attempt <= int(fault.group(2)):
                kind = fault.group(1)
                if kind == "hang":
                    await asyncio.sleep(3600)
                status = int(kind)
                self.statuses[status] += 1
                headers = {"Retry-After": f"{self.retry_after:g}"} if status == 429 else {}
                message = f"injected {status}"
                if status == 401:
                    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
                    message = f"Incorrect API key provided: {token}. You can find your API key at https://x."
                return web.json_response({"error": {"message": message, "type": "fake"}},
                                         status=status, headers=headers)
            if self.latency:
                await asyncio.sleep(self.latency)
            self.statuses[200] += 1
            self.answered += 1
            return web.json_response(self._answer(body, text))
        finally:
            self._in_flight -= 1

    def _answer(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        tool = (body.get("tools") or [{}])[0].get("function", {})
        props = tool.get("parameters", {}).get("properties", {})
        failing = set(_FAIL_RE.findall(text))
        args = {name: {"verdict": "fail" if name in failing else "pass", "evidence": "",
                       "fix": "say it plainly" if name in failing else ""} for name in props}
        call = {"id": "call_1", "type": "function",
                "function": {"name": tool.get("name", "tool"), "arguments": json.dumps(args)}}
        return {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                "model": body.get("model", "fake"),
                "choices": [{"index": 0, "finish_reason": "tool_calls",
                             "message": {"role": "assistant", "content": None, "tool_calls": [call]}}],
                "usage": {"prompt_tokens": 100 + len(text) // 4, "completion_tokens": 60, "total_tokens": 160}}

    async def stats_handler(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats())

    def app(self) -> web.Application:
        """The aiohttp application."""
        app = web.Application(client_max_size=4 << 20)
        app.router.add_post("/v1/chat/completions", self.completions)
        app.router.add_get("/stats", self.stats_handler)
        return app


class FakeOpenAIServer(FakeOpenAI):
    """The fake server running on its own event loop in a daemon thread; ``url`` is the /v1 base URL."""

    def __init__(self, latency: float = 0.0, retry_after: float = 1.0) -> None:
        super().__init__(latency, retry_after)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAIServer:
        """Start serving on a free port; returns self."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    async def _start(self) -> None:
        self._runner = web.AppRunner(self.app(), access_log=None, handler_cancellation=True, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        """Stop the server and its thread."""
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    """Serve in the foreground; print the base URL first so a parent process can read it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--retry-after", type=float, default=1.0)
    args = parser.parse_args()
    fake = FakeOpenAI(args.latency, args.retry_after)

    async def serve() -> None:
        runner = web.AppRunner(fake.app(), access_log=None, handler_cancellation=True, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", args.port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(f"http://127.0.0.1:{port}/v1", flush=True)
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()
