"""Benchmark `amends batch` with an LLM judge against the fake OpenAI-compatible server (tests/fake_openai_server.py).

The server runs as its own process (so its CPU does not compete with the client's GIL) with a fixed latency
L per request; amends critiques N distinct messages at concurrency C. Ideal wall time is N·L/C; the figure
is ideal / actual (target >= 0.9). Calls are counted at the server (target: exactly 1 per message). A second
run over the same messages into a fresh results file shows the cache: no call at all.

Usage: .venv/bin/python bench/bench_batch_llm.py [--n 1000] [--latency 0.2] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TEXT = ("I sent you last year's invoice instead of this year's, and you paid the wrong amount. I am sorry. "
        "I have refunded the difference today and a second person now checks every invoice before it goes out.")


def start_server(latency: float) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fake_openai_server.py"), "--latency", str(latency)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def stats(url: str) -> dict:
    with urllib.request.urlopen(url.removesuffix("/v1") + "/stats", timeout=10) as resp:
        return dict(json.load(resp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    proc, url = start_server(args.latency)
    try:
        with tempfile.TemporaryDirectory(prefix="amends-bench-") as d:
            tmp = Path(d)
            os.environ.update({"OPENAI_BASE_URL": url, "OPENAI_API_KEY": "sk-bench", "AMENDS_CACHE_DIR": str(tmp),
                               "AMENDS_STATE_DIR": str(tmp / "state")})
            from pipeline.batch import BatchOptions, run_batch

            inp = tmp / "in.jsonl"
            inp.write_text("".join(json.dumps({"id": f"m{i}", "text": f"{TEXT} (ref {i})"}) + "\n"
                                   for i in range(args.n)), encoding="utf-8")
            t = time.perf_counter()
            s = run_batch(BatchOptions(input=inp, out=tmp / "out.jsonl", model="openai:fake-judge",
                                       concurrency=args.concurrency))
            wall = time.perf_counter() - t
            st = stats(url)
            ideal = args.n * args.latency / args.concurrency
            per_msg = set(st["per_message"].values())
            print(f"{args.n:,} messages, latency {args.latency * 1000:.0f} ms, concurrency {args.concurrency}: "
                  f"{s.elapsed_s:.2f} s in run_batch ({wall:.2f} s with model setup); ideal N*L/C = {ideal:.2f} s")
            print(f"efficiency ideal/actual = {ideal / s.elapsed_s:.3f} (with setup {ideal / wall:.3f}); "
                  f"{s.rate:.1f} msg/s; peak in flight at the server {st['max_in_flight']}")
            print(f"LLM calls at the server: {st['calls']:,} for {args.n:,} messages (calls per message: "
                  f"{sorted(per_msg)}); ok {s.ok}, failed {s.failed}, errored {s.errored}")
            t = time.perf_counter()
            s2 = run_batch(BatchOptions(input=inp, out=tmp / "again.jsonl", model="openai:fake-judge",
                                        concurrency=args.concurrency))
            print(f"re-run into a fresh results file: {s2.cached:,} cached, {stats(url)['calls'] - st['calls']} new "
                  f"calls, {time.perf_counter() - t:.2f} s")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
