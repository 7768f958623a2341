"""LangChain runnables built from prompt files, with structured output and a validation retry.

Every model call in amends goes through ``structured_call`` (sync) or ``astructured_call`` (async):
prompt file → ChatPromptTemplate → chat model forced to call one tool (function calling works on both
OpenAI and llama.cpp's server; llama.cpp turns the forced call into grammar-constrained JSON). When the
arguments fail validation, the error is fed back to the model for one more try (as instructor does); if
that fails too the caller gets ``None`` and degrades gracefully.
"""

from __future__ import annotations

import json
import time
from collections.abc import Generator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable
from pydantic import BaseModel, ValidationError

from .models import ModelHandle, redact, translate_error
from .prompts import PromptFile, variables
from .schema import CallStats

T = TypeVar("T", bound=BaseModel)

#: Retries after the first attempt when the model's structured output does not validate.
VALIDATION_RETRIES = 1


@dataclass
class CallResult(Generic[T]):
    """A structured call's parsed value (None when it never validated) and the stats of every attempt."""

    value: T | None
    calls: list[CallStats]
    error: str = ""


def build_prompt(prompt: PromptFile) -> ChatPromptTemplate:
    """The ChatPromptTemplate for a prompt file (system + user message, ``{name}`` placeholders)."""
    return ChatPromptTemplate.from_messages([("system", prompt.system), ("human", prompt.user)])


def check_values(prompt: PromptFile, values: dict[str, Any], where: str) -> None:
    """Raise PromptError when the prompt file uses a variable that ``values`` lacks."""
    from .errors import PromptError

    missing = (variables(prompt.system) | variables(prompt.user)) - values.keys()
    if missing:
        raise PromptError(f"{where} prompt needs {', '.join(sorted(missing))} but it was not supplied",
                          hint="fix the prompt file's placeholders")


def _drop_titles(node: Any) -> Any:
    """A JSON schema without pydantic's "title" keywords (a property named "title" is kept)."""
    if isinstance(node, dict):
        return {k: _drop_titles(v) for k, v in node.items()
                if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_drop_titles(v) for v in node]
    return node


@lru_cache(maxsize=32)
def tool_spec(schema: type[BaseModel]) -> dict[str, Any]:
    """The OpenAI tool for ``schema``: its JSON schema without titles, nested models kept once under ``$defs``.

    Hand-built instead of langchain's convert_to_openai_tool, which inlines every ``$ref``: the judge's 12
    criteria share one answer model, and inlining it 12 times made ~1,200 of the 1,868 prompt tokens
    llama.cpp's function-calling template puts in front of every judge call. OpenAI and llama.cpp's grammar
    converter both resolve ``#/$defs/`` references. For flat schemas the result is the same as langchain's.
    """
    params = _drop_titles(schema.model_json_schema())
    params.pop("description", None)  # the docstring: it goes in the function's description
    defs = params.pop("$defs", None)
    if defs:
        params["$defs"] = defs  # after the properties, so the model reads the fields first
    return {"type": "function", "function": {"name": schema.__name__, "description": (schema.__doc__ or "").strip(),
                                             "parameters": params}}


def structured_model(handle: ModelHandle, prompt: PromptFile, schema: type[BaseModel]) -> Runnable:
    """The chat model forced to call ``schema`` as a tool, returning raw + parsed + parsing_error (include_raw).

    Built once per handle, settings and schema, and given the tool as a plain dict: rebuilding it and
    re-converting the pydantic schema cost ~4 ms of CPU per call, which throttled concurrent batches.
    """
    key = (prompt.max_tokens, prompt.temperature, schema)
    cached = handle.runnables.get(key)
    if cached is None:
        model = handle.chat.bind(max_tokens=prompt.max_tokens, temperature=prompt.temperature)
        cached = model.with_structured_output(  # type: ignore[attr-defined]
            tool_spec(schema), method="function_calling", include_raw=True)
        handle.runnables[key] = cached
    return cached


def build_chain(handle: ModelHandle, prompt: PromptFile, schema: type[BaseModel]) -> Runnable:
    """prompt | structured model: the runnable for one step."""
    return build_prompt(prompt) | structured_model(handle, prompt, schema)


