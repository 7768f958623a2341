"""End to end with the real embedded model: amends starts llama-cpp-python's server itself (real subprocesses)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.e2e


def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], capture_output=True, cwd=ROOT,
                          env=dict(os.environ), timeout=timeout)


def test_draft_on_the_readme_example_with_the_embedded_model() -> None:
    summary = (ROOT / "examples" / "summary.txt").read_text().strip()
    proc = run("draft", summary, "--facts", str(ROOT / "examples" / "incident.yaml"), "--json")
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    result = json.loads(proc.stdout)
    assert result["accepted"], result["stop_reason"]
    last = result["rounds"][-1]["critique"]
    assert last["grounding"] == [] and last["required_pass"]
    assert result["placeholders"] == []
    assert result["model"] == "local:smollm2-135m-instruct"
    assert all(c["model"] == result["model"] for r in result["rounds"] for c in r["calls"])
    assert "by Friday 14 March" in result["final_text"]


def test_serve_keeps_the_model_for_later_calls(tmp_path: Path) -> None:
    serve = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "serve"], cwd=ROOT,
                             env=dict(os.environ), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        state = Path(os.environ["AMENDS_STATE_DIR"]) / "server.json"
        deadline = time.monotonic() + 90
        while not state.exists() and time.monotonic() < deadline and serve.poll() is None:
            time.sleep(0.2)
        assert state.exists(), "amends serve did not record its server"
        url = json.loads(state.read_text())["url"]
        sock = state.parent / "warm.sock"
        while not sock.exists() and time.monotonic() < deadline and serve.poll() is None:
            time.sleep(0.1)
        assert sock.exists(), "amends serve did not start its warm process"
        proc = subprocess.run(
            [sys.executable, "-c", "import cli; cli.main()", "check", "-", "--json"], cwd=ROOT, env=dict(os.environ),
            input=b"Hi Jo, sorry if the late delivery bothered you. Stuff happens.", capture_output=True, timeout=300)
        assert proc.returncode == 1, proc.stderr.decode()[-1500:]
        data = json.loads(proc.stdout)
        assert data["judge_model"] == "local:smollm2-135m-instruct"
        assert data["criteria"]["clear_apology"]["verdict"] == "fail"
        assert url.startswith("http://127.0.0.1:")
        assert "amends check" in (state.parent / "warm.log").read_text(), "the check did not run warm"
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=20)
    assert not (Path(os.environ["AMENDS_STATE_DIR"]) / "server.json").exists()
    assert not (Path(os.environ["AMENDS_STATE_DIR"]) / "warm.sock").exists()
