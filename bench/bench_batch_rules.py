"""Benchmark `amends batch --rules-only`: messages/s on 100,000 generated messages, peak RSS at 10k vs 100k.

Each size runs in its own child process (this script with --child) so peak RSS is that run's alone
(``ru_maxrss`` of the child, cross-checked with ``getrusage(RUSAGE_CHILDREN)``). Also measured: the cost of
the pydantic Critique path the fast recorder replaces, and the cost of fsync per line versus once a second.
Targets: >= 10,000 messages/s; RSS flat (100k / 10k close to 1) and < 200 MB. Prints figures; asserts nothing.

Usage: .venv/bin/python bench/bench_batch_rules.py [--sizes 10000,100000]
       (BENCH_WORKERS=0 forces the in-process path, =2 two worker processes; default: by input size)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OPENERS = ["I sent you last year's invoice instead of this year's.", "We regret any inconvenience caused.",
           "I missed the Friday deadline for your launch page.", "Mistakes were made with your order.",
           "Our courier let us down, so the parcel was late.", "I double-charged your card on 3 March."]
MIDDLES = ["I am sorry.", "Sorry if you were upset.", "These things happen in a busy season.",
           "I have refunded the extra charge today.", "I will deliver the corrected file by Monday.",
           "From now on a second person checks every invoice before it goes out.",
           "As a thank-you for your patience, next month's service is free.", "Your brief was unclear, though.",
           "Please forgive the trouble this caused you.", "Call me directly on 020 7946 0000 if anything is wrong."]


def generate(path: Path, n: int, seed: int = 7) -> None:
    """Write ``n`` varied apology messages (~300-600 characters) as JSONL."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = " ".join([rng.choice(OPENERS), *rng.sample(MIDDLES, rng.randint(3, 6)), f"Ref {i}.",
                             "Kind regards, Sam"])
            f.write(json.dumps({"id": f"m{i}", "text": text}) + "\n")


def child(inp: Path, out: Path) -> None:
    """Run one batch in this process and print its figures as JSON."""
    from pipeline.batch import BatchOptions, run_batch

    workers = os.environ.get("BENCH_WORKERS")
    s = run_batch(BatchOptions(input=inp, out=out, rules_only=True, workers=int(workers) if workers else None))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest worker process, if any
    print(json.dumps({"new": s.new, "elapsed_s": s.elapsed_s, "rate": s.rate, "rss_mb": rss_mb,
                      "worker_mb": worker_mb}))


def run_size(tmp: Path, n: int) -> dict:
    inp, out = tmp / f"in{n}.jsonl", tmp / f"out{n}.jsonl"
    generate(inp, n)
    env = dict(os.environ) | {"AMENDS_CACHE_DIR": str(tmp / "cache"), "AMENDS_STATE_DIR": str(tmp / "state")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, __file__, "--child", str(inp), str(out)], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    fig = json.loads(proc.stdout.strip().splitlines()[-1])
    fig["children_maxrss_mb"] = after / 1024 if after > before else None
    fig["out_mb"] = out.stat().st_size / 1e6
    return fig


def compare_paths(n: int = 5000) -> tuple[float, float]:
    """Messages/s of the fast recorder versus building the pydantic Critique (the `amends check` path)."""
    from pipeline.batch import record_from_critique
    from pipeline.batch_io import Item
    from pipeline.batch_rules import RulesRecorder
    from pipeline.judge import critique
    from pipeline.rubric import load_rubric

    rng = random.Random(1)
    texts = [" ".join([rng.choice(OPENERS), *rng.sample(MIDDLES, 4), f"Ref {i}."]) for i in range(n)]
    rec = RulesRecorder(load_rubric())
    t = time.perf_counter()
    for i, text in enumerate(texts):
        json.dumps(rec.record(Item(str(i), text)))
    fast = n / (time.perf_counter() - t)
    t = time.perf_counter()
    for i, text in enumerate(texts):
        json.dumps(record_from_critique(Item(str(i), text), critique(text, judge=None), latency_s=0, cached=False))
    slow = n / (time.perf_counter() - t)
    return fast, slow


def fsync_cost(tmp: Path, n: int = 2000) -> tuple[float, float]:
    """Microseconds per appended line with fsync after every line versus the JsonlAppender (once a second)."""
    from pipeline.batch_io import JsonlAppender

    line = (json.dumps({"id": "x" * 16, "text": "y" * 900}) + "\n").encode()
    fd = os.open(tmp / "sync.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    t = time.perf_counter()
    for _ in range(n):
        os.write(fd, line)
        os.fsync(fd)
    per_line = (time.perf_counter() - t) / n * 1e6
    os.close(fd)
    rec = {"id": "x" * 16, "text": "y" * 900}
    with JsonlAppender(tmp / "nosync.jsonl") as w:
        t = time.perf_counter()
        for _ in range(n):
            w.write(rec)
        periodic = (time.perf_counter() - t) / n * 1e6
    return per_line, periodic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--child", nargs=2, metavar=("INPUT", "OUT"))
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory(prefix="amends-bench-") as d:
        tmp = Path(d)
        figs = {}
        for n in (int(x) for x in args.sizes.split(",")):
            figs[n] = fig = run_size(tmp, n)
            print(f"{n:>7,} messages: {fig['rate']:>8,.0f} msg/s  ({fig['elapsed_s']:.2f} s)  peak RSS "
                  f"{fig['rss_mb']:.0f} MB (largest worker {fig['worker_mb']:.0f} MB)  output {fig['out_mb']:.0f} MB",
                  flush=True)
        sizes = sorted(figs)
        if len(sizes) >= 2:
            lo, hi = figs[sizes[0]], figs[sizes[-1]]
            print(f"RSS ratio {sizes[-1]:,} / {sizes[0]:,}: {hi['rss_mb'] / lo['rss_mb']:.2f}   "
                  f"throughput at {sizes[-1]:,}: {hi['rate'] / 10_000:.2f}x the 10,000 msg/s target")
        fast, slow = compare_paths()
        print(f"per-message record: fast recorder {fast:,.0f} msg/s vs pydantic Critique path {slow:,.0f} msg/s "
              f"({fast / slow:.1f}x)")
        per_line, periodic = fsync_cost(tmp)
        print(f"append one line: fsync every line {per_line:,.0f} us vs fsync once a second {periodic:,.1f} us")


if __name__ == "__main__":
    main()
