"""Configuration from AMENDS_* environment variables, read at call time so tests can isolate them."""

from __future__ import annotations

import os
from pathlib import Path

#: Largest summary or message amends accepts, in bytes. Bigger input is almost certainly a wrong file.
MAX_INPUT_BYTES = 20_000
DEFAULT_MODEL = "local"
DEFAULT_MAX_ROUNDS = 3


def env(name: str, default: str = "") -> str:
    """Return ``AMENDS_<name>`` from the environment, or ``default``."""
    return os.environ.get(f"AMENDS_{name}", default)


def debug() -> bool:
    """True when AMENDS_DEBUG asks for tracebacks."""
    return env("DEBUG") not in ("", "0", "false", "no")


def default_model() -> str:
    """The model spec used when no --model is given."""
    return env("MODEL", DEFAULT_MODEL)


def state_dir() -> Path:
    """Where amends keeps its state (server file, cache). ``AMENDS_STATE_DIR`` overrides."""
    base = env("STATE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_STATE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "state") / "amends"


def cache_dir() -> Path:
    """Where amends caches model answers. ``AMENDS_CACHE_DIR`` overrides."""
    base = env("CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "amends"
