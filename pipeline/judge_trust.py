"""Calibrated trust in the LLM judge: per criterion, how well a judge model agreed with the human labels.

`amends eval judge --calibrate` measures the judge alone against the **dev** split of the labelled messages
and writes Cohen's κ per criterion to ``prompts/judge_trust.json``, keyed by the judge model and a digest of
what it is asked (the critique prompt, the rubric and the judge's tool schema), so variants sharing a critique
prompt share the calibration. The merge (``pipeline.judge.merge``) then lets the judge decide a criterion the
rules leave open only where its κ reached ``MIN_KAPPA``; elsewhere its verdict is shown but does not count. A
model that was never calibrated is trusted (there is nothing to go on), so a strong remote judge works out of
the box.

Why: a generic LLM-as-judge is only as good as the model. The embedded 135M model agrees with the labels at
chance level (κ ≈ 0.03 on dev); letting it overrule anything only adds noise.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from .errors import PromptError
from .models import ModelHandle
from .prompts import load_variant, prompts_dir

#: Cohen's κ a judge must reach on a criterion (dev split) before its verdict counts: "moderate agreement".
MIN_KAPPA = 0.4
FILE_NAME = "judge_trust.json"


def trust_key(handle: ModelHandle) -> str:
    """The judge's identity for calibration: the served GGUF for the embedded model, else the model spec."""
    if handle.is_local:
        from .local_server import gguf_path

        return f"local:{gguf_path().name}"
    return handle.name


def _path() -> Path:
    return prompts_dir() / FILE_NAME


def _entry_key(model_key: str, variant: str) -> str:
    from .chains import tool_spec
    from .judge import judge_schema

    v = load_variant(variant)
    rubric = (prompts_dir() / "rubric.yaml").read_bytes()
    tool = json.dumps(tool_spec(judge_schema()), sort_keys=True).encode()  # the judge also reads its tool schema
    digest = hashlib.sha256(v.critique.model_dump_json().encode() + rubric + tool).hexdigest()[:12]
    return f"{model_key} critique:{digest}"


def load_trust() -> dict[str, dict[str, float | None]]:
    """Every calibration: "<model key> critique:<digest>" -> criterion id -> κ (None: undefined)."""
    path = _path()
    if not path.is_file():
        return {}
    return _read(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)  # batch critiques thousands of messages; re-read only when the file changes
def _read(path: Path, _mtime: int) -> dict[str, dict[str, float | None]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {key: dict(entry["kappa"]) for key, entry in data.items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise PromptError(f"{path} is not a valid judge calibration file ({exc})",
                          hint="delete it and run `amends eval judge --calibrate` again") from None


def kappas_for(handle: ModelHandle | None, variant: str) -> dict[str, float | None] | None:
    """The calibrated κ per criterion for ``handle`` as a judge of ``variant``, or None when never calibrated."""
    if handle is None:
        return None
    return load_trust().get(_entry_key(trust_key(handle), variant))


def trusted(kappas: dict[str, float | None] | None, criterion: str) -> bool:
    """True when the judge's verdict on ``criterion`` may count (uncalibrated judges are trusted)."""
    if kappas is None or criterion not in kappas:
        return True
    kappa = kappas[criterion]
    return kappa is not None and kappa >= MIN_KAPPA


def save_trust(variant: str, model_key: str, kappas: dict[str, float | None], n_messages: int) -> Path:
    """Write (or replace) the calibration of judge ``model_key`` with ``variant``'s critique; returns the path."""
    path = _path()
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data[_entry_key(model_key, variant)] = {
        "kappa": {cid: None if k is None else round(k, 3) for cid, k in kappas.items()},
        "split": "dev", "messages": n_messages, "min_kappa": MIN_KAPPA, "measured": date.today().isoformat()}
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
