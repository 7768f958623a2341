"""Running the eval suite: the judge eval over labelled messages and the pipeline eval over scenarios.

Both run every model call through :class:`~pipeline.eval_record.Recorder` (replay by default, ``record=True``
to re-record). Results are pydantic models, so the CLI renders them and writes them as JSON unchanged.
Headline figures are compared with ``evals/baseline.json`` by :mod:`pipeline.eval_baseline`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from .errors import AmendsError
from .eval_data import evals_dir, load_messages, load_scenarios
from .eval_metrics import SourceMetrics, Stat, mean_se, source_metrics
from .eval_record import Recorder, model_env
from .judge import critique
from .judge_trust import save_trust, trust_key
from .loop import review
from .prompts import DEFAULT_VARIANT, load_variant
from .rubric import CRITERIA_IDS
from .schema import Verdict

#: progress(done, total, label): called after each case.
Progress = Callable[[int, int, str], None]
Mode = Literal["record", "replay", "rules-only"]


def cassettes_dir() -> Path:
    """Where the eval suite's cassettes live: ``<evals>/cassettes``."""
    return evals_dir() / "cassettes"


class MessageOutcome(BaseModel):
    """One labelled message: the human labels and each source's verdicts (``llm``/``merged`` empty: rules only)."""

    id: str
    split: str
    channel: str
    labels: dict[str, Verdict]
    rules: dict[str, Verdict]
    llm: dict[str, Verdict | None]
    merged: dict[str, Verdict]
    judge_ok: bool
    warnings: list[str]
    latency_s: float | None = None


class JudgeEvalResult(BaseModel):
    """Agreement of rules alone, the LLM judge alone and the merged critique with the human labels.

    A rules-only run (no model, no cassettes) has ``llm`` and ``merged`` set to None.
    """

    kind: Literal["judge"] = "judge"
    model: str | None
    variant: str
    digest: str
    split: str
    limit: int | None = None
    mode: Mode
    n_messages: int
    llm_answered: int
    rules: SourceMetrics
    llm: SourceMetrics | None
    merged: SourceMetrics | None
    rules_by_split: dict[str, SourceMetrics]
    messages: list[MessageOutcome]
    elapsed_s: float
    recorded_latency_s: float | None = None
    judge_key: str | None = Field(None, description="The judge's calibration key (pipeline.judge_trust).")

    @property
    def baseline_key(self) -> str:
        """Its section in the baseline: ``judge``, or ``judge_rules`` for a rules-only run."""
        return "judge_rules" if self.merged is None else "judge"

    def headline(self) -> dict[str, float | None]:
        """The figures the baseline guards."""
        out = {"rules_macro_accuracy": self.rules.macro_accuracy, "rules_macro_kappa": self.rules.macro_kappa}
        if self.merged is not None:
            out |= {"merged_macro_accuracy": self.merged.macro_accuracy, "merged_macro_kappa": self.merged.macro_kappa}
        return out


def _verdicts(crit_criteria: dict, attr: str) -> dict:
    return {cid: getattr(r, attr) for cid, r in crit_criteria.items()}


