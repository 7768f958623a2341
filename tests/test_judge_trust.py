"""Calibrated judge trust: a judge whose measured κ is below the bar cannot decide a criterion; others can."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes import all_pass_verdicts, fake_handle

from pipeline.judge import critique
from pipeline.judge_trust import MIN_KAPPA, kappas_for, save_trust, trusted
from pipeline.rubric import CRITERIA_IDS

ROOT = Path(__file__).resolve().parents[1]
# The rules cannot confirm owns_mistake here ("unknown": a first-person statement without a clear error).
TEXT = ("I am sorry. I printed the menu on Tuesday. I have refunded the £12 booking fee today. From now on a second "
        "person checks every menu before it goes up.")


@pytest.fixture()
def prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of prompts/ without any calibration, so tests can write one."""
    copy = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", copy)
    (copy / "judge_trust.json").unlink(missing_ok=True)
    monkeypatch.setenv("AMENDS_PROMPTS_DIR", str(copy))
    return copy


def test_uncalibrated_judges_are_trusted() -> None:
    assert trusted(None, "owns_mistake")
    assert trusted({"timeline": 0.1}, "owns_mistake")
    assert not trusted({"owns_mistake": MIN_KAPPA - 0.01}, "owns_mistake")
    assert not trusted({"owns_mistake": None}, "owns_mistake")
    assert trusted({"owns_mistake": MIN_KAPPA}, "owns_mistake")


def test_a_calibrated_weak_judge_cannot_pass_what_the_rules_leave_open(prompts: Path) -> None:
    handle = fake_handle([all_pass_verdicts(), all_pass_verdicts()])
    before = critique(TEXT, judge=handle)
    assert before.criteria["owns_mistake"].rule_verdict == "unknown"
    assert before.criteria["owns_mistake"].verdict == "pass" and before.criteria["owns_mistake"].source == "llm"

    save_trust("default", "fake", dict.fromkeys(CRITERIA_IDS, 0.05), n_messages=70)
    assert kappas_for(handle, "default") == dict.fromkeys(CRITERIA_IDS, 0.05)
    after = critique(TEXT, judge=handle)
    owns = after.criteria["owns_mistake"]
    assert owns.verdict == "fail" and owns.llm_verdict == "pass" and "not counted" in owns.note
    assert after.judge_ok and len(after.calls) == 1  # the judge is still asked and its answer shown


def test_calibration_is_shared_by_variants_with_the_same_critique_prompt(prompts: Path) -> None:
    handle = fake_handle([])
    save_trust("default", "fake", dict.fromkeys(CRITERIA_IDS, 0.9), n_messages=70)
    assert kappas_for(handle, "freeform") == dict.fromkeys(CRITERIA_IDS, 0.9)
    critique_file = prompts / "freeform" / "critique.yaml"
    critique_file.write_text(critique_file.read_text() + "\n# a different judge prompt\ndescription: changed\n")
    from pipeline.prompts import _load_variant

    _load_variant.cache_clear()
    assert kappas_for(handle, "freeform") is None
