"""A fake chat model for unit tests of our own logic: answers forced tool calls from a script, no HTTP."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

Reply = dict[str, Any] | str | Callable[[list[BaseMessage]], dict[str, Any] | str]


class FakeToolModel(BaseChatModel):
    """Replies with scripted tool-call arguments (dicts) or plain text (str), in order; records every prompt."""

    replies: list[Any]
    seen: list[list[BaseMessage]] = []
    tool_name: str = ""

    @property
    def _llm_type(self) -> str:
        return "fake-tool-model"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any) -> Any:
        from langchain_core.utils.function_calling import convert_to_openai_tool

        name = convert_to_openai_tool(tools[0])["function"]["name"]
        return self.model_copy(update={"tool_name": name, "replies": self.replies, "seen": self.seen})

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        self.seen.append(list(messages))
        if not self.replies:
            raise AssertionError("FakeToolModel ran out of scripted replies")
        reply = self.replies.pop(0)
        if callable(reply):
            reply = reply(messages)
        usage = {"input_tokens": 100, "output_tokens": 20, "total_tokens": 120}
        if isinstance(reply, str):
            msg = AIMessage(content=reply, usage_metadata=usage)
        else:
            msg = AIMessage(content="", tool_calls=[{"name": self.tool_name, "args": reply, "id": "call_1"}],
                            usage_metadata=usage)
        return ChatResult(generations=[ChatGeneration(message=msg)])


def fake_handle(replies: list[Any]):
    """A ModelHandle around a FakeToolModel with the given scripted replies."""
    from pipeline.models import ModelHandle

    return ModelHandle(spec="fake", name="fake", chat=FakeToolModel(replies=list(replies), seen=[]))


def all_pass_verdicts(**overrides: dict[str, str]) -> dict[str, Any]:
    """A judge reply passing every criterion, with per-criterion overrides."""
    from pipeline.rubric import CRITERIA_IDS

    out: dict[str, Any] = {cid: {"verdict": "pass", "evidence": "", "fix": ""} for cid in CRITERIA_IDS}
    out.update(overrides)
    return out


def for_random_texts(check: Any, examples: int = 200) -> None:
    """Run ``check(text)`` on ``examples`` random texts (hypothesis; skipped when hypothesis is missing)."""
    import pytest

    hypothesis = pytest.importorskip("hypothesis")
    given = hypothesis.given(hypothesis.strategies.text(max_size=300))
    hypothesis.settings(max_examples=examples, deadline=None)(given(check))()
