"""amends: write the apology to a client after a mistake — draft, critique against the rubric, revise.

Public API (usable without the CLI)::

    from pipeline import review, critique, Facts
    result = review("I sent Ms Rivera the wrong invoice.", facts=Facts(deadline="by Friday"))
    print(result.final_text)
    verdict = critique("I am sorry if you were upset.", rules_only=True)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import AmendsError

if TYPE_CHECKING:
    from .schema import Critique, Facts, Review, Round

__all__ = ["AmendsError", "Critique", "Facts", "Review", "Round", "critique", "review"]


def __getattr__(name: str) -> Any:
    # The models load lazily (PEP 562): the CLI imports pipeline.config first, and a command that a warm
    # `amends serve` process runs should not pay for pydantic before handing itself over.
    if name in ("Critique", "Facts", "Review", "Round"):
        from . import schema

        return getattr(schema, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def critique(text: str, *, model: str | None = None, rules_only: bool = False,
             sources: Iterable[str] | None = None, variant: str = "default") -> Critique:
    """Critique an existing message against the rubric: rules plus one LLM-judge call (none with ``rules_only``).

    ``model`` is a model spec (``local``, ``openai:gpt-4o-mini`` …; default AMENDS_MODEL or ``local``).
    ``sources`` turns on the grounding guard: specifics in ``text`` absent from every source are flagged.
    """
    from .inputs import check_text
    from .judge import critique as _critique
    from .models import resolve_model

    text = check_text(text, "message")
    judge = None if rules_only else resolve_model(model)
    return _critique(text, judge=judge, sources=sources, variant=variant)


def review(summary: str, facts: Facts | None = None, *, model: str | None = None, judge_model: str | None = None,
           max_rounds: int = 3, variant: str = "default") -> Review:
    """Draft → critique → revise an apology for ``summary`` until every required criterion passes."""
    from .loop import review as _review

    return _review(summary, facts, model=model, judge_model=judge_model, max_rounds=max_rounds, variant=variant)
