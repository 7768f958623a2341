"""Recorded tests: real HTTP to the embedded model, replayed from cassettes in CI (record mode `none`).

Re-record offline with `pytest tests/test_recorded.py --record-mode=rewrite`: the fixture then starts the
embedded server. Requests match on method, path and body, so a prompt edit without re-recording fails
loudly instead of silently calling a model.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipeline import critique
from pipeline.loop import review
from pipeline.schema import Facts

EXAMPLE = Facts(recipient="Ms Rivera", sender="Sam Okafor, Brightline Studio",
                impact="you were charged $480 instead of $240 for October",
                fix="I have refunded the second $240 charge to your card", deadline="by Friday 14 March",
                prevention="From now on a second person checks every invoice before it goes out",
                make_good="I will take 20% off your November retainer", tone="warm")


@pytest.fixture(scope="module")
def vcr_config() -> dict:
    return {
        "filter_headers": ["authorization", "x-api-key", "api-key", "openai-organization", "cookie", "set-cookie"],
        "match_on": ["method", "path", "body"],
        "decode_compressed_response": True,
    }


@pytest.fixture
def embedded(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Replay: point `local` at a closed port (the cassette answers). Record: start the real embedded server."""
    mode = request.config.getoption("--record-mode")
    if mode == "none":
        monkeypatch.setenv("AMENDS_LOCAL_URL", "http://127.0.0.1:9/v1")
        yield
        return
    from pipeline.local_server import start_server

    server = start_server()
    monkeypatch.setenv("AMENDS_LOCAL_URL", server.url)
    try:
        yield
    finally:
        server.stop()


@pytest.mark.vcr
def test_review_of_the_readme_example(embedded: None) -> None:
    result = review("I charged Ms Rivera twice for her October retainer.", EXAMPLE, model="local")
    assert result.accepted, result.stop_reason
    final = result.rounds[-1].critique
    assert final.required_pass and final.grounding == [] and result.placeholders == []
    assert final.judge_ok or final.warnings  # the judge ran, or its failure was reported
    assert result.llm_calls <= 6
    for fact in ("refunded the second $240 charge", "by Friday 14 March", "a second person checks every invoice"):
        assert fact in result.final_text


@pytest.mark.vcr
def test_review_without_facts_asks_for_them(embedded: None) -> None:
    result = review("We double-booked the Hendersons' anniversary dinner on Saturday.", Facts(), model="local")
    assert {p.field for p in result.placeholders} >= {"deadline", "fix", "prevention"}
    assert result.rounds[-1].critique.grounding == []


@pytest.mark.vcr
def test_critique_catches_a_conditional_apology(embedded: None) -> None:
    crit = critique("Hi Tom, we're sorry if you felt the delay was a problem. These things happen. Regards, Ana",
                    model="local")
    assert crit.criteria["clear_apology"].verdict == "fail"
    assert crit.criteria["no_excuses"].verdict == "fail"
    assert not crit.required_pass
