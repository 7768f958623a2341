"""Warm commands (pipeline.warm): a real warm process, real `amends` subprocesses, real sockets and signals.

No model is needed: the commands here are rules-only, so these run in the fast tier.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import warm

ROOT = Path(__file__).resolve().parents[1]
AMENDS = [sys.executable, "-c", "import cli; cli.main()"]
FAILING = b"Hi Jo, sorry if the late delivery bothered you. Stuff happens."


def amends(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*AMENDS, *args], cwd=ROOT, env=env or dict(os.environ), input=stdin,
                          capture_output=True, timeout=120)


def warm_log() -> str:
    path = Path(os.environ["AMENDS_STATE_DIR"]) / warm.LOG_NAME
    return path.read_text() if path.exists() else ""


@pytest.fixture()
def warm_process() -> subprocess.Popen:
    """The warm process, as `amends serve` starts it (its parent is this test process)."""
    sock = warm.socket_path()
    proc = warm.spawn_warm()
    assert proc is not None
    deadline = time.monotonic() + 60
    while not sock.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sock.exists(), "the warm process did not open its socket"
    yield proc
    proc.terminate()
    proc.wait(timeout=10)
    assert not sock.exists(), "the warm process left its socket behind"


def test_a_warm_command_gives_the_same_output_exit_code_and_stdin_as_a_cold_one(warm_process, tmp_path) -> None:
    cold_env = dict(os.environ) | {"AMENDS_NO_WARM": "1"}
    cold = amends("check", "-", "--rules-only", "--json", stdin=FAILING, env=cold_env)
    assert "check" not in warm_log()
    hot = amends("check", "-", "--rules-only", "--json", stdin=FAILING)
    assert hot.returncode == cold.returncode == 1
    assert json.loads(hot.stdout) == json.loads(cold.stdout)
    assert "amends check" in warm_log(), "the command was not run by the warm process"


def test_a_warm_command_runs_in_the_callers_directory_and_environment(warm_process, tmp_path) -> None:
    (tmp_path / "msg.txt").write_text("I am sorry I sent the wrong file. I have sent the right one.")
    env = dict(os.environ) | {"AMENDS_MODEL": "not-a-spec"}  # the child must see the caller's environment
    proc = subprocess.run([*AMENDS, "check", "msg.txt"], cwd=tmp_path, env=env | {"PYTHONPATH": str(ROOT)},
                          capture_output=True, timeout=120)
    assert proc.returncode == 2
    assert b"unknown model spec 'not-a-spec'" in proc.stderr
    assert "amends check" in warm_log()


def test_ctrl_c_reaches_the_warm_child(warm_process) -> None:
    client = subprocess.Popen([*AMENDS, "check", "-", "--rules-only"], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while "amends check" not in warm_log() and time.monotonic() < deadline:  # the child is reading stdin
        time.sleep(0.05)
    child = int(warm_log().split("pid=")[1].split()[0])
    time.sleep(0.3)
    client.send_signal(signal.SIGINT)
    client.communicate(timeout=30)
    assert client.returncode == 130  # what typer exits with on Ctrl-C, as a cold command does
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{child}").exists(), "the warm child outlived its caller"


def test_a_killed_caller_takes_its_warm_child_with_it(warm_process) -> None:
    read_end, write_end = os.pipe()  # kept open here: the child's stdin never ends by itself
    try:
        client = subprocess.Popen([*AMENDS, "check", "-", "--rules-only"], cwd=ROOT, stdin=read_end,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(read_end)
        deadline = time.monotonic() + 60
        while "amends check" not in warm_log() and time.monotonic() < deadline:
            time.sleep(0.05)
        child = int(warm_log().split("pid=")[1].split()[0])
        client.kill()  # SIGKILL: no chance to forward anything
        client.wait(timeout=30)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not Path(f"/proc/{child}").exists(), "the warm child outlived its killed caller"
    finally:
        os.close(write_end)
    assert warm_process.poll() is None, "the warm process itself must keep serving"


def test_a_caller_with_other_code_is_told_to_run_the_command_itself(warm_process) -> None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(warm.socket_path()))
    warm._send_json(sock, {"argv": ["rubric"], "env": {}, "cwd": "/", "umask": 0o22, "code": "other"},
                    fds=[0, 1, 2])
    reply = warm._recv_json(sock)
    sock.close()
    assert isinstance(reply, dict) and "stale" in reply and "pid" not in reply


def test_a_malformed_request_is_dropped_and_the_warm_process_keeps_serving(warm_process) -> None:
    for payload in ([1, 2], {"argv": "draft"}, {"argv": ["rubric"], "extra": 1}):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(str(warm.socket_path()))
        warm._send_json(sock, payload, fds=[0, 1, 2])
        assert sock.recv(1) == b""  # closed without an answer
        sock.close()
    assert warm_process.poll() is None
    proc = amends("rubric")
    assert proc.returncode == 0 and b"owns_mistake" in proc.stdout
    assert "amends rubric" in warm_log()


def test_no_warm_process_means_the_command_runs_itself(tmp_path) -> None:
    assert warm.delegate(["check", "-"]) is None  # no socket in the state dir
    (Path(os.environ["AMENDS_STATE_DIR"])).mkdir(parents=True, exist_ok=True)
    warm.socket_path().write_text("")  # a stale file where the socket was
    assert warm.delegate(["check", "-"]) is None
    assert warm.delegate(["serve"]) is None and warm.delegate([]) is None
