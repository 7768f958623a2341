"""The recorded eval suite, replayed offline: no headline figure may drop below ``evals/baseline.json``.

Replay needs no model (``local`` points at a closed port; vcrpy answers from ``evals/cassettes``). A prompt,
rules or dataset change that alters a model request fails here with the command that re-records it; a
deliberate change in the figures is accepted with ``amends eval <kind> … --update-baseline``.
"""

from __future__ import annotations

import pytest

from pipeline.eval_baseline import load_baseline, regressions
from pipeline.eval_run import run_judge_eval, run_pipeline_eval

BASELINE = load_baseline()


@pytest.mark.skipif("judge_rules" not in BASELINE, reason="no rules-only judge baseline yet")
def test_rules_alone_hold_the_baseline_on_the_whole_labelled_set() -> None:
    sec = BASELINE["judge_rules"]
    result = run_judge_eval(model=None, variant=sec["variant"], split=sec["split"], limit=sec.get("limit"))
    assert result.mode == "rules-only"
    assert result.n_messages == sec["n_messages"], "the labelled set changed: update the baseline"
    assert regressions(result, BASELINE) == []


@pytest.mark.skipif("judge" not in BASELINE, reason="no judge baseline recorded yet")
def test_judge_eval_holds_the_baseline() -> None:
    sec = BASELINE["judge"]
    result = run_judge_eval(model=sec["model"], variant=sec["variant"], split=sec["split"],
                            limit=sec.get("limit"))
    assert result.mode == "replay"
    assert result.n_messages == sec["n_messages"], "the labelled set changed: re-record and update the baseline"
    assert regressions(result, BASELINE) == []


@pytest.mark.skipif("pipeline" not in BASELINE, reason="no pipeline baseline recorded yet")
def test_pipeline_eval_holds_the_baseline() -> None:
    sec = BASELINE["pipeline"]
    result = run_pipeline_eval(variants=sorted(sec["variants"]), model=sec["model"], limit=sec["limit"],
                               repeats=sec["repeats"])
    assert result.mode == "replay"
    assert {v.n_scenarios for v in result.variants} == {sec["n_scenarios"]}
    assert regressions(result, BASELINE) == []
