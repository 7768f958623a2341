"""``evals/baseline.json``: the headline figures the eval suite must not fall below, and how to compare.

Judge (``judge``: the recorded judge eval; ``judge_rules``: the rules alone over the whole labelled set): macro
accuracy and κ of the rules and of the merged critique (higher is better). Pipeline, per variant:
required-pass rate and mean score (higher is better) and grounding violations (lower is better). Each
section also stores the settings it was measured with, so the regression test replays the same suite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .eval_data import evals_dir
from .eval_run import JudgeEvalResult, PipelineEvalResult

#: Replay is deterministic; the tolerance only absorbs float noise.
TOLERANCE = 1e-9
LOWER_IS_BETTER = {"grounding_violations"}


def baseline_path() -> Path:
    """``<evals>/baseline.json``."""
    return evals_dir() / "baseline.json"


def load_baseline(path: Path | None = None) -> dict[str, Any]:
    """The baseline's contents, ``{}`` when there is none yet."""
    p = path or baseline_path()
    if not p.is_file():
        return {}
    data = json.loads(p.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def baseline_section(result: JudgeEvalResult | PipelineEvalResult) -> dict[str, Any]:
    """The baseline entry a result would write: settings plus headline figures."""
    if isinstance(result, JudgeEvalResult):
        return {"model": result.model, "variant": result.variant, "split": result.split, "limit": result.limit,
                "n_messages": result.n_messages, "figures": result.headline()}
    return {"model": result.model, "limit": result.limit, "repeats": result.repeats,
            "n_scenarios": result.variants[0].n_scenarios if result.variants else 0,
            "variants": {v.variant: v.headline() for v in result.variants}}


def update_baseline(result: JudgeEvalResult | PipelineEvalResult, path: Path | None = None) -> Path:
    """Write ``result``'s headline figures into the baseline, keeping the other kind's section."""
    p = path or baseline_path()
    data = load_baseline(p)
    data[result.baseline_key] = baseline_section(result)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return p


def _worse(name: str, now: float | None, then: float | None) -> bool:
    if then is None:
        return False
    if now is None:
        return True
    return now > then + TOLERANCE if name in LOWER_IS_BETTER else now < then - TOLERANCE


def incomparable(result: JudgeEvalResult | PipelineEvalResult, baseline: dict[str, Any]) -> str:
    """Why ``result`` cannot be held against the baseline (another split, limit, model or variant), else ""."""
    section = baseline.get(result.baseline_key) or {}
    for key in ("split", "limit", "model", "variant"):
        if key in section and hasattr(result, key) and getattr(result, key) != section[key]:
            return f"the baseline has {key} {section[key]!r}, this run {getattr(result, key)!r}"
    return ""


def regressions(result: JudgeEvalResult | PipelineEvalResult, baseline: dict[str, Any]) -> list[str]:
    """Headline figures of ``result`` that are worse than the baseline's, as readable lines (empty: none, or a run
    of another population than the baseline's, which says nothing about a regression)."""
    section = baseline.get(result.baseline_key)
    if not section or incomparable(result, baseline):
        return []
    out: list[str] = []
    if isinstance(result, JudgeEvalResult):
        pairs = [(result.baseline_key, k, v, section.get("figures", {}).get(k)) for k, v in result.headline().items()]
    else:
        pairs = []
        for v in result.variants:
            old = section.get("variants", {}).get(v.variant, {})
            pairs += [(f"pipeline/{v.variant}", k, val, old.get(k)) for k, val in v.headline().items()]
    for where, name, now, then in pairs:
        if _worse(name, now, then):
            out.append(f"{where} {name}: {now} is worse than the baseline {then}")
    return out
