"""Agreement metrics for the judge eval (accuracy, Cohen's κ, false passes/fails) and mean ± standard error.

"Positive" is *pass*: a false pass is a message the human failed on a criterion that we passed (the costly
error: a bad apology goes out); a false fail is the reverse (the user is told to fix something fine).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, Field

from .schema import Verdict


class CriterionMetrics(BaseModel):
    """Agreement with the human labels on one criterion."""

    id: str
    n: int
    accuracy: float | None
    kappa: float | None = Field(description="Cohen's κ; None when undefined (both raters used one class only).")
    true_pass: int
    true_fail: int
    false_pass: int
    false_fail: int


class SourceMetrics(BaseModel):
    """Per-criterion agreement for one verdict source (rules, llm or merged), with macro averages."""

    source: str
    n_messages: int
    criteria: dict[str, CriterionMetrics]
    macro_accuracy: float | None
    macro_kappa: float | None
    kappa_defined: int = Field(description="How many criteria have a defined κ (the macro κ averages those).")
    false_pass: int
    false_fail: int


def cohen_kappa(tp: int, tn: int, fp: int, fn: int) -> float | None:
    """Cohen's κ for two raters on a 2×2 table; None when chance agreement is 1 (κ is 0/0, undefined).

    ``tp``: both pass; ``tn``: both fail; ``fp``: predicted pass, label fail; ``fn``: predicted fail, label pass.
    """
    n = tp + tn + fp + fn
    if n == 0:
        return None
    observed = (tp + tn) / n
    label_pass, pred_pass = (tp + fn) / n, (tp + fp) / n
    expected = label_pass * pred_pass + (1 - label_pass) * (1 - pred_pass)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def criterion_metrics(cid: str, pairs: Iterable[tuple[Verdict, Verdict | None]]) -> CriterionMetrics:
    """Metrics from (label, prediction) pairs; pairs whose prediction is None (no verdict) are skipped."""
    tp = tn = fp = fn = 0
    for label, pred in pairs:
        if pred is None:
            continue
        if pred == "pass":
            tp, fp = (tp + 1, fp) if label == "pass" else (tp, fp + 1)
        else:
            tn, fn = (tn + 1, fn) if label == "fail" else (tn, fn + 1)
    n = tp + tn + fp + fn
    return CriterionMetrics(id=cid, n=n, accuracy=(tp + tn) / n if n else None, kappa=cohen_kappa(tp, tn, fp, fn),
                            true_pass=tp, true_fail=tn, false_pass=fp, false_fail=fn)


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def source_metrics(source: str, criteria: Sequence[str], labels: Sequence[Mapping[str, Verdict]],
                   predictions: Sequence[Mapping[str, Verdict | None]]) -> SourceMetrics:
    """Per-criterion and macro metrics of ``predictions`` against ``labels`` (parallel lists, one per message)."""
    per = {c: criterion_metrics(c, ((lab[c], pred.get(c)) for lab, pred in zip(labels, predictions, strict=True)))
           for c in criteria}
    kappas = [m.kappa for m in per.values() if m.kappa is not None]
    return SourceMetrics(source=source, n_messages=len(labels), criteria=per,
                         macro_accuracy=_mean(m.accuracy for m in per.values()), macro_kappa=_mean(kappas),
                         kappa_defined=len(kappas), false_pass=sum(m.false_pass for m in per.values()),
                         false_fail=sum(m.false_fail for m in per.values()))


class Stat(BaseModel):
    """A figure over repeats: the mean and its standard error (0 with one repeat)."""

    mean: float
    se: float = 0.0
    n: int = 1

    def fmt(self, digits: int = 2, scale: float = 1.0, unit: str = "") -> str:
        """``mean ± se`` (just the mean when there was one repeat)."""
        base = f"{self.mean * scale:.{digits}f}{unit}"
        return base if self.n < 2 else f"{base} ± {self.se * scale:.{digits}f}"


def mean_se(values: Sequence[float]) -> Stat:
    """Mean and standard error of the mean (sample standard deviation / √n)."""
    n = len(values)
    if n == 0:
        return Stat(mean=0.0, se=0.0, n=0)
    mean = sum(values) / n
    if n < 2:
        return Stat(mean=mean, se=0.0, n=n)
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    return Stat(mean=mean, se=math.sqrt(var / n), n=n)
