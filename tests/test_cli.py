"""The CLI as a user meets it: real subprocesses, exit codes, one-line errors with no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFORMING = ("Hi Ms Rivera,\n\nI charged you twice for the October retainer. I am sorry for the trouble this caused. "
              "I have refunded the second $240 charge to your card; it is already done. From now on a second person "
              "checks every invoice before it goes out. I hope you will forgive me and let me keep working with you. "
              "I would be glad to call you to talk it through.\n\nBest regards,\nSam")


def amends(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], input=stdin, capture_output=True,
                          cwd=ROOT, env=full_env, timeout=120)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode()
    assert "Traceback" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_no_args_shows_help() -> None:
    proc = amends()
    assert b"draft" in proc.stdout + proc.stderr and b"check" in proc.stdout + proc.stderr


def test_rubric_lists_every_criterion() -> None:
    proc = amends("rubric", "--json")
    ids = [c["id"] for c in json.loads(proc.stdout)["criteria"]]
    assert proc.returncode == 0 and ids[0] == "owns_mistake" and len(ids) == 12


def test_check_rules_only_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(CONFORMING)
    assert amends("check", str(good), "--rules-only").returncode == 0
    bad = amends("check", "-", "--rules-only", "--json", stdin=b"Sorry if you were upset. Stuff happens.")
    assert bad.returncode == 1
    data = json.loads(bad.stdout)
    assert data["criteria"]["clear_apology"]["verdict"] == "fail" and data["required_pass"] is False


@pytest.mark.parametrize("args, stdin, needle", [
    (("draft", "   "), None, "summary: input is empty"),
    (("check", "-", "--rules-only"), b"\x00\x01\x02", "binary"),
    (("check", "-", "--rules-only"), b"caf\xe9", "not UTF-8"),
    (("check", "-", "--rules-only"), b"x" * 30_000, "limit"),
    (("check", "/nonexistent/file.txt", "--rules-only"), None, "no such file"),
    (("draft", "I sent the wrong file", "--model", "gpt4"), None, "unknown model spec"),
    (("draft", "I sent the wrong file", "--model", "openai:gpt-4o-mini"), None, "OPENAI_API_KEY is not set"),
])
def test_bad_input_is_one_clear_line(args: tuple[str, ...], stdin: bytes | None, needle: str) -> None:
    proc = amends(*args, stdin=stdin)
    assert proc.returncode == 2
    assert needle in one_line_error(proc)


def test_malformed_facts_file(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text("recipient: Ms Rivera\nwhen: tomorrow\n")
    line = one_line_error(amends("draft", "I sent the wrong file", "--facts", str(facts)))
    assert "when" in line and "allowed fields" in line


def test_unreachable_endpoint_and_key_never_printed() -> None:
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "sk-test-SECRET987654321",
           "AMENDS_MAX_RETRIES": "0"}
    proc = amends("check", "-", "--model", "openai:gpt-4o-mini", stdin=b"I am sorry I sent the wrong file.", env=env)
    line = one_line_error(proc)
    assert proc.returncode == 2 and "could not reach" in line
    assert b"SECRET" not in proc.stdout + proc.stderr


def test_embedded_model_failing_to_start(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a model")
    proc = amends("draft", "I sent the wrong file", env={"AMENDS_LOCAL_MODEL": str(broken)})
    line = one_line_error(proc)
    assert proc.returncode == 2 and "embedded model server exited" in line


def test_debug_shows_traceback() -> None:
    proc = amends("draft", "x", "--model", "gpt4", env={"AMENDS_DEBUG": "1"})
    assert b"Traceback" in proc.stderr
