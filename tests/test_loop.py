"""The review loop with a fake model: stop rule, history to the reviser, repairs, graceful degradation."""

from __future__ import annotations

from fakes import all_pass_verdicts, fake_handle

from pipeline.loop import fallback_admission, review
from pipeline.prompts import load_variant
from pipeline.schema import Facts

FACTS = Facts(recipient="Ms Rivera", sender="Sam", fix="I have refunded the second $240 charge",
              deadline="by Friday 14 March", prevention="From now on a second person checks every invoice")
SUMMARY = "The October retainer was charged twice to Ms Rivera."  # passive: the model has to rewrite it


def test_first_person_summary_is_used_as_written_without_a_model_call() -> None:
    handle = fake_handle([all_pass_verdicts()])
    result = review("I charged Ms Rivera twice for her October retainer.", FACTS, model=handle)
    assert result.accepted and result.llm_calls == 1  # the judge only
    assert "I charged you twice for your October retainer." in result.final_text
    assert "used as written" in result.rounds[0].repairs[0]


def test_own_words_admission() -> None:
    from pipeline.loop import own_words_admission

    assert own_words_admission("missed the deadline for Dana's report. it was due monday") == \
        "I missed the deadline for Dana's report."
    assert own_words_admission("We double-booked Ms. Chen's hall. Sorry.") == "We double-booked Ms. Chen's hall."
    assert own_words_admission("The wrong file got sent to the client.") is None


def test_own_words_that_do_not_say_it_was_wrong_are_framed_as_the_mistake() -> None:
    from pipeline.checks import run_rules
    from pipeline.loop import fallback_admission, own_words_admission

    summary = "I sent Dana the Q3 report with last quarter's figures."
    assert run_rules(summary)["owns_mistake"].verdict == "unknown"  # what happened, not that it was wrong
    framed = "I made a mistake: I sent Dana the Q3 report with last quarter's figures."
    assert own_words_admission(summary) == framed == fallback_admission(summary)
    assert run_rules(framed)["owns_mistake"].verdict == "pass"
    assert own_words_admission("We shipped your order to your old address by mistake.") == \
        "We shipped your order to your old address by mistake."  # already owns it: kept as written


def test_good_first_draft_is_accepted_in_one_round_with_two_calls() -> None:
    handle = fake_handle([{"sentence": "I charged you twice for the October retainer."}, all_pass_verdicts()])
    result = review(SUMMARY, FACTS, model=handle)
    assert result.accepted and len(result.rounds) == 1 and result.llm_calls == 2
    assert result.final_text.startswith("Hi Ms Rivera,\n\nI charged you twice for the October retainer.")
    assert "$240" in result.final_text and result.placeholders == []
    assert result.rounds[0].critique.judge_ok


def test_invented_fact_is_flagged_and_revised_with_history() -> None:
    handle = fake_handle([
        {"sentence": "I charged you $999 twice for the October retainer."},  # draft invents an amount
        {"sentence": "I charged you twice for the October retainer."},      # revise
        all_pass_verdicts(),                                                # judge of round 2
    ])
    result = review(SUMMARY, FACTS, model=handle)
    first = result.rounds[0].critique
    assert {g.quote for g in first.grounding} >= {"$999"}
    assert result.accepted and len(result.rounds) == 2
    revise_prompt = handle.chat.seen[1][-1].content  # type: ignore[attr-defined]
    assert "$999" in revise_prompt  # the earlier attempt and its problem reach the reviser
    assert not first.judge_ok  # rules already failed: the judge call was skipped


def test_bad_revision_is_repaired_from_the_summary() -> None:
    handle = fake_handle([
        {"sentence": "I regret that mistakes were made with the October retainer."},
        {"sentence": "I regret the October retainer was charged twice."},
        all_pass_verdicts(),
    ])
    result = review(SUMMARY, FACTS, model=handle, max_rounds=2)
    assert result.rounds[1].repairs and "used your summary" in result.rounds[1].repairs[0]
    assert "I made a mistake: the October retainer was charged twice to you." in result.final_text
    assert result.accepted


