"""The eval suite's metrics against values computed by hand, and dataset validation."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.eval_data import LabelledMessage, load_jsonl, load_messages, load_scenarios
from pipeline.eval_metrics import cohen_kappa, criterion_metrics, mean_se, source_metrics

DATA = Path(__file__).parent / "data"


def test_kappa_on_a_hand_computed_table() -> None:
    # 50 messages: both pass 20, both fail 15, we pass a labelled fail 5, we fail a labelled pass 10.
    # p_o = 35/50 = 0.7; label pass 30/50 = 0.6, predicted pass 25/50 = 0.5;
    # p_e = 0.6*0.5 + 0.4*0.5 = 0.5; κ = (0.7 - 0.5) / (1 - 0.5) = 0.4
    assert cohen_kappa(tp=20, tn=15, fp=5, fn=10) == pytest.approx(0.4)


def test_kappa_perfect_chance_and_degenerate() -> None:
    assert cohen_kappa(tp=6, tn=4, fp=0, fn=0) == pytest.approx(1.0)
    # labels all pass, predictions 3 pass 1 fail: p_o = .75, p_e = 1*.75 + 0*.25 = .75 → κ = 0
    assert cohen_kappa(tp=3, tn=0, fp=0, fn=1) == pytest.approx(0.0)
    # both raters only ever say pass: p_e = 1, κ is 0/0 — undefined, not 1 and not a crash
    assert cohen_kappa(tp=5, tn=0, fp=0, fn=0) is None
    assert cohen_kappa(0, 0, 0, 0) is None


def test_criterion_metrics_counts_false_passes_and_fails_and_skips_missing() -> None:
    pairs = [("pass", "pass"), ("fail", "pass"), ("pass", "fail"), ("fail", "fail"), ("fail", None)]
    m = criterion_metrics("no_blame", pairs)
    assert (m.n, m.true_pass, m.true_fail, m.false_pass, m.false_fail) == (4, 1, 1, 1, 1)
    assert m.accuracy == pytest.approx(0.5)
    assert m.kappa == pytest.approx(0.0)


def test_macro_averages_skip_undefined_kappa() -> None:
    labels = [{"a": "pass", "b": "pass"}, {"a": "fail", "b": "pass"}]
    preds = [{"a": "pass", "b": "pass"}, {"a": "fail", "b": "pass"}]
    s = source_metrics("rules", ["a", "b"], labels, preds)
    assert s.macro_accuracy == pytest.approx(1.0)
    assert s.criteria["b"].kappa is None and s.kappa_defined == 1
    assert s.macro_kappa == pytest.approx(1.0)


def test_mean_and_standard_error() -> None:
    s = mean_se([1.0, 2.0, 3.0])  # sd 1 → se 1/√3
    assert s.mean == pytest.approx(2.0) and s.se == pytest.approx(1 / math.sqrt(3))
    assert mean_se([0.5]).se == 0.0 and mean_se([0.5]).fmt(2) == "0.50"
    assert mean_se([0.5, 0.7]).fmt(1, 100, "%") == "60.0% ± 10.0"


def test_fixture_datasets_load() -> None:
    msgs = load_messages(DATA / "eval_messages.jsonl")
    assert [m.id for m in msgs] == ["t1", "t2", "t3"]
    assert [m.id for m in load_messages(DATA / "eval_messages.jsonl", "test")] == ["t3"]
    assert len(load_scenarios(DATA / "eval_scenarios.jsonl", limit=1)) == 1


def test_dataset_errors_name_the_line(tmp_path: Path) -> None:
    good = json.loads((DATA / "eval_messages.jsonl").read_text().splitlines()[0])
    bad_label = {**good, "labels": {k: v for k, v in good["labels"].items() if k != "timeline"}}
    extra = {**good, "id": "x", "colour": "red"}
    for row, needle in ((bad_label, "line 2: labels"), (extra, "line 2: colour")):
        path = tmp_path / "m.jsonl"
        path.write_text(json.dumps(good) + "\n" + json.dumps(row) + "\n")
        with pytest.raises(InputError, match=needle):
            load_jsonl(path, LabelledMessage)
    path.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n")
    with pytest.raises(InputError, match="duplicate id"):
        load_jsonl(path, LabelledMessage)
