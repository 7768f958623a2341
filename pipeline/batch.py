"""Batch evaluation: critique many past messages, concurrently, resumably, and safely under SIGKILL.

``run_batch`` streams the input (see :mod:`pipeline.batch_io`), skips ids the results file already holds,
critiques each new message exactly like ``amends check`` (rules + one structured judge call, or rules only)
and appends one JSON line per message as soon as it is done. Judge calls run on a fixed pool of
``concurrency`` worker tasks fed from a bounded queue, so the input is never read far ahead; the openai
client's own retries (exponential backoff with jitter, honouring Retry-After, on 429/5xx/timeouts) handle
transient failures, a per-message ``asyncio.wait_for`` bounds the whole thing, and a message that still
fails goes to the errors file (and is retried by the next run) while the run goes on. Judge answers are
cached on disk by (model, prompt digest, text), so a re-run only pays for new work.

The rules-only path (:mod:`pipeline.batch_rules`) makes no LLM call and never resolves a model.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .batch_io import Item, JsonlAppender, Problem, count_records, errors_path, iter_input, scan_results
from .batch_rules import PREVIEW_CHARS, base_record, evidence_dict, pool_size, run_rules
from .errors import AmendsError, InputError
from .schema import Critique

#: Default --concurrency: the embedded model serves one request at a time; remote endpoints take more.
LOCAL_CONCURRENCY = 1
REMOTE_CONCURRENCY = 8
#: Default per-message time budget (seconds), retries included.
LOCAL_TIMEOUT_S = 600.0
REMOTE_TIMEOUT_S = 180.0

Progress = Callable[[int], None]


@dataclass
class BatchOptions:
    """Everything ``amends batch`` was asked to do."""

    input: Path
    out: Path
    model: str | None = None
    concurrency: int | None = None
    rules_only: bool = False
    text_field: str = "text"
    id_field: str = "id"
    timeout_s: float | None = None
    variant: str = "default"
    workers: int | None = None  # rules-only worker processes; None: by input size and CPUs, 0: in-process


@dataclass
class BatchSummary:
    """The outcome of one run: counts for this run and totals for the whole results file."""

    out: Path
    errors: Path
    model: str | None
    new: int = 0
    ok: int = 0
    failed: int = 0
    errored: int = 0
    skipped: int = 0
    duplicates: int = 0
    cached: int = 0
    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    repaired_bytes: int = 0
    total_ok: int = 0
    total_failed: int = 0
    elapsed_s: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """New messages critiqued per second in this run."""
        return self.new / self.elapsed_s if self.elapsed_s > 0 else 0.0


def record_from_critique(item: Item, crit: Critique, *, latency_s: float, cached: bool) -> dict[str, Any]:
    """The results-file line for a message judged through ``pipeline.judge``."""
    calls = [] if cached else crit.calls
    rec = base_record(item) | {
        "score": crit.score, "required_pass": crit.required_pass, "failed": crit.failed,
        "verdicts": {cid: r.verdict for cid, r in crit.criteria.items()},
        "evidence": {cid: [evidence_dict(e) for e in r.evidence] for cid, r in crit.criteria.items() if r.evidence},
        "fixes": {cid: r.fix for cid, r in crit.criteria.items() if r.verdict == "fail" and r.fix},
        "defaulted": [cid for cid, r in crit.criteria.items() if r.source == "default"],
        "model": crit.judge_model, "judge_ok": crit.judge_ok, "llm_calls": len(calls),
        "tokens": {"input": sum(c.input_tokens for c in calls), "output": sum(c.output_tokens for c in calls)},
        "latency_s": round(latency_s, 4), "cached": cached, "preview": item.text[:PREVIEW_CHARS],
    }
    if crit.warnings:
        rec["warnings"] = crit.warnings
    return rec


class _Run:
    """The bookkeeping shared by both paths: dedup, skip, write results and errors, count, report progress."""

    def __init__(self, opts: BatchOptions, summary: BatchSummary, progress: Progress | None) -> None:
        self.out = JsonlAppender(opts.out, lock=True)  # lock first: never repair a file another run is writing
        try:
            state = scan_results(opts.out)
            self.errors = JsonlAppender(summary.errors, truncate=True)  # describes the latest run: all re-detected
        except BaseException:
            self.out.close()
            raise
        self.done, self.seen = state.done, set[str]()
        self.summary, self.progress = summary, progress
        summary.repaired_bytes, summary.total_ok, summary.total_failed = state.repaired_bytes, state.ok, state.failed

    def admit(self, x: Item | Problem) -> Item | None:
        """The item to critique, or None after recording a problem, a duplicate or an already-done id."""
        if isinstance(x, Problem):
            self.error(x.as_record())
            return None
        if x.id in self.done:
            self.summary.skipped += 1
            self.tick()
            return None
        if x.id in self.seen:
            self.summary.duplicates += 1
            self.errors.write(base_record(x) | {"reason": "duplicate id: an earlier record in this input had it"})
            self.tick()
            return None
        self.seen.add(x.id)
        return x

    def result(self, rec: dict[str, Any]) -> None:
        """Append a finished record and count it."""
        self.result_line(JsonlAppender.encode(rec), rec["required_pass"])
        s = self.summary
        s.cached += bool(rec["cached"])
        s.llm_calls += rec["llm_calls"]
        s.input_tokens += rec["tokens"]["input"]
        s.output_tokens += rec["tokens"]["output"]

    def result_line(self, data: bytes, required_pass: bool) -> None:
        """Append an encoded results line and count it as ok or failed."""
        self.out.write_line(data)
        s = self.summary
        s.new += 1
        if required_pass:
            s.ok += 1
            s.total_ok += 1
        else:
            s.failed += 1
            s.total_failed += 1
        self.tick()

    def error(self, rec: dict[str, Any]) -> None:
        """Append an errors-file line and count it."""
        self.errors.write(rec)
        self.summary.errored += 1
        key = str(rec["reason"]).split(" (")[0][:60]
        self.summary.reasons[key] = self.summary.reasons.get(key, 0) + 1
        self.tick()

    def tick(self) -> None:
        if self.progress is not None:
            self.progress(1)

    def close(self) -> None:
        self.out.close()
        self.errors.close()


def _failure_reason(exc: BaseException, timeout_s: float) -> str:
    from .models import redact

    if isinstance(exc, TimeoutError):
        return f"timed out after {timeout_s:g}s (retries included)"
    if isinstance(exc, AmendsError):
        return redact(exc.one_line())[:300]
    return redact(f"{type(exc).__name__}: {exc}")[:300]


def _own_connection_pool(handle: Any, concurrency: int) -> tuple[Any, Any]:
    """The handle with an httpx pool of its own for this run's event loop (closed when the run ends).

    langchain-openai shares one cached async httpx client per (base URL, timeout) across event loops; its
    pooled connections die with the loop that opened them, so a second run in the same process would
    stall on them until the request timeout. Returns (handle, client to close) — (handle, None) for
    non-OpenAI chat models. The openai client's own retry and timeout settings are kept.
    """
    import dataclasses

    import httpx

    root = getattr(handle.chat, "root_async_client", None)
    if root is None or not hasattr(root, "copy"):
        return handle, None
    http = httpx.AsyncClient(timeout=root.timeout, limits=httpx.Limits(
        max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4))
    new_root = root.copy(http_client=http)
    chat = handle.chat.model_copy(update={"root_async_client": new_root, "async_client": new_root.chat.completions})
    return dataclasses.replace(handle, chat=chat), http


async def _run_llm(items: Iterator[Item | Problem], run: _Run, opts: BatchOptions, handle: Any,
                   concurrency: int, timeout_s: float) -> None:
    from .cache import CritiqueCache, cache_key
    from .judge import acritique
    from .prompts import load_variant

    digest = load_variant(opts.variant).digest
    handle, http = _own_connection_pool(handle, concurrency)
    cache = CritiqueCache()
    inflight: dict[str, asyncio.Future[str]] = {}
    queue: asyncio.Queue[Item | None] = asyncio.Queue(maxsize=2 * concurrency)

    async def judged(item: Item) -> dict[str, Any]:
        start = time.perf_counter()
        key = cache_key(handle.name, digest, item.text)
        hit = cache.get(key)
        if hit is None and key in inflight:  # the same text is being judged right now: wait for it
            hit = await asyncio.shield(inflight[key])
        if hit is not None:
            crit = Critique.model_validate_json(hit)
            return record_from_critique(item, crit, latency_s=time.perf_counter() - start, cached=True)
        fut: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        fut.add_done_callback(lambda f: f.cancelled() or f.exception())  # a failure nobody awaited is fine
        inflight[key] = fut
        try:
            crit = await asyncio.wait_for(acritique(item.text, judge=handle, variant=opts.variant), timeout_s)
        except BaseException as exc:
            fut.set_exception(exc if isinstance(exc, Exception) else RuntimeError("cancelled"))
            raise
        finally:
            inflight.pop(key, None)
        payload = crit.model_dump_json()
        if crit.judge_ok:
            cache.put(key, handle.name, payload)
        fut.set_result(payload)
        return record_from_critique(item, crit, latency_s=time.perf_counter() - start, cached=False)

    async def worker() -> None:
        while (item := await queue.get()) is not None:
            try:
                rec = await judged(item)
            except Exception as exc:
                run.error(base_record(item) | {"reason": _failure_reason(exc, timeout_s)})
            else:
                run.result(rec)

    workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
    try:
        for x in items:
            item = run.admit(x)
            if item is not None:
                await queue.put(item)
        for _ in workers:
            await queue.put(None)
        await asyncio.gather(*workers)
    finally:
        for w in workers:
            w.cancel()
        cache.close()
        if http is not None:
            await http.aclose()


def default_concurrency(spec: str) -> int:
    """The --concurrency default for a model spec: 1 for the embedded model, 8 for remote endpoints."""
    return LOCAL_CONCURRENCY if spec == "local" else REMOTE_CONCURRENCY


def run_batch(opts: BatchOptions, progress: Callable[[int | None], Progress] | None = None) -> BatchSummary:
    """Critique every message in ``opts.input`` into ``opts.out`` (resuming it); return the run's summary.

    ``progress``, when given, is called once with the estimated total and returns a callback taking how
    many records were just finished. Raises InputError for an unusable input path or a locked output.
    """
    from . import config

    if opts.concurrency is not None and opts.concurrency < 1:
        raise InputError("--concurrency must be at least 1", hint="pass --concurrency 1 or more")
    spec = None if opts.rules_only else (opts.model or config.default_model()).strip()
    summary = BatchSummary(out=opts.out, errors=errors_path(opts.out), model=None)
    items = iter_input(opts.input, text_field=opts.text_field, id_field=opts.id_field)
    handle = None
    if spec is not None:
        from .models import resolve_model

        handle = resolve_model(spec)  # before touching the output: a bad spec or key is a usage error
        summary.model = handle.name
    estimate = count_records(opts.input) if progress or handle is None else None
    run = _Run(opts, summary, progress(estimate) if progress else None)
    start = time.perf_counter()
    try:
        if handle is None:
            run_rules(items, run, workers=pool_size(estimate) if opts.workers is None else opts.workers)
        else:
            concurrency = opts.concurrency or default_concurrency(str(spec))
            timeout_s = opts.timeout_s or (LOCAL_TIMEOUT_S if handle.is_local else REMOTE_TIMEOUT_S)
            asyncio.run(_run_llm(items, run, opts, handle, concurrency, timeout_s))
    finally:
        run.close()
        summary.elapsed_s = time.perf_counter() - start
    return summary
