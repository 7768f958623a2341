"""Model specs resolve through one resolver; failures are one-line errors with a fix; keys never leak."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from pipeline.chains import structured_call
from pipeline.errors import AuthError, EndpointError, ModelSpecError
from pipeline.models import redact, resolve_model
from pipeline.prompts import PromptFile


class _Schema(BaseModel):
    x: str


@pytest.mark.parametrize("spec", ["gpt-4o", "openai:", ":model", "nonsense"])
def test_unknown_spec(spec: str) -> None:
    with pytest.raises(ModelSpecError) as info:
        resolve_model(spec)
    assert "openai:<model>" in info.value.hint


def test_openai_needs_a_key() -> None:
    with pytest.raises(AuthError, match="OPENAI_API_KEY"):
        resolve_model("openai:gpt-4o-mini")


def test_openai_compatible_server_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    handle = resolve_model("openai:llama3")
    assert handle.name == "openai:llama3" and handle.base_url == "http://127.0.0.1:9/v1"


def test_other_provider_without_package_gives_install_hint() -> None:
    with pytest.raises(ModelSpecError) as info:
        resolve_model("anthropic:claude-sonnet")
    assert "pip install" in info.value.hint


def test_redact_hides_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET1234567")
    assert "SECRET" not in redact("Incorrect API key provided: sk-test-SECRET1234567 for Bearer abc.def")


def test_unreachable_endpoint_is_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-SECRET1234567")
    monkeypatch.setenv("AMENDS_MAX_RETRIES", "0")
    handle = resolve_model("openai:gpt-4o-mini")
    with pytest.raises(EndpointError) as info:
        structured_call(handle, PromptFile(system="s", user="u"), {}, _Schema, step="t")
    assert "could not reach http://127.0.0.1:9/v1" in str(info.value)
    assert "SECRET" not in info.value.one_line()
