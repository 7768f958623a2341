"""Recording and replaying the eval suite: replay needs no model; a prompt edit without re-recording fails loudly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_openai_server import FakeOpenAIServer

from pipeline.eval_baseline import incomparable, load_baseline, regressions, update_baseline
from pipeline.eval_record import CassetteMissError
from pipeline.eval_report import judge_html, pipeline_html
from pipeline.eval_run import run_judge_eval, run_pipeline_eval
from pipeline.prompts import prompts_dir

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
MODEL = "openai:fake-judge"


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Cassettes recorded against the fake OpenAI server, which is stopped before the test replays them."""
    root = tmp_path / "cassettes"
    with FakeOpenAIServer() as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-123456")
        run_judge_eval(model=MODEL, record=True, messages_path=DATA / "eval_messages.jsonl", root=root)
        calls = srv.calls
    assert calls == 2  # t3 tries to instruct the judge: rules alone, no call
    monkeypatch.delenv("OPENAI_API_KEY")
    yield root


def test_replay_reproduces_the_recorded_figures_without_a_server(recorded: Path) -> None:
    cassette = recorded / "judge" / "default" / "openai-fake-judge" / "t1.yaml"
    assert cassette.is_file() and "sk-test-secret" not in cassette.read_text()
    assert (recorded / "judge" / "default" / "openai-fake-judge" / "t3.yaml").is_file()  # empty, no request
    result = run_judge_eval(model=MODEL, messages_path=DATA / "eval_messages.jsonl", root=recorded)
    assert result.mode == "replay" and result.n_messages == 3 and result.llm_answered == 2
    assert result.llm.criteria["owns_mistake"].n == 2  # LLM-only figures use the answered messages
    assert result.merged.criteria["owns_mistake"].n == 3
    assert set(result.rules_by_split) == {"dev", "test"}
    assert "<svg" in judge_html(result) and "t2" in judge_html(result)


def test_a_prompt_edit_without_re_recording_fails_with_one_line(recorded: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    edited = tmp_path / "prompts"
    shutil.copytree(prompts_dir(), edited)
    crit = edited / "default" / "critique.yaml"
    text = crit.read_text()
    assert "You check an apology" in text
    crit.write_text(text.replace("You check an apology", "You carefully check an apology"))
    monkeypatch.setenv("AMENDS_PROMPTS_DIR", str(edited))
    with pytest.raises(CassetteMissError) as info:
        run_judge_eval(model=MODEL, messages_path=DATA / "eval_messages.jsonl", root=recorded)
    line = info.value.one_line()
    assert "\n" not in line and "'t1'" in line
    assert "amends eval judge --variant default --model openai:fake-judge --record" in line


def test_a_missing_cassette_from_the_cli_is_one_line(tmp_path: Path) -> None:
    evals = tmp_path / "evals"
    (evals / "data").mkdir(parents=True)
    shutil.copy(DATA / "eval_scenarios.jsonl", evals / "data" / "scenarios.jsonl")
    env = {"AMENDS_EVALS_DIR": str(evals), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "eval", "pipeline", "--variant", "default"],
                          capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.decode().splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in lines[0], proc.stderr.decode()
    assert "no recording for pipeline case 'x1-double-charge'" in lines[0]
    assert "amends eval pipeline --variant default --record" in lines[0]


def test_pipeline_record_replay_and_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "cassettes"
    kw = {"variants": ["default", "freeform"], "model": MODEL, "scenarios_path": DATA / "eval_scenarios.jsonl",
          "root": root, "max_rounds": 2}
    with FakeOpenAIServer() as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        first = run_pipeline_eval(record=True, repeats=2, **kw)
    again = run_pipeline_eval(repeats=2, **kw)
    assert [v.headline() for v in again.variants] == [v.headline() for v in first.variants]
    assert again.variants[0].latency_source == "recorded" and again.variants[0].required_pass_rate.n == 2
    assert "freeform" in pipeline_html(again)
    path = update_baseline(again, tmp_path / "baseline.json")
    base = load_baseline(path)
    assert regressions(again, base) == []
    base["pipeline"]["variants"]["default"]["mean_score"] += 1
    base["pipeline"]["variants"]["default"]["grounding_violations"] -= 1
    worse = regressions(again, base)
    assert len(worse) == 2 and all(w.startswith("pipeline/default") for w in worse)
    base["pipeline"]["limit"] = 44  # a baseline of another population says nothing about this run
    assert regressions(again, base) == [] and "limit" in incomparable(again, base)


def test_record_missing_only_records_cases_without_a_cassette(recorded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (recorded / "judge" / "default" / "openai-fake-judge" / "t2.yaml").unlink()
    with FakeOpenAIServer() as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        result = run_judge_eval(model=MODEL, record=True, only_missing=True,
                                messages_path=DATA / "eval_messages.jsonl", root=recorded)
        assert srv.calls == 1 and result.n_messages == 3
    assert (recorded / "judge" / "default" / "openai-fake-judge" / "t2.yaml").is_file()


def test_rules_only_needs_no_model_and_no_cassettes(tmp_path: Path) -> None:
    result = run_judge_eval(model=None, messages_path=DATA / "eval_messages.jsonl", root=tmp_path / "none")
    assert result.mode == "rules-only" and result.llm is None and result.merged is None
    assert result.baseline_key == "judge_rules" and set(result.headline()) == {"rules_macro_accuracy",
                                                                               "rules_macro_kappa"}
    assert not (tmp_path / "none").exists()
    assert "rules only" in judge_html(result)
