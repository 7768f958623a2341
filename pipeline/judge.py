"""Critique = deterministic checks + one structured LLM-judge call, merged per criterion.

Merge rule (why our judgments beat a bare LLM judge): a deterministic fail always wins; a pass the rules
back with positive evidence stands; the judge decides only where the rules are unsure, and a judge
"fail" on a no-violation criterion counts only when its evidence quote really occurs in the message
(small judges invent quotes). A message that tries to instruct the judge is judged by the rules alone.
A judge calibrated against the labelled dev set (``pipeline.judge_trust``) decides only the criteria where
its measured κ reached the bar; elsewhere its verdict is shown as "not counted".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from .chains import CallResult, astructured_call, structured_call
from .checks import analyse
from .grounding import check_grounding
from .judge_trust import kappas_for, trusted
from .models import ModelHandle
from .prompts import DEFAULT_VARIANT, load_variant
from .rubric import CRITERIA_IDS, Rubric, load_rubric
from .schema import CallStats, CriterionResult, Critique, Evidence, JudgeItem, RuleFinding

#: Criteria that pass when nothing is wrong: the judge must point at the offending words to fail them.
NEGATIVE = {"no_blame", "no_excuses", "proportionate", "calm_courteous"}


# One criterion in the judge's tool call. No docstring or descriptions on purpose: the schema is inlined 12
# times into the prompt of llama.cpp's function-calling template, so every word costs ~12 prompt tokens.
# Lengths are capped so a small model cannot ramble.
class JudgeAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    verdict: Literal["pass", "fail"]
    evidence: str = Field("", max_length=100)
    fix: str = Field("", max_length=80)


@lru_cache(maxsize=1)
def judge_schema() -> type[BaseModel]:
    """The judge's tool schema: one JudgeAnswer per criterion id, all required, in rubric order."""
    fields: dict[str, Any] = {cid: (JudgeAnswer, ...) for cid in CRITERIA_IDS}
    model = create_model("RubricVerdicts", __doc__="Verdicts for every rubric criterion.", **fields)
    return model


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """True when the judge's quote (normalised, at least three words or 12 characters) occurs in the text."""
    q = _norm(quote)
    return len(q) >= 12 and q in _norm(text)


def merge(rubric: Rubric, rules: dict[str, RuleFinding], judged: dict[str, JudgeItem] | None,
          text: str, kappas: dict[str, float | None] | None = None) -> dict[str, CriterionResult]:
    """Merge rule findings with the judge's verdicts per criterion (see the module docstring).

    ``kappas`` is the judge's calibration (``pipeline.judge_trust``): where its κ is below the bar, its verdict
    is kept for display but decides nothing.
    """
    out: dict[str, CriterionResult] = {}
    for c in rubric.criteria:
        rule = rules[c.id]
        item = judged.get(c.id) if judged else None
        base = {"id": c.id, "title": c.title, "required": c.required, "weight": c.weight,
                "rule_verdict": rule.verdict, "llm_verdict": item.verdict if item else None}
        evidence = list(rule.evidence)
        if rule.verdict == "fail":
            agree = item is not None and item.verdict == "fail"
            out[c.id] = CriterionResult(**base, verdict="fail", source="rules+llm" if agree else "rules",
                                        evidence=evidence, fix=rule.fix or (item.fix if item else ""))
            continue
        if rule.verdict == "pass" and rule.strong:
            note = "judge disagreed; rule evidence kept" if item and item.verdict == "fail" else ""
            out[c.id] = CriterionResult(**base, verdict="pass", source="rules+llm" if item else "rules",
                                        evidence=evidence, note=note)
            continue
        distrusted = item is not None and not trusted(kappas, c.id)
        if item is not None and not distrusted:
            grounded = quote_in_text(item.evidence, text)
            if item.verdict == "fail" and c.id in NEGATIVE and not grounded:
                out[c.id] = CriterionResult(**base, verdict="pass", source="rules", evidence=evidence,
                                            note="judge's fail ignored: its quote is not in the message")
                continue
            if grounded:
                start = _norm(text).find(_norm(item.evidence))
                evidence.append(Evidence(quote=item.evidence, detector="llm_judge", start=-1, end=-1,
                                         note="quoted by the judge" if start >= 0 else ""))
            out[c.id] = CriterionResult(**base, verdict=item.verdict, source="llm", evidence=evidence,
                                        fix=item.fix if item.verdict == "fail" else "")
            continue
        # No (trusted) judge: weak rule passes stand, unknowns fail for criteria that need something present.
        verdict = "pass" if rule.verdict == "pass" else "fail"
        note = "" if rule.verdict == "pass" else "rules could not confirm it; no judge"
        if distrusted and item is not None:
            k = kappas.get(c.id) if kappas else None
            note = (f"judge's {item.verdict} not counted: its κ on the labelled dev set is "
                    f"{'undefined' if k is None else f'{k:.2f}'}")
        out[c.id] = CriterionResult(**base, verdict=verdict, source="rules" if rule.verdict == "pass" else "default",
                                    evidence=evidence, fix=rule.fix if verdict == "fail" else "", note=note)
    return out


