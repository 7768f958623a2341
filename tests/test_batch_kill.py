"""SIGKILL a real `amends batch` process mid-run, several times, then resume: every id exactly once, no torn line,
and nothing that was in the file before a kill is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_openai_server import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[1]
TEXT = "I sent you the wrong invoice on Monday. I am sorry. I have sent the right one and added a check."


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    srv = FakeOpenAIServer(latency=0.02).start()
    yield srv
    srv.stop()


def complete_lines(path: Path) -> bytes:
    """The file's bytes up to and including its last newline (what a reader counts as done)."""
    data = path.read_bytes() if path.exists() else b""
    return data[: data.rfind(b"\n") + 1]


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "batch", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_when(proc: subprocess.Popen[bytes], out: Path, grown_by: int, limit_s: float = 30.0) -> bool:
    """SIGKILL ``proc`` once ``out`` has ``grown_by`` more complete lines; False when it finished first."""
    before = complete_lines(out).count(b"\n")
    deadline = time.monotonic() + limit_s
    while proc.poll() is None and time.monotonic() < deadline:
        if complete_lines(out).count(b"\n") >= before + grown_by:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    proc.wait()
    return False


def check_final(out: Path, ids: list[str]) -> None:
    data = out.read_bytes()
    assert data.endswith(b"\n")
    recs = [json.loads(line) for line in data.splitlines()]  # every line is whole, valid JSON
    counts = Counter(r["id"] for r in recs)
    assert set(counts) == set(ids) and max(counts.values()) == 1


def kill_and_resume(args: list[str], env: dict[str, str], out: Path, steps: list[int]) -> int:
    kills = 0
    for grown_by in steps:
        seen = complete_lines(out)
        if kill_when(start(args, env), out, grown_by):
            kills += 1
        after = out.read_bytes()
        assert after.startswith(seen)  # nothing reported done before the kill was lost
    final = start(args, env)
    _, stderr = final.communicate(timeout=120)
    assert final.returncode == 0, stderr.decode()
    return kills


def test_sigkill_mid_run_with_llm_judge_then_resume(tmp_path: Path, server: FakeOpenAIServer) -> None:
    ids = [f"k{i}" for i in range(160)]
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": i, "text": f"{TEXT} (ref {i})"}) + "\n" for i in ids), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = dict(os.environ) | {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "sk-test-kill"}
    args = [str(inp), "--out", str(out), "--model", "openai:fake-judge", "--concurrency", "6"]
    kills = kill_and_resume(args, env, out, [1, 25, 3, 40])
    assert kills >= 3
    check_final(out, ids)
    # every message was judged; one that was sent but killed before its line was written was cached, so a
    # message costs one call at most (plus the few in flight at each kill, whose answer was lost)
    assert server.answered <= len(ids) + 6 * kills
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert sum(r["llm_calls"] for r in recs) + sum(r["cached"] for r in recs) == len(ids)


def test_sigkill_rules_only_at_full_speed_then_resume(tmp_path: Path) -> None:
    ids = [f"q{i}" for i in range(10_000)]  # above POOL_MIN_RECORDS: worker processes are killed too
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": i, "text": f"{TEXT} #{i}"}) + "\n" for i in ids), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    kills = kill_and_resume([str(inp), "--out", str(out), "--rules-only"], dict(os.environ), out, [800, 3000])
    assert kills >= 2
    check_final(out, ids)