def _record(out: dict[str, Any], schema: type[T], validate: Any, step: str, attempt: int, start: float,
            handle: ModelHandle) -> tuple[T | None, str, CallStats]:
    tin, tout = _usage(out.get("raw"))
    value, error = _outcome(out, schema, validate)
    stats = CallStats(step=step if attempt == 0 else f"{step}-retry", model=handle.name,
                      latency_s=round(time.perf_counter() - start, 3), input_tokens=tin, output_tokens=tout,
                      ok=value is not None, error=redact(error)[:300])
    return value, error, stats


def _usage(raw: Any) -> tuple[int, int]:
    usage = getattr(raw, "usage_metadata", None) or {}
    return int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0))


def _raw_arguments(raw: Any) -> str:
    calls = getattr(raw, "tool_calls", None) or []
    if calls:
        return json.dumps(calls[0].get("args", {}))
    return str(getattr(raw, "content", ""))[:2000]


def _feedback(raw: Any, error: BaseException | str) -> list[BaseMessage]:
    text = str(error)
    if isinstance(error, ValidationError):
        text = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:5])
    return [AIMessage(content=_raw_arguments(raw)),
            HumanMessage(content=f"Problem: {text}. Answer again with that fixed.")]


def _outcome(out: dict[str, Any], schema: type[T], validate: Any) -> tuple[T | None, str]:
    parsed, err = out.get("parsed"), out.get("parsing_error")
    if err is not None or parsed is None:
        return None, str(err or "the model did not call the tool")
    if not isinstance(parsed, schema):
        try:
            parsed = schema.model_validate(parsed)
        except ValidationError as exc:
            return None, str(exc)
    if validate is not None:
        problem = validate(parsed)
        if problem:
            return None, problem
    return parsed, ""


def _attempts(handle: ModelHandle, prompt: PromptFile, values: dict[str, Any], schema: type[T], step: str,
              validate: Any) -> Generator[list[BaseMessage], dict[str, Any], CallResult[T]]:
    """The validation-retry protocol, shared by the sync and async callers: yields the messages to send,
    receives the model's output, and returns the CallResult."""
    check_values(prompt, values, step)
    messages: list[BaseMessage] = build_prompt(prompt).format_messages(**values)
    stats: list[CallStats] = []
    error = ""
    for attempt in range(1 + VALIDATION_RETRIES):
        start = time.perf_counter()
        out = yield messages
        value, error, stat = _record(out, schema, validate, step, attempt, start, handle)
        stats.append(stat)
        if value is not None:
            return CallResult(value, stats)
        messages = messages + _feedback(out.get("raw"), error)
    return CallResult(None, stats, error=redact(error)[:300])


def structured_call(handle: ModelHandle, prompt: PromptFile, values: dict[str, Any], schema: type[T], *,
                    step: str, validate: Any = None) -> CallResult[T]:
    """Call the model once for ``schema``; on invalid output feed the error back and retry.

    ``validate`` may return an error string for semantic checks beyond the schema. Connection and auth
    failures raise AmendsError subclasses; invalid output never raises, it returns value None.
    """
    model = structured_model(handle, prompt, schema)
    protocol = _attempts(handle, prompt, values, schema, step, validate)
    messages = next(protocol)
    while True:
        try:
            out = model.invoke(messages)
        except Exception as exc:  # SDK errors become one-line AmendsErrors
            raise translate_error(exc, handle) from exc
        try:
            messages = protocol.send(out)
        except StopIteration as done:
            return done.value


async def astructured_call(handle: ModelHandle, prompt: PromptFile, values: dict[str, Any], schema: type[T], *,
                           step: str, validate: Any = None) -> CallResult[T]:
    """Async twin of ``structured_call`` for batch evaluation."""
    model = structured_model(handle, prompt, schema)
    protocol = _attempts(handle, prompt, values, schema, step, validate)
    messages = next(protocol)
    while True:
        try:
            out = await model.ainvoke(messages)
        except Exception as exc:
            raise translate_error(exc, handle) from exc
        try:
            messages = protocol.send(out)
        except StopIteration as done:
            return done.value