def assemble(rubric: Rubric, text: str, rules: dict[str, RuleFinding], result: CallResult[Any] | None,
             judge: ModelHandle | None, sources: Iterable[str] | None, warnings: list[str],
             variant: str = DEFAULT_VARIANT) -> Critique:
    """Build the Critique from rules, the judge's call result and the grounding guard."""
    judged: dict[str, JudgeItem] | None = None
    calls: list[CallStats] = []
    if result is not None:
        calls = result.calls
        if result.value is not None:
            judged = {cid: JudgeItem(verdict=getattr(result.value, cid).verdict,
                                     evidence=getattr(result.value, cid).evidence, fix=getattr(result.value, cid).fix)
                      for cid in CRITERIA_IDS}
        else:
            warnings.append(f"the judge's answer was invalid after a retry ({result.error[:120]}); "
                            "this round was judged by the rules alone")
    merged = merge(rubric, rules, judged, text, kappas_for(judge, variant) if judged else None)
    grounding = check_grounding(text, list(sources)) if sources is not None else []
    failed = [cid for cid, r in merged.items() if r.verdict == "fail"]
    return Critique(criteria=merged, grounding=grounding, score=rubric.score({k: v.verdict == "pass"
                                                                              for k, v in merged.items()}),
                    required_pass=not any(merged[cid].verdict == "fail" for cid in rubric.required_ids),
                    failed=failed, judge_model=judge.name if judge else None, judge_ok=judged is not None,
                    calls=calls, warnings=warnings)


def _prepare(text: str, judge: ModelHandle | None) -> tuple[dict[str, RuleFinding], list[str], bool]:
    rules, injection = analyse(text)
    warnings: list[str] = []
    if injection:
        warnings.append(f"the message contains instructions to the judge ({injection[0].quote[:60]!r}); "
                        "judged by the rules alone")
    return rules, warnings, judge is not None and not injection


def _values(rubric: Rubric, text: str) -> dict[str, str]:
    return {"rubric": rubric.as_prompt_text(), "message": text}


def critique(text: str, *, judge: ModelHandle | None = None, sources: Iterable[str] | None = None,
             variant: str = DEFAULT_VARIANT, skip_judge_if_failing: bool = False) -> Critique:
    """Critique ``text``: rules, plus one judge call when ``judge`` is given; grounding when ``sources`` are.

    With ``skip_judge_if_failing`` the judge is not called when the rules already fail a required
    criterion or the grounding guard fires (a revision is certain then), which saves a call in the loop.
    """
    rubric = load_rubric()
    rules, warnings, use_judge = _prepare(text, judge)
    if use_judge and skip_judge_if_failing and (any(rules[c].verdict == "fail" for c in rubric.required_ids)
                                                or (sources is not None and check_grounding(text, list(sources)))):
        use_judge = False
    result = None
    if use_judge and judge is not None:
        prompt = load_variant(variant).critique
        result = structured_call(judge, prompt, _values(rubric, text), judge_schema(), step="critique")
    return assemble(rubric, text, rules, result, judge if use_judge else None, sources, warnings, variant)


async def acritique(text: str, *, judge: ModelHandle | None = None, sources: Iterable[str] | None = None,
                    variant: str = DEFAULT_VARIANT) -> Critique:
    """Async twin of ``critique`` for batch evaluation (one judge call per message at most)."""
    rubric = load_rubric()
    rules, warnings, use_judge = _prepare(text, judge)
    result = None
    if use_judge and judge is not None:
        prompt = load_variant(variant).critique
        result = await astructured_call(judge, prompt, _values(rubric, text), judge_schema(), step="critique")
    return assemble(rubric, text, rules, result, judge if use_judge else None, sources, warnings, variant)
