"""amends command line: thin Typer commands that parse, call one library function, and render."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pipeline import config
from pipeline.errors import AmendsError

app = typer.Typer(
    name="amends",
    help="Write the apology to a client after a mistake: draft, critique against the rubric, revise.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help="local, openai:<model>, or provider:model "
                                                                    "[env AMENDS_MODEL; default local]")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _read_arg_or_stdin(value: str | None, what: str) -> str:
    from pipeline.inputs import decode_text, read_text_file

    if value is None or value == "-":
        if sys.stdin.isatty():
            raise AmendsError(f"no {what} given", hint=f"pass the {what} as an argument, a file, or on stdin")
        return decode_text(sys.stdin.buffer.read(), "stdin")
    if what == "message":
        return read_text_file(value)
    from pipeline.inputs import check_text

    return check_text(value, what)


def _ask_placeholders(text: str, placeholders: list) -> str:
    """When stdin and stdout are terminals, ask for each placeholder and fill it in."""
    if not placeholders or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return text
    for p in placeholders:
        answer = typer.prompt(f"{p.question} (Enter to keep {p.token})", default="", show_default=False).strip()
        if answer:
            text = text.replace(p.token, answer)
    return text


@app.command()
def draft(
    summary: Annotated[str | None, typer.Argument(help="What went wrong, in a sentence or two ('-' or omit: stdin).")] = None,
    facts: Annotated[Path | None, typer.Option("--facts", "-f", help="YAML facts: recipient, sender, impact, fix, "
                                                                        "deadline, prevention, make_good, channel, tone.")] = None,
    model: ModelOpt = None,
    judge_model: Annotated[str | None, typer.Option("--judge-model", help="Judge with a different model.")] = None,
    max_rounds: Annotated[int, typer.Option("--max-rounds", min=1, max=10, help="Most draft/revise rounds.")] = 3,
    variant: Annotated[str, typer.Option("--variant", help="Prompt variant (folder under prompts/).")] = "default",
    as_json: JsonOpt = False,
) -> None:
    """Draft an apology, critique it against the rubric, and revise it until it passes."""
    from pipeline.inputs import load_facts
    from pipeline.loop import review
    from pipeline.render import print_review

    text = _read_arg_or_stdin(summary, "summary")
    fact_data = load_facts(facts)
    if as_json:
        result = review(text, fact_data, model=model, judge_model=judge_model, max_rounds=max_rounds, variant=variant)
        out.print_json(json.dumps(result.model_dump(mode="json") | {"llm_calls": result.llm_calls}))
        return
    with err.status("starting…") as status:
        def on_event(kind: str, payload: object) -> None:
            if kind == "status":
                status.update(str(payload) + "…")
            elif kind == "first_text":
                err.print("[dim]first draft ready[/]")

        result = review(text, fact_data, model=model, judge_model=judge_model, max_rounds=max_rounds,
                        variant=variant, on_event=on_event)
    print_review(err if not sys.stdout.isatty() else out, result)
    final = _ask_placeholders(result.final_text, result.placeholders)
    out.rule("final apology")
    print(final)


@app.command()
def check(
    file: Annotated[str | None, typer.Argument(help="Message file, or '-' / omit for stdin.")] = None,
    model: ModelOpt = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="Deterministic checks only; no LLM call.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Critique an existing message. Exit 0 when every required criterion passes, 1 when some fail."""
    import pipeline
    from pipeline.render import print_critique

    text = _read_arg_or_stdin(file, "message")
    with err.status("judging…"):
        crit = pipeline.critique(text, model=model, rules_only=rules_only)
    if as_json:
        out.print_json(crit.model_dump_json())
    else:
        print_critique(out, crit)
    raise typer.Exit(0 if crit.required_pass else 1)


@app.command()
def rubric(as_json: JsonOpt = False) -> None:
    """Print the rubric the critique uses."""
    from pipeline.render import print_rubric
    from pipeline.rubric import load_rubric

    r = load_rubric()
    if as_json:
        out.print_json(r.model_dump_json())
    else:
        print_rubric(out, r)


@app.command()
def serve(port: Annotated[int | None, typer.Option("--port", help="Port on 127.0.0.1 (default: a free one).")] = None) -> None:
    """Keep the embedded model running so repeated amends calls start instantly."""
    from pipeline.local_server import serve_forever

    serve_forever(port, on_ready=lambda url: err.print(f"embedded model serving at {url} — Ctrl-C to stop"))


def main() -> None:
    """Console-script entry point: run the app, turning AmendsError into one clean line (AMENDS_DEBUG=1: traceback)."""
    try:
        app(standalone_mode=False)
    except AmendsError as exc:
        if config.debug():
            raise
        err.print(f"[red]error:[/] {exc.one_line()}", soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # click usage errors arrive as ClickException in standalone_mode=False
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if config.debug():
            raise
        from pipeline.models import redact

        err.print(f"[red]internal error:[/] {type(exc).__name__}: {redact(str(exc))[:300]} — "
                  "set AMENDS_DEBUG=1 for the traceback and please report it", soft_wrap=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