def run_judge_eval(*, model: str | None = "local", variant: str = DEFAULT_VARIANT, split: str = "all",
                   record: bool = False, only_missing: bool = False, limit: int | None = None,
                   messages_path: Path | None = None, root: Path | None = None,
                   progress: Progress | None = None) -> JudgeEvalResult:
    """Critique every labelled message (rules alone, then rules + judge) and measure agreement with the labels.

    ``model=None`` runs the rules alone (no model, no cassettes). ``limit`` keeps the first N messages of the
    split; ``only_missing`` records only cases without a cassette.
    """
    started = time.perf_counter()
    messages = load_messages(messages_path, split)[:limit] if limit else load_messages(messages_path, split)
    digest = load_variant(variant).digest
    rec = Recorder("judge", variant, model or "rules", record, root or cassettes_dir(), only_missing)
    timings = rec.load_timings() if model else {}
    outcomes: list[MessageOutcome] = []
    with model_env(record, model) if model else contextlib.nullcontext():
        handle = rec.resolve() if model else None
        for i, m in enumerate(messages, start=1):
            rules_only = critique(m.text, judge=None, variant=variant)
            crit = None
            if handle is not None:
                t0 = time.perf_counter()
                with rec.case(m.id) as recording:
                    crit = critique(m.text, judge=handle, variant=variant)
                if recording:  # saved per case, so an interrupted recording keeps its timings
                    timings[m.id] = time.perf_counter() - t0
                    rec.save_timings({m.id: timings[m.id]})
            outcomes.append(MessageOutcome(
                id=m.id, split=m.split, channel=m.channel, labels=m.labels,
                rules=_verdicts(rules_only.criteria, "verdict"),
                llm=_verdicts(crit.criteria, "llm_verdict") if crit else {},
                merged=_verdicts(crit.criteria, "verdict") if crit else {}, judge_ok=bool(crit and crit.judge_ok),
                warnings=(crit or rules_only).warnings,
                latency_s=round(timings[m.id], 3) if m.id in timings else None))
            if progress:
                progress(i, len(messages), m.id)

    def metrics(source: str, rows: Sequence[MessageOutcome]) -> SourceMetrics:
        preds = [getattr(o, source) for o in rows]
        return source_metrics(source, CRITERIA_IDS, [o.labels for o in rows], preds)

    by_split = {s: metrics("rules", [o for o in outcomes if o.split == s])
                for s in ("dev", "test") if any(o.split == s for o in outcomes)}
    latencies = [o.latency_s for o in outcomes if o.latency_s is not None]
    mode: Mode = "rules-only" if model is None else "record" if record else "replay"
    return JudgeEvalResult(
        model=model, variant=variant, digest=digest, split=split, limit=limit, mode=mode,
        n_messages=len(outcomes), llm_answered=sum(o.judge_ok for o in outcomes), rules=metrics("rules", outcomes),
        llm=metrics("llm", outcomes) if model else None, merged=metrics("merged", outcomes) if model else None,
        rules_by_split=by_split, messages=outcomes, elapsed_s=round(time.perf_counter() - started, 3),
        recorded_latency_s=round(sum(latencies), 3) if latencies else None,
        judge_key=trust_key(handle) if handle is not None else None)


def calibrate_judge(result: JudgeEvalResult) -> Path:
    """Write the judge's per-criterion κ on the **dev** messages of ``result`` as its calibration (judge_trust)."""
    dev = [o for o in result.messages if o.split == "dev" and o.judge_ok]
    if result.judge_key is None or not dev:
        raise AmendsError("calibration needs a judge run that covers dev messages",
                        hint="run `amends eval judge --calibrate` with a model and --split dev or all")
    llm = source_metrics("llm", CRITERIA_IDS, [o.labels for o in dev], [o.llm for o in dev])
    return save_trust(result.variant, result.judge_key, {cid: m.kappa for cid, m in llm.criteria.items()}, len(dev))


class ScenarioOutcome(BaseModel):
    """One review of one scenario with one variant (one repeat)."""

    id: str
    variant: str
    repeat: int
    rounds: int
    accepted: bool
    required_pass: bool
    score: float
    grounding: int
    failed: list[str]
    llm_calls: int
    tokens: int
    latency_s: float
    stop_reason: str
    final_text: str


class VariantSummary(BaseModel):
    """A prompt variant's pipeline figures; each is a mean over repeats with its standard error."""

    variant: str
    digest: str
    mode: str
    n_scenarios: int
    repeats: int
    required_pass_rate: Stat
    accepted_rate: Stat
    mean_score: Stat
    grounding_violations: Stat
    mean_rounds: Stat
    llm_calls: Stat
    tokens: Stat
    latency_s: Stat
    latency_source: Literal["recorded", "measured", "unknown"]

    def headline(self) -> dict[str, float]:
        """The figures the baseline guards for this variant."""
        return {"required_pass_rate": self.required_pass_rate.mean, "mean_score": self.mean_score.mean,
                "grounding_violations": self.grounding_violations.mean}


class PipelineEvalResult(BaseModel):
    """draft → critique → revise over the scenarios, one VariantSummary per prompt variant."""

    kind: Literal["pipeline"] = "pipeline"
    model: str
    mode: Mode
    limit: int | None
    repeats: int
    variants: list[VariantSummary]
    scenarios: list[ScenarioOutcome]
    elapsed_s: float

    @property
    def baseline_key(self) -> str:
        """Its section in the baseline."""
        return "pipeline"


