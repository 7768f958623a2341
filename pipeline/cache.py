"""On-disk cache of judge critiques keyed by (model name, prompt variant digest, message text).

Why sqlite3 (stdlib) and not ``diskcache``: we need only get/put of small JSON blobs keyed by a hash, shared
safely by concurrent ``amends batch`` processes. sqlite in WAL mode gives exactly that (readers never block
the writer, ``busy_timeout`` serialises writers across processes, a killed process never corrupts it) with
no extra dependency; diskcache is sqlite underneath plus pickling and eviction we do not need.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from functools import lru_cache
from pathlib import Path

from . import config

#: Bump when the cached payload's shape or the critique's merge logic changes, to invalidate old entries.
CACHE_VERSION = "1"


#: The modules whose code decides a cached critique besides the model's answer (rules, grounding, merge).
_VERDICT_MODULES = ("checks", "rule_context", "textspan", "patterns_apology", "patterns_offer", "patterns_repair",
                    "patterns_tone", "grounding", "judge", "judge_trust")


@lru_cache(maxsize=1)
def verdict_fingerprint() -> str:
    """A digest of the rule and merge code and the judge calibration: a cached critique is reused only while
    these are unchanged, so improving a detector or re-calibrating the judge never serves stale verdicts."""
    from .prompts import prompts_dir

    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in _VERDICT_MODULES:
        h.update((here / f"{name}.py").read_bytes())
    trust = prompts_dir() / "judge_trust.json"
    if trust.is_file():
        h.update(trust.read_bytes())
    return h.hexdigest()[:12]


def cache_key(model: str, prompt_digest: str, text: str) -> str:
    """The cache key for one judge call: a SHA-256 over the model, prompt version and message text."""
    h = hashlib.sha256()
    for part in (CACHE_VERSION, verdict_fingerprint(), model, prompt_digest, text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


class CritiqueCache:
    """A sqlite-backed map from cache key to a critique's JSON, safe across processes (WAL + busy timeout)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config.cache_dir() / "critiques.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.hits = 0
        self.misses = 0
        self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # durable against process death; a cache may lose the
        self._db.execute(                               # last entries on power loss, which only costs a call
            "CREATE TABLE IF NOT EXISTS critiques (key TEXT PRIMARY KEY, model TEXT, value TEXT, created REAL)")

    def get(self, key: str) -> str | None:
        """The cached JSON for ``key``, or None."""
        row = self._db.execute("SELECT value FROM critiques WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return str(row[0])

    def put(self, key: str, model: str, value: str) -> None:
        """Store ``value`` under ``key`` (last writer wins; the value is the same for the same key anyway)."""
        self._db.execute("INSERT OR REPLACE INTO critiques (key, model, value, created) VALUES (?, ?, ?, ?)",
                         (key, model, value, time.time()))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM critiques").fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        self._db.close()
