"""Benchmark OpenMP wait settings for the embedded model: alone and with a second model process. Asserts nothing.

llama.cpp's CPU backend runs on OpenMP threads. How idle threads wait decides both single-process speed and
how two model processes (a batch next to a draft, or two test runs) share 2 cores. For each setting this
runs one judge-sized request (the judge's rubric and tool schema, forced tool call, up to 600 completion
tokens) twice in a fresh process (cold, then warm prompt cache), first alone and then as two processes at
once, and prints the times and their ratios to the fastest lone run. `pipeline/local_server.py` picks its
setting from this.

Usage: .venv/bin/python bench/bench_omp.py [SETTING …]   (a setting's name, or part of names: `SPINCOUNT`)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {
    "default (GOMP spins 300k)": {},
    "OMP_WAIT_POLICY=passive": {"OMP_WAIT_POLICY": "passive"},
    "GOMP_SPINCOUNT=1000": {"GOMP_SPINCOUNT": "1000"},
    "GOMP_SPINCOUNT=3000": {"GOMP_SPINCOUNT": "3000"},
    "GOMP_SPINCOUNT=10000": {"GOMP_SPINCOUNT": "10000"},
    "GOMP_SPINCOUNT=30000": {"GOMP_SPINCOUNT": "30000"},
    "GOMP_SPINCOUNT=100000": {"GOMP_SPINCOUNT": "100000"},
}

WORKER = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from llama_cpp import Llama
from pipeline.chains import tool_spec
from pipeline.judge import judge_schema
from pipeline.local_server import gguf_path
from pipeline.rubric import load_rubric
llm = Llama(model_path=str(gguf_path()), chat_format="chatml-function-calling", n_ctx=4096, n_threads=2,
            n_threads_batch=2, seed=0, verbose=False)
tool = tool_spec(judge_schema())
text = open(sys.argv[1] + "/examples/summary.txt").read()
msgs = [{"role": "system", "content": "You are a strict reviewer.\n" + load_rubric().as_prompt_text()},
        {"role": "user", "content": "Message:\n" + text}]
for _ in range(2):
    t = time.perf_counter()
    llm.create_chat_completion(messages=msgs, tools=[tool], max_tokens=600, temperature=0,
                               tool_choice={"type": "function", "function": {"name": tool["function"]["name"]}})
    print(f"{time.perf_counter() - t:.3f}", flush=True)
"""


def run(env_extra: dict[str, str], copies: int) -> list[tuple[float, float]]:
    """Start ``copies`` worker processes at once; (cold, warm) request seconds from each."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")} | env_extra
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(ROOT)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True) for _ in range(copies)]
    out = []
    for p in procs:
        stdout, _ = p.communicate()
        cold, warm = (float(x) for x in stdout.split())
        out.append((cold, warm))
    return out


def main() -> None:
    results: dict[str, tuple[list[tuple[float, float]], list[tuple[float, float]]]] = {}
    wanted = sys.argv[1:]
    for name, extra in SETTINGS.items():
        if wanted and not any(w == name or (w not in SETTINGS and w in name) for w in wanted):
            continue
        start = time.perf_counter()
        results[name] = (run(extra, 1), run(extra, 2))
        print(f"measured {name} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    best_cold = min(r[0][0][0] for r in results.values())
    best_warm = min(r[0][0][1] for r in results.values())
    print(f"{'setting':<28} {'alone cold':>10} {'warm':>7} {'x best':>7} | {'pair cold':>9} {'warm':>7} "
          f"{'x alone best':>12}")
    for name, (alone, pair) in results.items():
        cold, warm = alone[0]
        pcold = max(c for c, _ in pair)
        pwarm = max(w for _, w in pair)
        print(f"{name:<28} {cold:>9.2f}s {warm:>6.2f}s {cold / best_cold:>7.2f} | {pcold:>8.2f}s {pwarm:>6.2f}s "
              f"{pcold / best_cold:>12.2f}")
    print(f"(pair: two processes at once, slowest of the two; the ideal pair time on 2 cores is about 2x the lone "
          f"time, as each gets one core; best lone cold {best_cold:.2f} s, warm {best_warm:.2f} s)")


if __name__ == "__main__":
    main()
