"""Warm commands: while `amends serve` runs, a pre-imported amends process forks one child per command.

Why: before its first model request, every `amends` command spends ~1.2 s importing langchain-openai, openai
and pydantic, as long as the whole warm judge call takes to generate its answer. With `amends serve` running,
the command (`draft`, `check`, `rubric`, `report`) connects to a Unix socket in the state dir and hands over
its stdin, stdout and stderr (SCM_RIGHTS), arguments, environment, umask and working directory; a forked child
of the warm process runs ``cli.main`` on the caller's own terminal, exactly as the caller would have. The
caller waits for the exit code and forwards Ctrl-C and SIGTERM. This is the preloader pattern of nailgun or
Ruby's Spring; nothing on PyPI does it for a Python CLI, hence hand-written (stdlib only).

Safety: the socket is 0600 inside the state dir and only a peer with our uid is served; a caller whose amends
code differs from the warm process's (a reinstall, an edit) is told so and runs the command itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import config

if TYPE_CHECKING:
    from pydantic import BaseModel

#: Commands a warm child may run. `serve` must not (it would nest servers); `batch` and `eval` run for minutes
#: with worker processes and recording, where a second of imports does not matter.
WARM_COMMANDS = frozenset({"draft", "check", "rubric", "report"})
SOCKET_NAME = "warm.sock"
LOG_NAME = "warm.log"
_MAX_PAYLOAD = 1 << 20


def socket_path() -> Path:
    """Where `amends serve` listens for warm commands."""
    return config.state_dir() / SOCKET_NAME


def code_fingerprint() -> str:
    """Identity of the amends code a process runs: interpreter, and path, size and mtime of every module.

    A warm process forked from other code would run a different amends than the one the user invoked.
    """
    here = Path(__file__).resolve().parent
    files = sorted(here.glob("*.py"))
    cli = sys.modules.get("cli")
    if cli is not None and getattr(cli, "__file__", None):
        files.append(Path(str(cli.__file__)).resolve())
    h = hashlib.sha1(sys.executable.encode())
    for f in files:
        with contextlib.suppress(OSError):
            st = f.stat()
            h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _send_json(sock: socket.socket, obj: object, fds: list[int] | None = None) -> None:
    data = json.dumps(obj).encode()
    frame = struct.pack("!I", len(data)) + data
    if fds:
        socket.send_fds(sock, [frame], fds)
    else:
        sock.sendall(frame)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    return buf


def _recv_json(sock: socket.socket) -> object:
    (size,) = struct.unpack("!I", _recv_exact(sock, 4))
    if size > _MAX_PAYLOAD:
        raise ConnectionError("frame too large")
    return json.loads(_recv_exact(sock, size))


# --- the caller -------------------------------------------------------------------------------------------------

def delegate(argv: list[str]) -> int | None:
    """Run ``argv`` in a warm child of `amends serve` and return its exit code; None when no warm process takes
    it (none running, a command that stays local, other code), so the caller runs the command itself."""
    if not argv or argv[0] not in WARM_COMMANDS or config.env("NO_WARM") not in ("", "0"):
        return None
    path = socket_path()
    if not path.exists():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(2.0)
        sock.connect(str(path))
        umask = os.umask(0)
        os.umask(umask)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        _send_json(sock, {"argv": argv, "env": dict(os.environ), "cwd": os.getcwd(), "umask": umask,
                          "encoding": sys.stdout.encoding, "code": code_fingerprint()}, fds=[0, 1, 2])
        reply = _recv_json(sock)
    except (OSError, ValueError, ConnectionError):
        sock.close()
        return None  # a stale socket file or a warm process that went away: run it here
    if not isinstance(reply, dict) or "pid" not in reply:
        sock.close()
        return None  # other code (reply says why): run it here
    return _wait(sock, int(reply["pid"]))


def _wait(sock: socket.socket, pid: int) -> int:
    """Forward signals to the warm child until it reports its exit code."""
    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(OSError):
            os.kill(pid, signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, forward)
    sock.settimeout(None)
    try:
        reply = _recv_json(sock)
    except (OSError, ValueError, ConnectionError):
        sys.stderr.write("error: the warm amends process (amends serve) went away — run the command again\n")
        return 3
    finally:
        sock.close()
    return int(reply.get("exit", 3)) if isinstance(reply, dict) else 3


# --- the warm process -------------------------------------------------------------------------------------------

def _peer_uid(conn: socket.socket) -> int:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return int(struct.unpack("3i", creds)[1])


def _log(line: str) -> None:
    with contextlib.suppress(OSError), open(config.state_dir() / LOG_NAME, "a", encoding="utf-8") as f:
        f.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {line}\n")


def _run_child(request: dict, fds: list[int]) -> None:
    """In the forked child: become the caller's command on the caller's stdio, then run the CLI. Never returns."""
    code = 3
    try:
        os.setsid()  # leave the serve terminal's process group: a Ctrl-C there must not reach the caller's command
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
            os.close(fd)
        enc = request.get("encoding") or "utf-8"
        sys.stdin = open(0, encoding=enc, closefd=False)  # noqa: SIM115 - the process's own stdio for its lifetime
        sys.stdout = open(1, "w", encoding=enc, buffering=1 if os.isatty(1) else -1, closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding=enc, buffering=1, closefd=False)  # noqa: SIM115
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        os.umask(int(request["umask"]))
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.argv = ["amends", *request["argv"]]
        import cli

        cli.reset_consoles()  # rich decides colours and width when a Console is made: make them on these fds
        cli.main(delegate_to_warm=False)  # leaves through os._exit with the command's exit code
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException as exc:  # noqa: BLE001 - report anything to the caller rather than die silently
        with contextlib.suppress(Exception):
            from .models import redact

            sys.stderr.write(f"internal error in the warm amends process: {type(exc).__name__}: "
                             f"{redact(str(exc))[:300]} — set AMENDS_NO_WARM=1 to run without it\n")
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _request_model() -> type[BaseModel]:
    """The caller's request, validated (pydantic is imported here, not at module level: the caller's side of
    this module must start fast and never needs it)."""
    from pydantic import BaseModel, ConfigDict  # noqa: F811 - at run time, here only

    class WarmRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")

        argv: list[str]
        env: dict[str, str]
        cwd: str
        umask: int
        encoding: str | None = None
        code: str

    return WarmRequest


def _accept(server: socket.socket, fingerprint: str, children: dict[int, socket.socket | None]) -> None:
    conn, _ = server.accept()
    fds: list[int] = []
    try:
        conn.settimeout(5.0)
        if _peer_uid(conn) != os.getuid():
            raise ConnectionError("another user")
        msg, fds, _flags, _addr = socket.recv_fds(conn, _MAX_PAYLOAD + 4, 3)
        (size,) = struct.unpack("!I", msg[:4])
        body = msg[4:]
        while len(body) < size:
            body += _recv_exact(conn, size - len(body))
        request = _request_model().model_validate_json(body).model_dump()
        if request["code"] != fingerprint or len(fds) != 3:
            _send_json(conn, {"stale": "the caller runs other amends code than this warm process"})
            raise ConnectionError("other code")
    except (OSError, ValueError, struct.error, ConnectionError):  # pydantic's ValidationError is a ValueError
        conn.close()
        for fd in fds:
            os.close(fd)
        return
    pid = os.fork()
    if pid == 0:
        for other in (server, conn, *children.values()):
            if other is not None:
                other.close()
        _run_child(request, fds)
    for fd in fds:
        os.close(fd)
    _log(f"pid={pid} amends {' '.join(request['argv'][:1])}")
    _send_json(conn, {"pid": pid})
    children[pid] = conn


def _caller_gone(conn: socket.socket, children: dict[int, socket.socket | None]) -> None:
    """A caller's connection became readable: it sends nothing after its request, so it is gone (killed):
    stop its command, which would otherwise run on into a terminal nobody waits on."""
    with contextlib.suppress(OSError):
        if conn.recv(1, socket.MSG_PEEK):
            return
    for pid, c in children.items():
        if c is conn:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
            children[pid] = None  # reaped later, with nobody to tell
            conn.close()
            return


def _reap(children: dict[int, socket.socket | None]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None:
            code = os.waitstatus_to_exitcode(status)
            with contextlib.suppress(OSError):
                _send_json(conn, {"exit": code if code >= 0 else 128 - code})
            conn.close()


def serve_warm(path: Path, parent: int) -> None:
    """The warm process: import everything a command needs, then fork a child per caller until ``parent`` exits."""
    import langchain_openai  # noqa: F401

    import cli  # noqa: F401 - the point: pay the imports once, here

    from . import judge, loop, render  # noqa: F401

    fingerprint = code_fingerprint()
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        server.bind(str(path))
    finally:
        os.umask(old)
    server.listen(16)
    children: dict[int, socket.socket | None] = {}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while os.getppid() == parent:
            # Poll rather than a SIGCHLD handler: one thread, no signal races, and ≤ 20 ms added to an exit.
            ready, _, _ = select.select([server, *(c for c in children.values() if c)], [], [], 0.02)
            for sock in ready:
                if sock is server:
                    _accept(server, fingerprint, children)
                else:
                    _caller_gone(sock, children)
            _reap(children)
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def spawn_warm() -> subprocess.Popen[bytes] | None:
    """Start the warm process for this process (`amends serve`), which it serves until this process exits."""
    sock = socket_path()
    if len(str(sock)) > 100:  # AF_UNIX paths are limited to 108 bytes; commands then simply start cold
        return None
    here = [str(Path(__file__).resolve().parents[1])]
    cli = sys.modules.get("cli")
    if cli is not None and getattr(cli, "__file__", None):
        here.insert(0, str(Path(str(cli.__file__)).resolve().parent))
    code = f"import sys; sys.path[:0] = {here!r}; from pipeline.warm import main; main()"
    sock.parent.mkdir(parents=True, exist_ok=True)
    with open(sock.parent / LOG_NAME, "ab") as log:
        return subprocess.Popen([sys.executable, "-c", code, str(sock), str(os.getpid())], stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT)


def main() -> None:
    """Entry point of the warm process `amends serve` starts: ``python -m pipeline.warm SOCKET PARENT_PID``."""
    serve_warm(Path(sys.argv[1]), int(sys.argv[2]))


if __name__ == "__main__":
    main()