def _summarise(variant: str, digest: str, mode: str, rows: list[ScenarioOutcome], repeats: int,
               latency_source: Literal["recorded", "measured", "unknown"]) -> VariantSummary:
    def per_repeat(fn: Callable[[list[ScenarioOutcome]], float]) -> Stat:
        values = []
        for r in range(repeats):
            subset = [o for o in rows if o.repeat == r]
            if subset:
                values.append(fn(subset))
        return mean_se(values)

    def avg(attr: str) -> Callable[[list[ScenarioOutcome]], float]:
        return lambda xs: sum(float(getattr(x, attr)) for x in xs) / len(xs)

    n = len({o.id for o in rows})
    return VariantSummary(
        variant=variant, digest=digest, mode=mode, n_scenarios=n, repeats=repeats,
        required_pass_rate=per_repeat(avg("required_pass")), accepted_rate=per_repeat(avg("accepted")),
        mean_score=per_repeat(avg("score")), grounding_violations=per_repeat(lambda xs: float(sum(x.grounding
                                                                                                 for x in xs))),
        mean_rounds=per_repeat(avg("rounds")), llm_calls=per_repeat(avg("llm_calls")), tokens=per_repeat(avg("tokens")),
        latency_s=per_repeat(avg("latency_s")), latency_source=latency_source)


def run_pipeline_eval(*, variants: Sequence[str] = (DEFAULT_VARIANT,), model: str = "local", repeats: int = 1,
                      limit: int | None = None, record: bool = False, only_missing: bool = False, max_rounds: int = 3,
                      scenarios_path: Path | None = None, root: Path | None = None,
                      progress: Progress | None = None) -> PipelineEvalResult:
    """Review every scenario with each prompt variant (``repeats`` times each) and summarise per variant.

    All repeats of one scenario share its cassette (vcr replays identical requests in recorded order).
    """
    started = time.perf_counter()
    scenarios = load_scenarios(scenarios_path, limit)
    repeats = max(1, int(repeats))
    summaries: list[VariantSummary] = []
    outcomes: list[ScenarioOutcome] = []
    total, done = len(scenarios) * len(variants), 0
    with model_env(record, model):
        for name in variants:
            v = load_variant(name)
            rec = Recorder("pipeline", name, model, record, root or cassettes_dir(), only_missing)
            timings = rec.load_timings()
            measured: dict[str, float] = {}
            rows: list[ScenarioOutcome] = []
            handle = rec.resolve()
            try:
                for s in scenarios:
                    with rec.case(s.id) as recording:
                        for r in range(repeats):
                            result = review(s.summary, s.facts, model=handle, judge_model=handle,
                                            max_rounds=max_rounds, variant=name)
                            final = result.rounds[-1].critique
                            latency = result.latency_s if recording else timings.get(s.id, result.latency_s)
                            rows.append(ScenarioOutcome(
                                id=s.id, variant=name, repeat=r, rounds=len(result.rounds), accepted=result.accepted,
                                required_pass=final.required_pass, score=final.score, grounding=len(final.grounding),
                                failed=final.failed, llm_calls=result.llm_calls, tokens=result.tokens,
                                latency_s=latency, stop_reason=result.stop_reason, final_text=result.final_text))
                    if recording:
                        measured[s.id] = sum(o.latency_s for o in rows if o.id == s.id) / repeats
                        rec.save_timings({s.id: measured[s.id]})
                    done += 1
                    if progress:
                        progress(done, total, f"{name}/{s.id}")
            finally:
                if record and measured:
                    rec.save_timings(measured)
            known = timings | measured
            source: Literal["recorded", "measured", "unknown"] = (
                "measured" if record else "recorded" if all(s.id in known for s in scenarios) else "unknown")
            summaries.append(_summarise(name, v.digest, "record" if record else "replay", rows, repeats, source))
            outcomes.extend(rows)
    return PipelineEvalResult(model=model, mode="record" if record else "replay", limit=limit, repeats=repeats,
                              variants=summaries, scenarios=outcomes, elapsed_s=round(time.perf_counter() - started, 3))
