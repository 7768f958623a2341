"""Shared fixtures: every test runs with a clean environment and state dirs in tmp."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

PROVIDER_VARS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "MISTRAL_API_KEY", "GROQ_API_KEY")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Clear provider keys and AMENDS_* settings; point state and cache dirs at tmp."""
    for var in list(os.environ):
        if var.startswith("AMENDS_") or var in PROVIDER_VARS:
            monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AMENDS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("AMENDS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path
