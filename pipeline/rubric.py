"""The rubric: loaded from prompts/rubric.yaml, validated, and cached."""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import PromptError
from .prompts import load_yaml, prompts_dir

#: The public contract: criterion ids in rubric order. rubric.yaml must use exactly these.
CRITERIA_IDS = (
    "owns_mistake", "no_blame", "no_excuses", "clear_apology", "concrete_fix", "timeline",
    "prevention", "proportionate", "make_good", "asks_forgiveness", "calm_courteous", "direct_contact",
)


class Criterion(BaseModel):
    """One rubric criterion."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    question: str
    description: str
    required: bool
    weight: float
    sources: list[str]
    pass_example: str
    fail_example: str


class Rubric(BaseModel):
    """The whole rubric, in order."""

    model_config = ConfigDict(extra="forbid")

    version: int
    criteria: list[Criterion]

    def by_id(self) -> dict[str, Criterion]:
        """Criteria keyed by id."""
        return {c.id: c for c in self.criteria}

    @property
    def required_ids(self) -> list[str]:
        """Ids of the required criteria."""
        return [c.id for c in self.criteria if c.required]

    def score(self, passed: dict[str, bool]) -> float:
        """Weighted percentage of criteria that pass."""
        total = sum(c.weight for c in self.criteria)
        got = sum(c.weight for c in self.criteria if passed.get(c.id))
        return round(100.0 * got / total, 1) if total else 0.0

    def as_prompt_text(self) -> str:
        """The rubric as compact text for prompts: one question per criterion (short prompts for small models)."""
        return "\n".join(f"- {c.id}: {c.question}" for c in self.criteria)


@lru_cache(maxsize=4)
def _load(path: str) -> Rubric:
    from pathlib import Path

    raw = load_yaml(Path(path))
    try:
        rubric = Rubric.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PromptError(f"{path}: {'.'.join(map(str, err['loc']))}: {err['msg']}", hint="fix rubric.yaml") from None
    ids = tuple(c.id for c in rubric.criteria)
    if ids != CRITERIA_IDS:
        raise PromptError(f"{path}: criterion ids must be exactly {', '.join(CRITERIA_IDS)}",
                          hint="ids are a public contract; change titles and descriptions, not ids")
    return rubric


def load_rubric() -> Rubric:
    """The rubric from prompts/rubric.yaml."""
    return _load(str(prompts_dir() / "rubric.yaml"))
