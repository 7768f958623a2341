"""Compose mode places the user's facts verbatim and marks what is missing."""

from __future__ import annotations

from pipeline.compose import address_client, as_clause, compose, find_placeholders
from pipeline.prompts import load_variant
from pipeline.schema import Facts

FULL = Facts(recipient="Ms Rivera", sender="Sam, Brightline Studio", impact="you were charged $480 instead of $240",
             fix="refunded the second $240 charge to your card", deadline="already done",
             prevention="From now on a second person checks every invoice before it goes out",
             make_good="take 20% off next month's retainer")


def test_full_facts_appear_verbatim_without_placeholders() -> None:
    text, placeholders = compose(load_variant(), FULL, "I charged you twice for October")
    for value in ("Ms Rivera", "$480 instead of $240", "refunded the second $240 charge to your card",
                  "a second person checks every invoice", "20% off next month's retainer", "Sam, Brightline Studio"):
        assert value in text
    assert text.startswith("Hi Ms Rivera,\n\nI charged you twice for October. ")
    assert placeholders == [] and find_placeholders(text) == []


def test_missing_facts_become_visible_placeholders_with_questions() -> None:
    text, placeholders = compose(load_variant(), Facts(), "I missed our call")
    fields = {p.field for p in placeholders}
    assert fields == {"fix", "deadline", "prevention", "sender"}
    for p in placeholders:
        assert p.token in text and p.question.endswith("?")


def test_chat_channel_is_one_paragraph() -> None:
    text, _ = compose(load_variant(), FULL.model_copy(update={"channel": "chat"}), "I charged you twice")
    assert "\n" not in text and text.startswith("Hi Ms Rivera, I charged you twice.")


def test_letter_paragraphs_do_not_start_with_a_space() -> None:
    text, _ = compose(load_variant(), FULL.model_copy(update={"channel": "letter"}), "I charged you twice")
    assert "\n\nFrom now on a second person checks" in text
    assert not any(line.startswith((" ", "\t")) for line in text.splitlines())


def test_formal_tone_changes_greeting_and_signoff() -> None:
    text, _ = compose(load_variant(), FULL.model_copy(update={"tone": "formal"}), "I charged you twice")
    assert text.startswith("Dear Ms Rivera,") and "Yours sincerely," in text


def test_as_clause_gives_bare_verbs_a_subject() -> None:
    assert as_clause("refunded the $240.") == "I have refunded the $240"
    assert as_clause("re-send the report") == "I will re-send the report"
    assert as_clause("from now on I check twice") == "From now on I check twice"
    assert as_clause("Refunded the charge") == "I have refunded the charge"
    assert as_clause("We will re-send it") == "We will re-send it"


def test_address_client_speaks_to_the_recipient() -> None:
    assert address_client("I charged Ms. Rivera twice for her October retainer.", "Ms Rivera") == \
        "I charged you twice for your October retainer."
    assert address_client("I sent the client's report to the wrong address.", None) == \
        "I sent your report to the wrong address."
    assert address_client("I told Jorge his order shipped.", "Jorge Alvarez") == "I told you your order shipped."
    assert address_client("I missed her call.", "Dana") == "I missed her call."  # no name replaced: keep pronouns


def test_a_fix_already_made_gets_a_delivery_not_a_completion_date() -> None:
    text, _ = compose(load_variant(), FULL.model_copy(update={"deadline": "by Friday 14 March"}), "I charged you twice")
    assert "I have refunded the second $240 charge to your card. It will be with you by Friday 14 March." in text
    later = FULL.model_copy(update={"fix": "I will re-send the report", "deadline": "by Friday"})
    assert "I will re-send the report. It will be done by Friday." in compose(load_variant(), later, "I sent it")[0]
