"""Pydantic models for every boundary: input facts, evidence, verdicts, critiques, rounds and reviews."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Verdict = Literal["pass", "fail"]
RuleVerdict = Literal["pass", "fail", "unknown"]
Channel = Literal["email", "chat", "letter"]


class Facts(BaseModel):
    """What the user knows about the incident. Written by users, so unknown keys are an error."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    recipient: str | None = Field(None, description="Who the apology is to, e.g. 'Ms Rivera'.")
    sender: str | None = Field(None, description="Who signs it, e.g. 'Sam, Brightline Studio'.")
    impact: str | None = Field(None, description="What the mistake cost the client.")
    fix: str | None = Field(None, description="What is being or has been done to put it right.")
    deadline: str | None = Field(None, description="When the fix will be done, e.g. 'Friday 14 March'.")
    prevention: str | None = Field(None, description="What will stop it happening again.")
    make_good: str | None = Field(None, description="Something extra offered beyond the fix.")
    channel: Channel = "email"
    tone: Literal["warm", "formal", "plain"] = "plain"

    def known(self) -> dict[str, str]:
        """The free-text facts the user gave, without empty ones."""
        data = self.model_dump(exclude={"channel", "tone"})
        return {k: v for k, v in data.items() if v}


class Evidence(BaseModel):
    """A span of the checked text that supports a verdict."""

    quote: str
    start: int = -1
    end: int = -1
    detector: str = ""
    note: str = ""


class RuleFinding(BaseModel):
    """What the deterministic checks concluded for one criterion.

    ``unknown`` means the rules saw neither a violation nor positive proof; ``strong`` says whether a
    pass rests on positive evidence (strong) or only on the absence of violations (weak).
    """

    criterion: str
    verdict: RuleVerdict
    strong: bool = False
    evidence: list[Evidence] = Field(default_factory=list)
    fix: str = ""


class JudgeItem(BaseModel):
    """One criterion as the LLM judge returns it."""

    verdict: Verdict
    evidence: str = Field("", description="A short exact quote from the message, or '' if none.")
    fix: str = Field("", description="One short suggestion, or '' when it passes.")


class CriterionResult(BaseModel):
    """The merged verdict for one criterion, with where it came from."""

    id: str
    title: str
    required: bool
    weight: float
    verdict: Verdict
    source: Literal["rules", "llm", "rules+llm", "default"]
    rule_verdict: RuleVerdict = "unknown"
    llm_verdict: Verdict | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    fix: str = ""
    note: str = ""


class GroundingIssue(BaseModel):
    """A specific (number, date, name, contact) in the text that the input does not contain."""

    kind: Literal["number", "amount", "date", "time", "name", "email", "phone", "url", "claim"]
    quote: str
    start: int
    end: int


class CallStats(BaseModel):
    """One LLM call: which model, how long, how many tokens."""

    step: str
    model: str
    latency_s: float
    input_tokens: int = 0
    output_tokens: int = 0
    ok: bool = True
    error: str = ""
    cached: bool = False


class Critique(BaseModel):
    """The verdict on one message: every criterion, grounding issues, score and the calls it took."""

    criteria: dict[str, CriterionResult]
    grounding: list[GroundingIssue] = Field(default_factory=list)
    score: float = Field(description="Weighted share of criteria that pass, 0..100.")
    required_pass: bool
    failed: list[str] = Field(default_factory=list)
    judge_model: str | None = None
    judge_ok: bool = False
    calls: list[CallStats] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """Every required criterion passes and the grounding guard is clean."""
        return self.required_pass and not self.grounding


class Round(BaseModel):
    """One turn of the loop: the text it produced and the critique of it."""

    index: int
    step: Literal["draft", "revise"]
    text: str
    critique: Critique
    model: str
    calls: list[CallStats] = Field(default_factory=list)
    latency_s: float = 0.0
    repairs: list[str] = Field(default_factory=list, description="Deterministic repairs applied.")

    @property
    def tokens(self) -> int:
        """Input plus output tokens of every call in this round."""
        return sum(c.input_tokens + c.output_tokens for c in self.calls)


class Placeholder(BaseModel):
    """A visible gap in the final text the user must fill in."""

    token: str
    field: str
    question: str


class Review(BaseModel):
    """The whole run for one summary: every round, the final text and why the loop stopped."""

    summary: str
    facts: Facts
    rounds: list[Round]
    final_text: str
    accepted: bool
    stop_reason: str
    placeholders: list[Placeholder] = Field(default_factory=list)
    model: str
    judge_model: str
    variant: str = "default"
    latency_s: float = 0.0
    first_text_s: float | None = Field(None, description="Seconds until the first draft text existed.")

    @property
    def llm_calls(self) -> int:
        """How many model calls the review made (cache hits excluded)."""
        return sum(1 for r in self.rounds for c in r.calls if not c.cached)

    @property
    def tokens(self) -> int:
        """Input plus output tokens across all rounds."""
        return sum(r.tokens for r in self.rounds)
