"""Structured output: validation errors are fed back to the model once, then the caller degrades."""

from __future__ import annotations

import pytest
from fakes import fake_handle
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, Field

from pipeline.chains import structured_call, tool_spec
from pipeline.errors import PromptError
from pipeline.prompts import PromptFile

PROMPT = PromptFile(system="You write one sentence.", user="Note: {summary}")


class Sentence(BaseModel):
    sentence: str = Field(min_length=8)


def test_valid_answer_takes_one_call() -> None:
    handle = fake_handle([{"sentence": "I sent the wrong file."}])
    res = structured_call(handle, PROMPT, {"summary": "wrong file"}, Sentence, step="draft")
    assert res.value == Sentence(sentence="I sent the wrong file.")
    assert [c.step for c in res.calls] == ["draft"] and res.calls[0].output_tokens == 20


def test_invalid_answer_is_fed_back_then_fixed() -> None:
    handle = fake_handle([{"sentence": "short"}, {"sentence": "I sent the wrong file."}])
    res = structured_call(handle, PROMPT, {"summary": "wrong file"}, Sentence, step="draft")
    assert res.value is not None and [c.ok for c in res.calls] == [False, True]
    retry_prompt = handle.chat.seen[1]  # type: ignore[attr-defined]
    feedback = [m for m in retry_prompt if isinstance(m, HumanMessage)][-1].content
    assert "Problem" in feedback and "sentence" in feedback and "at least 8" in feedback


def test_semantic_validator_errors_are_fed_back_too() -> None:
    handle = fake_handle([{"sentence": "We regret the incident."}, {"sentence": "I sent the wrong file."}])
    res = structured_call(handle, PROMPT, {"summary": "x"}, Sentence, step="draft",
                          validate=lambda v: "" if v.sentence.startswith("I ") else "start with I")
    assert res.value is not None and res.value.sentence.startswith("I ")
    assert "start with I" in handle.chat.seen[1][-1].content  # type: ignore[attr-defined]


def test_still_invalid_after_retry_returns_none_not_raise() -> None:
    handle = fake_handle(["no tool call at all", {"sentence": 3}])
    res = structured_call(handle, PROMPT, {"summary": "x"}, Sentence, step="draft")
    assert res.value is None and res.error and len(res.calls) == 2


def test_missing_prompt_variable_is_an_error() -> None:
    with pytest.raises(PromptError, match="summary"):
        structured_call(fake_handle([]), PROMPT, {}, Sentence, step="draft")


def test_tool_spec_keeps_a_shared_model_once_and_matches_langchain_for_flat_schemas() -> None:
    import json

    from langchain_core.utils.function_calling import convert_to_openai_tool

    from pipeline.judge import JudgeAnswer, judge_schema
    from pipeline.loop import Admission, Message
    from pipeline.rubric import CRITERIA_IDS

    for flat in (Admission, Message):
        assert tool_spec(flat) == convert_to_openai_tool(flat)
    tool = tool_spec(judge_schema())
    params = tool["function"]["parameters"]
    assert params["required"] == list(CRITERIA_IDS)
    assert all(params["properties"][cid] == {"$ref": "#/$defs/JudgeAnswer"} for cid in CRITERIA_IDS)
    assert set(params["$defs"]) == {"JudgeAnswer"} and "title" not in json.dumps(params)
    # every criterion still parses into the answer model the merge reads
    answer = {"verdict": "fail", "evidence": "sorry if", "fix": "apologise plainly"}
    parsed = judge_schema().model_validate({cid: answer for cid in CRITERIA_IDS})
    assert isinstance(parsed.no_blame, JudgeAnswer)
    assert len(json.dumps(tool)) < len(json.dumps(convert_to_openai_tool(judge_schema()))) / 2
