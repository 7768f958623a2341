"""The review loop, a small function of state: draft → critique → (revise → critique)… with an explicit stop rule.

Stop when every required criterion passes and the grounding guard is clean, or after ``max_rounds``.
Every round is returned. In compose mode the model only writes the admission sentence; when a revised
sentence still breaks a rule or invents a fact, a deterministic repair puts the user's own summary in its
place, so the final text never depends on a small model behaving.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from . import config
from .chains import structured_call
from .checks import run_rules
from .compose import admission_sentence, compose, find_placeholders
from .grounding import check_grounding
from .inputs import check_text
from .judge import critique
from .models import ModelHandle, resolve_model
from .prompts import DEFAULT_VARIANT, Variant, load_variant
from .schema import CallStats, Critique, Facts, Placeholder, Review, Round

Event = Callable[[str, Any], None]
_FIRST_PERSON = re.compile(r"^(I|We)\b(?!\s+(?:think|guess|believe|feel)\b)")
_ECHO = re.compile(r"first person|active voice|one sentence|addressed to the client", re.IGNORECASE)


# The tool schemas the model sees. No field descriptions: a 135M model copies them into its answer.
class Admission(BaseModel):
    """The sentence."""

    sentence: str = Field(min_length=8, max_length=300)


class Message(BaseModel):
    """The message."""

    # No max_length: llama.cpp turns maxLength into a grammar nested that deep and segfaults at 3,000;
    # max_tokens in the prompt file bounds the length instead.
    message: str = Field(min_length=20)


# A sentence ends at . ! ? and a space, but not after a title ("Ms. Rivera").
_SENTENCE_END = re.compile(r"(?<!\bMs\.)(?<!\bMr\.)(?<!\bDr\.)(?<!\bMrs\.)(?<!\bMx\.)(?<=[.!?])\s+(?=\S)")


_PAST_VERB = re.compile(r"^(?:[a-z]+ed|sent|forgot|missed|made|lost|gave|told|wrote|took|left|put|sold|paid|"
                        r"brought|bought|spent|shipped|snapped|broke|mixed|ran|let|got)\b")


def own_words_admission(summary: str) -> str | None:
    """The user's first sentence when it already admits the mistake in the first person, else None.

    "I charged Ms Rivera twice." is used as written; "missed the deadline for Dana's report" gets its
    missing "I". Passive or third-person summaries return None: those need the model to rewrite them.
    """
    first = _SENTENCE_END.split(summary.strip())[0].strip().rstrip(".!")
    if _FIRST_PERSON.match(first) and len(first.split()) >= 3:
        return framed_as_mistake(first + ".")
    if _PAST_VERB.match(first) and len(first.split()) >= 3:
        return framed_as_mistake(f"I {first}.")
    return None


def framed_as_mistake(sentence: str) -> str:
    """``sentence`` as it is when the rules read it as owning a mistake, else framed as one.

    "I sent Dana the Q3 report with last quarter's figures." says what happened but not that it was wrong, so
    the rules cannot confirm ownership and, with no trusted judge, every round would fail it;
    "I made a mistake: I sent Dana the Q3 report with last quarter's figures." says both, in the user's words.
    """
    if run_rules(sentence)["owns_mistake"].verdict == "pass":
        return sentence
    head = sentence if sentence.startswith("I ") or sentence[:2].isupper() else sentence[0].lower() + sentence[1:]
    return f"I made a mistake: {head}"


def fallback_admission(summary: str, generic: str | None = None, sources: list[str] | None = None) -> str:
    """A deterministic first-person admission built from the user's own summary (used as a repair).

    Compose then addresses it to the client ("the client's" → "your", the recipient's name → "you"). When
    ``generic`` is given and the summary-based sentence would itself break a rule (a summary that blames
    "our booking app", say), the variant's generic admission is used instead.
    """
    first = _SENTENCE_END.split(summary.strip())[0].strip().rstrip(".!")
    if _FIRST_PERSON.match(first):
        sentence = framed_as_mistake(first + ".")
    else:
        lowered = first[0].lower() + first[1:] if not first[:2].isupper() else first
        if _PAST_VERB.match(lowered):  # "called her Sarah" -> "I made a mistake: I called her Sarah."
            lowered = f"I {lowered}"
        sentence = f"I made a mistake: {lowered}."
    if generic and admission_failures(sentence, sources if sources is not None else [summary]):
        return generic
    return sentence


# Function words and admission vocabulary a faithful restatement may add to the user's note.
_FUNCTION_WORDS = frozenset([
    "a", "an", "the", "i", "we", "you", "your", "yours", "my", "our", "me", "us", "it", "its", "this", "that",
    "these", "those", "and", "or", "but", "so", "to", "of", "for", "in", "on", "at", "by", "with", "from", "as",
    "into", "onto", "over", "under", "about", "after", "before", "than", "then", "when", "while", "was", "were",
    "is", "are", "be", "been", "being", "have", "has", "had", "do", "did", "done", "not", "no", "yes", "all",
    "any", "some", "every", "each", "both", "also", "just", "only", "very", "too", "again", "wrong", "wrongly",
    "mistake", "mistakes", "error", "errors", "sorry", "apologise", "apologize", "truly", "really", "made", "make",
    "sent", "send", "forgot", "forget", "missed", "miss", "instead",
])
_WORD = re.compile(r"[a-z][a-z'-]+")


def unsupported_words(sentence: str, sources: list[str]) -> list[str]:
    """Content words in ``sentence`` that appear in none of ``sources`` (matched on a 5-letter stem).

    The grounding guard catches invented numbers and names; this catches invented events ("with a tool
    call that was invalid") in the one sentence a small model writes.
    """
    stems = {w[:5] for src in sources for w in _WORD.findall(src.lower())}
    return [w for w in dict.fromkeys(_WORD.findall(sentence.lower()))
            if w not in _FUNCTION_WORDS and len(w) > 2 and w[:5] not in stems]


def facts_text(facts: Facts) -> str:
    """The user's facts as 'field: value' lines for prompts."""
    known = facts.known()
    return "\n".join(f"{k}: {v}" for k, v in known.items()) or "(none given)"


def grounding_sources(summary: str, facts: Facts, variant: Variant) -> list[str]:
    """Everything a draft may legitimately contain: the user's words and our own letter frames."""
    frames = [v for v in variant.phrases.values()]
    return [summary, *facts.known().values(), *frames]


def problems_text(crit: Critique) -> str:
    """The failed criteria, their evidence and fixes, and grounding issues, as lines for the reviser."""
    lines = []
    for cid in crit.failed:
        r = crit.criteria[cid]
        if not r.required:
            continue
        quote = f' (evidence: "{r.evidence[0].quote}")' if r.evidence else ""
        lines.append(f"- {r.title}{quote}: {r.fix or 'fix this'}")
    for g in crit.grounding:
        lines.append(f'- "{g.quote}" is not in the note: remove it')
    return "\n".join(lines) or "- none"


#: What the admission sentence can break; the other required criteria come from the user's facts.
ADMISSION_CRITERIA = ("owns_mistake", "no_blame", "no_excuses", "proportionate", "calm_courteous")


def admission_failures(sentence: str, sources: list[str]) -> list[str]:
    """Rule failures and invented specifics in the admission sentence alone (no model call)."""
    rules = run_rules(sentence)
    bad = [cid for cid in ADMISSION_CRITERIA if rules[cid].verdict == "fail"]
    if check_grounding(sentence, sources):
        bad.append("grounding")
    return bad


class _Step:
    """One generation step (draft or revise) for a variant's mode, returning text and its calls."""

    def __init__(self, handle: ModelHandle, variant: Variant, summary: str, facts: Facts) -> None:
        self.handle, self.variant, self.summary, self.facts = handle, variant, summary, facts
        self.placeholders: list[Placeholder] = []

    def generate(self, step: str, values: dict[str, str]) -> tuple[str | None, list[CallStats]]:
        prompt = self.variant.draft if step == "draft" else self.variant.revise
        if self.variant.mode == "compose":
            res = structured_call(self.handle, prompt, values, Admission, step=step, validate=self.check_admission)
            return (res.value.sentence if res.value else None), res.calls
        res2 = structured_call(self.handle, prompt, values, Message, step=step)
        return (res2.value.message if res2.value else None), res2.calls

    def check_admission(self, value: Admission) -> str:
        """Semantic check fed back to the model: the sentence must be the sender admitting, to the client."""
        sentence = admission_sentence(value.sentence, self.facts.recipient)
        if not _FIRST_PERSON.match(sentence):
            return (f'the sentence must start with "I" (the sender did it), not "{sentence.split()[0]}"; '
                    "say what I did wrong, speaking to the client as you")
        if _ECHO.search(sentence):
            return "write the admission itself, not the instructions"
        extra = unsupported_words(sentence, [self.summary, *self.facts.known().values()])
        if len(extra) >= 2:
            return f"use only words about what happened in the note; these are not in it: {', '.join(extra[:5])}"
        return ""

    def text_for(self, generated: str | None) -> str:
        if self.variant.mode != "compose":
            return (generated or self.summary).strip()
        admission = generated or fallback_admission(self.summary, self.variant.phrases.get("admission_generic"),
                                                    grounding_sources(self.summary, self.facts, self.variant))
        text, self.placeholders = compose(self.variant, self.facts, admission)
        return text


def review(summary: str, facts: Facts | None = None, *, model: str | ModelHandle | None = None,
           judge_model: str | ModelHandle | None = None, max_rounds: int = config.DEFAULT_MAX_ROUNDS,
           variant: str = DEFAULT_VARIANT, on_event: Event | None = None) -> Review:
    """Draft an apology for ``summary``, critique it against the rubric and revise until it passes.

    Returns a Review with every round (text, verdicts, calls, tokens, latency) and the final text.
    """
    started = time.perf_counter()
    emit = on_event or (lambda kind, payload: None)
    summary = check_text(summary, "summary")
    facts = facts or Facts()
    max_rounds = max(1, int(max_rounds))
    v = load_variant(variant)
    emit("status", "starting the model")
    handle = model if isinstance(model, ModelHandle) else resolve_model(model)
    judge = (judge_model if isinstance(judge_model, ModelHandle)
             else resolve_model(judge_model) if judge_model and judge_model != handle.spec else handle)
    sources = grounding_sources(summary, facts, v)
    step = _Step(handle, v, summary, facts)
    base_values = {"summary": summary, "facts": facts_text(facts), "channel": facts.channel, "tone": facts.tone}
    rounds: list[Round] = []
    history: list[str] = []
    first_text_s: float | None = None
    while True:
        index = len(rounds) + 1
        kind = "draft" if index == 1 else "revise"
        emit("status", f"round {index}: {'drafting' if index == 1 else 'revising'}")
        t0 = time.perf_counter()
        values = dict(base_values)
        if kind == "revise":
            values["history"] = "\n".join(f"{i + 1}. {h}" for i, h in enumerate(history))
            values["problems"] = problems_text(rounds[-1].critique)
            values["previous"] = rounds[-1].text
        own = own_words_admission(summary) if kind == "draft" and v.mode == "compose" else None
        if own and not admission_failures(admission_sentence(own, facts.recipient), sources):
            # Nothing to rewrite: the user's own sentence already admits it; a model call would only risk it.
            generated: str | None = own
            calls: list[CallStats] = []
            notes = ["your summary already admits the mistake in the first person: used as written, no model call"]
        else:
            generated, calls = step.generate(kind, values)
            notes = []
        repairs: list[str] = list(notes)
        if generated is None:
            repairs.append("the model gave no valid answer; used your summary as the admission")
        text = step.text_for(generated)
        if kind == "revise" and v.mode == "compose" and generated is not None:
            bad = admission_failures(admission_sentence(generated, facts.recipient), sources)
            if bad:
                repairs.append(f"the revised sentence still failed {', '.join(bad)}; used your summary instead")
                text = step.text_for(None)
        if first_text_s is None:
            first_text_s = round(time.perf_counter() - started, 3)
            emit("first_text", text)
        history.append(generated or "(no valid answer)")
        emit("status", f"round {index}: critiquing")
        crit = critique(text, judge=judge, sources=sources, variant=variant, skip_judge_if_failing=True)
        rnd = Round(index=index, step=kind, text=text, critique=crit, model=handle.name, calls=calls + crit.calls,
                    latency_s=round(time.perf_counter() - t0, 3), repairs=repairs)
        rounds.append(rnd)
        emit("round", rnd)
        if crit.accepted:
            stop = "accepted: every required criterion passes and no invented facts"
            break
        blocking = [c for c in crit.failed if crit.criteria[c].required]
        if v.mode == "compose" and not crit.grounding and not set(blocking) & set(ADMISSION_CRITERIA):
            # Only the user's facts can fix these; another model round would change nothing.
            stop = (f"stopped: {', '.join(blocking)} failing in the facts you gave; revision cannot fix that — "
                    + "; ".join(crit.criteria[c].fix for c in blocking if crit.criteria[c].fix))
            break
        if index >= max_rounds:
            stop = f"stopped after {max_rounds} round(s): {', '.join(crit.failed) or 'grounding issues'} still failing"
            break
    final = rounds[-1]
    left = find_placeholders(final.text)
    return Review(summary=summary, facts=facts, rounds=rounds, final_text=final.text, accepted=final.critique.accepted,
                  stop_reason=stop, placeholders=[p for p in step.placeholders if p.token in left],
                  model=handle.name, judge_model=judge.name, variant=v.name,
                  latency_s=round(time.perf_counter() - started, 3), first_text_s=first_text_s)
