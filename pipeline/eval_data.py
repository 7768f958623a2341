"""The eval suite's datasets: labelled past messages and mistake scenarios, loaded strictly with pydantic.

Files live in ``evals/data/`` (``messages.jsonl``, ``scenarios.jsonl``). The evals folder is
``AMENDS_EVALS_DIR`` if set, else ``evals/`` next to the source tree, else ``evals/`` in the working directory
(an installed amends run from a clone).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import config
from .errors import InputError
from .rubric import CRITERIA_IDS
from .schema import Channel, Facts, Verdict

Split = Literal["dev", "test"]
M = TypeVar("M", bound=BaseModel)


class LabelledMessage(BaseModel):
    """A past apology labelled pass/fail on every rubric criterion by careful reading."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    channel: Channel = "email"
    text: str = Field(min_length=1)
    labels: dict[str, Verdict]
    notes: str = ""
    split: Split = "dev"

    @field_validator("labels")
    @classmethod
    def _every_criterion(cls, labels: dict[str, Verdict]) -> dict[str, Verdict]:
        missing = [c for c in CRITERIA_IDS if c not in labels]
        unknown = [c for c in labels if c not in CRITERIA_IDS]
        if missing or unknown:
            raise ValueError(f"labels must cover exactly the rubric's criteria (missing: {missing}, "
                             f"unknown: {unknown})")
        return {c: labels[c] for c in CRITERIA_IDS}


class Scenario(BaseModel):
    """A mistake to apologise for: the user's summary and facts, as `amends draft` takes them."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    facts: Facts = Field(default_factory=Facts)
    tags: list[str] = Field(default_factory=list)


def evals_dir() -> Path:
    """The evals folder (datasets, cassettes, baseline); see the module docstring for how it is found."""
    override = config.env("EVALS_DIR")
    if override:
        return Path(override)
    beside_source = Path(__file__).resolve().parent.parent / "evals"
    if (beside_source / "data").is_dir():
        return beside_source
    return Path.cwd() / "evals"


def load_jsonl(path: Path, model: type[M]) -> list[M]:
    """Read a JSONL file into ``model`` instances; a bad line or a duplicate id is an InputError naming the line."""
    if not path.is_file():
        raise InputError("dataset not found", source=str(path),
                         hint="run from the amends checkout or set AMENDS_EVALS_DIR to its evals/ folder")
    items: list[M] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = model.model_validate(json.loads(line))
        except ValueError as exc:  # json.JSONDecodeError and pydantic's ValidationError are both ValueErrors
            detail = exc.errors()[0] if isinstance(exc, ValidationError) else None
            msg = (f"{'.'.join(map(str, detail['loc']))}: {detail['msg']}" if detail else str(exc).splitlines()[0])
            raise InputError(f"line {lineno}: {msg}", source=str(path), hint="fix the dataset line") from None
        ident = str(getattr(item, "id", lineno))
        if ident in seen:
            raise InputError(f"line {lineno}: duplicate id {ident!r}", source=str(path), hint="ids must be unique")
        seen.add(ident)
        items.append(item)
    return items


def load_messages(path: Path | None = None, split: str = "all") -> list[LabelledMessage]:
    """The labelled messages, filtered to ``split`` (``dev``, ``test`` or ``all``)."""
    items = load_jsonl(path or evals_dir() / "data" / "messages.jsonl", LabelledMessage)
    return items if split == "all" else [m for m in items if m.split == split]


def load_scenarios(path: Path | None = None, limit: int | None = None) -> list[Scenario]:
    """The mistake scenarios, the first ``limit`` of them when given."""
    items = load_jsonl(path or evals_dir() / "data" / "scenarios.jsonl", Scenario)
    return items[:limit] if limit else items


def ids(items: Sequence[BaseModel]) -> list[str]:
    """The ids of dataset items, in order."""
    return [str(getattr(i, "id", "")) for i in items]
