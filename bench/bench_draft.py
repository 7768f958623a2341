"""Benchmark `amends draft` with the embedded model. Prints measured figures and ratios; asserts nothing.

1. End-to-end: `amends draft --facts … ` as a real subprocess, cold (amends starts the model itself) and warm
   (with `amends serve` running: its model server and its warm process), plus warm model with a cold process
   (AMENDS_NO_WARM=1): wall time and time until the first draft text is printed.
2. Pure generation: every HTTP request amends made (captured with vcrpy from an in-process run) replayed
   straight into llama_cpp.Llama in this process, same chat format and cache: the model's own time for the
   same tokens. Ratio = end-to-end wall time / pure generation time (target ≤ 1.3).
3. Calls and tokens per review over the core10 scenarios in evals/data/scenarios.jsonl (target mean LLM
   calls ≤ 2.5 per accepted apology), with acceptance and grounding figures.

Usage: .venv/bin/python bench/bench_draft.py [--scenarios N] [--skip-core]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SUMMARY = (ROOT / "examples" / "summary.txt").read_text().strip()
FACTS = ROOT / "examples" / "incident.yaml"


def amends_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "import cli; cli.main()", *args]


def run_cli(env: dict[str, str], label: str) -> tuple[float, float | None]:
    """Run `amends draft` on the example; print and return wall time and seconds until the first draft appears
    on stderr, with the calls and tokens the command reported (to check the replay generates the same)."""
    start = time.perf_counter()
    proc = subprocess.Popen(amends_cmd("draft", SUMMARY, "--facts", str(FACTS)), cwd=ROOT,
                            env=env | {"COLUMNS": "250"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first: float | None = None
    lines: list[bytes] = []
    assert proc.stderr is not None
    for raw in iter(proc.stderr.readline, b""):
        lines.append(raw)
        if first is None and b"first draft" in raw:
            first = time.perf_counter() - start
    if proc.stdout:
        proc.stdout.read()
    proc.wait()
    wall = time.perf_counter() - start
    cost = re.search(r"(\d+) LLM call\(s\) · ([\d,]+) tokens", " ".join(b"".join(lines).decode().split()))
    print(f"{label:<46} wall {wall:.2f} s, first draft visible after {first or float('nan'):.2f} s, "
          f"{cost.group(1) if cost else '?'} call(s), {cost.group(2) if cost else '?'} tokens", flush=True)
    return wall, first


#: llama-cpp-python's server defaults for what a request leaves out (llama_cpp/server/types.py); the in-process
#: create_chat_completion defaults differ (repeat_penalty 1.0), which would generate different tokens.
SERVER_SAMPLING = {"top_p": 0.95, "top_k": 40, "min_p": 0.05, "repeat_penalty": 1.1}


def pure_generation_seconds(cassette: Path) -> tuple[float, float, int]:
    """Replay every recorded request into an in-process Llama (same chat format, sampling and RAM cache as the
    server) and check it generates as many tokens as the server did.

    Returns model seconds with a cold cache (first pass, like a cold `amends draft`), with a warm cache
    (second pass, like a draft against `amends serve`), and the number of requests.
    """
    import yaml
    from llama_cpp import Llama, LlamaRAMCache

    from pipeline.local_server import gguf_path

    def load(cache: bool) -> Llama:
        llm = Llama(model_path=str(gguf_path()), chat_format="chatml-function-calling", n_ctx=4096,
                    n_threads=max(1, min(4, os.cpu_count() or 1)), seed=0, verbose=False)
        if cache:
            llm.set_cache(LlamaRAMCache(capacity_bytes=256 * 1024 * 1024))
        return llm

    data = yaml.safe_load(cassette.read_text())
    pairs = [(json.loads(i["request"]["body"]), json.loads(i["response"]["body"]["string"]))
             for i in data["interactions"] if i["request"]["uri"].endswith("/chat/completions")]
    served = sum(resp["usage"]["completion_tokens"] for _, resp in pairs)
    passes = []
    # cold: a fresh model without a prompt cache, like the server a single `amends draft` starts for itself;
    # warm: the second pass of a model with the RAM cache, like `amends serve` after earlier calls.
    cached = load(cache=True)
    for label, llm in (("cold", load(cache=False)), ("warm-up", cached), ("warm", cached)):
        total, generated, prompt = 0.0, 0, 0
        for body, _ in pairs:
            kwargs = SERVER_SAMPLING | {k: body[k] for k in ("messages", "tools", "tool_choice", "max_tokens",
                                                             "temperature", "seed", "top_p") if k in body}
            start = time.perf_counter()
            out = llm.create_chat_completion(**kwargs)
            total += time.perf_counter() - start
            generated += out["usage"]["completion_tokens"]  # type: ignore[index]
            prompt += out["usage"]["prompt_tokens"]  # type: ignore[index]
        print(f"pure generation, {label}: {total:.2f} s for {generated} completion tokens, {prompt + generated} "
              f"in all (the server generated {served} when the request was captured, warm)")
        passes.append(total)
    return passes[0], passes[2], len(pairs)


def capture_requests(env_url: str, out: Path) -> None:
    """Run the same review in-process with vcrpy recording every request to ``out``."""
    import vcr

    from pipeline.inputs import load_facts
    from pipeline.loop import review

    os.environ["AMENDS_LOCAL_URL"] = env_url
    with vcr.VCR(record_mode="all", match_on=["method", "path", "body"]).use_cassette(str(out)):
        review(SUMMARY, load_facts(FACTS), model="local")
    del os.environ["AMENDS_LOCAL_URL"]


def core_scenarios(n: int) -> dict[str, float]:
    """Review the first n scenarios in-process against a warm server; aggregate calls, tokens, acceptance."""
    from pipeline.loop import review
    from pipeline.schema import Facts

    path = ROOT / "evals" / "data" / "scenarios.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()][:n]
    calls: list[int] = []
    tokens: list[int] = []
    rounds: list[int] = []
    latency: list[float] = []
    ok: list[bool] = []
    grounded = 0
    for row in rows:
        r = review(row["summary"], Facts.model_validate(row.get("facts") or {}), model="local")
        calls.append(r.llm_calls)
        tokens.append(r.tokens)
        rounds.append(len(r.rounds))
        latency.append(r.latency_s)
        ok.append(r.accepted)
        grounded += not r.rounds[-1].critique.grounding
        print(f"  {row['id']:<32} accepted={r.accepted!s:<5} rounds={len(r.rounds)} calls={r.llm_calls} "
              f"tokens={r.tokens} {r.latency_s:.1f}s placeholders={len(r.placeholders)}", flush=True)
    acc_calls = [c for c, good in zip(calls, ok, strict=True) if good]
    return {"scenarios": len(rows), "accepted": sum(ok), "grounding_clean": grounded,
            "mean_calls": statistics.mean(calls),
            "mean_calls_accepted": statistics.mean(acc_calls) if acc_calls else 0,
            "mean_tokens": statistics.mean(tokens), "mean_rounds": statistics.mean(rounds),
            "mean_latency_s": statistics.mean(latency)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=10)
    parser.add_argument("--skip-core", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="amends-bench-"))
    env = {**os.environ, "AMENDS_STATE_DIR": str(tmp / "state")}
    env.pop("AMENDS_LOCAL_URL", None)

    cold_wall, _ = run_cli(env, "cold amends draft")

    serve = subprocess.Popen(amends_cmd("serve"), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # as a user runs it: model server + warm process
    try:
        state = tmp / "state"
        deadline = time.monotonic() + 120
        while not (state / "warm.sock").exists() and time.monotonic() < deadline and serve.poll() is None:
            time.sleep(0.05)
        url = json.loads((state / "server.json").read_text())["url"]
        run_cli(env, "warm-up (fills the server's prompt cache)")
        warm_wall, _ = run_cli(env, "warm amends draft (amends serve)")
        nowarm_wall, _ = run_cli({**env, "AMENDS_NO_WARM": "1"}, "warm model, cold process (AMENDS_NO_WARM=1)")
        cassette = tmp / "requests.yaml"
        capture_requests(url, cassette)
        if not args.skip_core:
            core = core_scenarios(args.scenarios)
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    cold_pure, warm_pure, calls = pure_generation_seconds(cassette)
    print(f"pure generation for the same {calls} request(s): cold cache {cold_pure:.2f} s, "
          f"warm cache {warm_pure:.2f} s")
    print(f"ratio cold wall / cold pure generation: {cold_wall / cold_pure:.2f}  (target ≤ 1.3)")
    print(f"ratio warm wall / warm pure generation: {warm_wall / warm_pure:.2f}  (target ≤ 1.3)")
    print(f"ratio warm model, cold process / warm pure generation: {nowarm_wall / warm_pure:.2f}")
    if not args.skip_core:
        print(f"core scenarios: {core['accepted']}/{core['scenarios']} accepted, "
              f"{core['grounding_clean']}/{core['scenarios']} grounding-clean")
        print(f"mean LLM calls per review {core['mean_calls']:.2f} (per accepted {core['mean_calls_accepted']:.2f}, "
              f"target ≤ 2.5); mean tokens {core['mean_tokens']:.0f}; mean rounds {core['mean_rounds']:.2f}; "
              f"mean latency {core['mean_latency_s']:.1f} s")


if __name__ == "__main__":
    main()