def test_invalid_judge_output_degrades_to_rules_with_warning() -> None:
    handle = fake_handle([{"sentence": "I charged you twice for the October retainer."}, "not json", "still not"])
    result = review(SUMMARY, FACTS, model=handle, max_rounds=1)
    crit = result.rounds[0].critique
    assert not crit.judge_ok and any("rules alone" in w for w in crit.warnings)
    assert len(result.rounds) == 1


def test_max_rounds_is_the_stop_rule() -> None:
    handle = fake_handle([{"sentence": "I charged you $999."}, {"sentence": "I charged you $999 again."}])
    result = review(SUMMARY, FACTS, model=handle, max_rounds=1)
    assert not result.accepted and len(result.rounds) == 1 and "stopped after 1 round" in result.stop_reason


def test_missing_facts_leave_placeholders_not_inventions() -> None:
    handle = fake_handle([{"sentence": "I missed our 10 am call."}, all_pass_verdicts()])
    result = review("I missed the 10 am call with Jorge.", Facts(recipient="Jorge"), model=handle)
    assert {p.field for p in result.placeholders} == {"fix", "deadline", "prevention", "sender"}
    assert all(p.token in result.final_text for p in result.placeholders)


def test_fallback_admission_is_first_person() -> None:
    assert fallback_admission("The wrong file got sent to the client.") == \
        "I made a mistake: the wrong file got sent to the client."
    assert fallback_admission("We double-booked Ms. Rivera's slot. Sorry.") == "We double-booked Ms. Rivera's slot."


def test_admission_with_the_client_as_subject_is_fed_back_and_retried() -> None:
    handle = fake_handle([{"sentence": "Ms Rivera charged you twice."},
                          {"sentence": "I charged you twice for the October retainer."}, all_pass_verdicts()])
    result = review(SUMMARY, FACTS, model=handle)
    assert [c.step for c in result.rounds[0].calls][:2] == ["draft", "draft-retry"]
    assert 'must start with "I"' in handle.chat.seen[1][-1].content  # type: ignore[attr-defined]
    assert "I charged you twice for the October retainer." in result.final_text and result.accepted


def test_admission_inventing_events_is_fed_back() -> None:
    handle = fake_handle([{"sentence": "I charged you twice with a tool call that was invalid."},
                          {"sentence": "I charged you twice for the October retainer."}, all_pass_verdicts()])
    result = review(SUMMARY, FACTS, model=handle)
    feedback = handle.chat.seen[1][-1].content  # type: ignore[attr-defined]
    assert "tool" in feedback and "invalid" in feedback
    assert "tool call" not in result.final_text and result.accepted


def test_unsupported_words_ignores_function_words_and_inflections() -> None:
    from pipeline.loop import unsupported_words

    note = ["I charged Ms Rivera twice for the October retainer."]
    assert unsupported_words("I charged you twice for your October retainers.", note) == []
    assert unsupported_words("I charged you twice because the bank glitched.", note) == ["because", "bank",
                                                                                           "glitched"]


def test_failures_only_the_facts_can_fix_stop_the_loop_early() -> None:
    vague = FACTS.model_copy(update={"fix": "We will look into it"})
    handle = fake_handle([all_pass_verdicts()])
    result = review("I charged Ms Rivera twice for her October retainer.", vague, model=handle, max_rounds=3)
    assert len(result.rounds) == 1 and not result.accepted
    assert result.stop_reason.startswith("stopped: concrete_fix failing in the facts you gave")


def test_quoted_names_are_not_readdressed() -> None:
    from pipeline.compose import address_client

    assert address_client("I wrote 'Mr Lynn Carter' (she's Ms Carter) on Ms Carter's proposal.", "Ms Carter") == \
        "I wrote 'Mr Lynn Carter' (she's Ms Carter) on your proposal."


def test_fallback_admission_never_keeps_blame_from_the_summary() -> None:
    generic = load_variant().phrases["admission_generic"]
    summary = "The courier lost the parcel because our warehouse system crashed."
    assert fallback_admission(summary) == "I made a mistake: the courier lost the parcel because our warehouse " \
        "system crashed."
    assert fallback_admission(summary, generic) == generic
    assert fallback_admission("I sent the wrong file.", generic) == "I sent the wrong file."


def test_fallback_admission_gives_a_bare_verb_its_subject() -> None:
    assert fallback_admission("Sent the draft to the printer too early") == \
        "I made a mistake: I sent the draft to the printer too early."
