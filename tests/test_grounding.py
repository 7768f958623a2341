"""Grounding guard: invented specifics are flagged, specifics the sources hold (in any usual spelling) are not."""

from __future__ import annotations

import pytest
from fakes import for_random_texts

from pipeline.grounding import check_grounding

SOURCES = ["I charged Ms Rivera twice for the October retainer and missed the 10 am call with Jorge.",
           "I have refunded the second $240 charge", "by Friday 14 March", "Sam, Brightline Studio",
           "Call me on +44 20 7946 0000 or write to sam@brightline.com; details at https://brightline.com/help",
           "From now on a second person checks every invoice"]


def issues(text: str, sources: list[str] = SOURCES) -> set[tuple[str, str]]:
    found = check_grounding(text, sources)
    for g in found:
        assert text[g.start:g.end] == g.quote
    return {(g.kind, g.quote) for g in found}


@pytest.mark.parametrize("text, kind, quote", [
    ("I have refunded $300 to your card.", "amount", "$300"),
    ("It will be done on Wednesday.", "date", "Wednesday"),
    ("I have asked Dr Patel to review it.", "name", "Dr Patel"),
    ("Please write to sam@x.com with any questions.", "email", "sam@x.com"),
    ("Call me on 555-0134 at any time.", "phone", "555-0134"),
    ("The new schedule is at www.example.org/plan.", "url", "www.example.org/plan"),
    ("I have taken 20% off the invoice.", "number", "20%"),
    ("It will be done within 48 hours.", "number", "48"),
    ("The files will be there by 3:30 pm.", "time", "3:30 pm"),
    ("It will be ready on 21 March.", "date", "21 March"),
    ("It will be ready on 03/21/2025.", "date", "03/21/2025"),
    ("I charged you for the November retainer.", "date", "November"),
    ("I spoke with Priya Shah about it.", "name", "Priya Shah"),
])
def test_invented_specifics_are_flagged(text: str, kind: str, quote: str) -> None:
    assert (kind, quote) in issues(text)


@pytest.mark.parametrize("text", [
    "Hi Ms Rivera,\n\nI charged you twice for the October retainer. I have refunded the 240 charge.",
    "I have refunded the $240.00 charge. It will be done by March 14.",
    "It will be done by Friday, 14th March, and I missed our 10am call.",
    "Call me on 020 7946 0000 or at sam@brightline.com, or see brightline.com/help.",
    "The details are at https://www.brightline.com/help.",
    "I am sorry, Jorge. I will call you at 10:00 am.",
    "Best regards,\nSam\nBrightline Studio",
    "It was done twice; I will make it right.",
])
def test_grounded_specifics_are_not_flagged(text: str) -> None:
    assert issues(text) == set()


def test_placeholders_are_ignored() -> None:
    text = ("It will be done by [date the fix will be done], says [your name] on [555-0199].\n\n"
            "Best regards,\n[your name]")
    assert issues(text) == set()


def test_ordinary_capitalised_words_are_not_names() -> None:
    text = ("Unfortunately, I sent it late. Thankfully nothing was lost. Yesterday I checked again.\n"
            "Attached is the corrected file. Thank You for your patience. Please Note the new total.\n"
            "- Invoice attached\n1. Refund issued\nP.S. Thanks again!")
    assert issues(text) == set()


def test_acronyms_are_not_names_but_unknown_caps_are() -> None:
    assert issues("I have attached the PDF and the VAT receipt for our CEO.") == set()
    assert ("name", "ACME") in issues("I told the ACME team.")


def test_signoff_name_is_checked() -> None:
    assert issues("Best regards,\nSam") == set()
    assert ("name", "Alex Morgan") in issues("Kind regards,\nAlex Morgan")


def test_each_specific_is_reported_once_in_text_order() -> None:
    found = check_grounding("I refunded $300, yes $300, to Dr Patel.", SOURCES)
    assert [g.quote for g in found] == ["$300", "Dr Patel"]
    assert found[0].start < found[1].start


def test_no_sources_flags_every_specific() -> None:
    kinds = {g.kind for g in check_grounding("I refunded $40 on Monday at 5 pm to Jo Lee.", [])}
    assert kinds == {"amount", "date", "time", "name"}


def test_composed_letter_is_grounded_in_its_facts_and_frames() -> None:
    frames = ["Hi {recipient},", "I am sorry for the trouble this has caused you.", " It will be done {deadline}.",
              "I hope you will forgive me and give me the chance to keep working with you.",
              " I would be glad to call you to talk it through.", "Best regards,\n{sender}"]
    summary = "I charged Ms Rivera twice for the October retainer."
    facts = ["Ms Rivera", "Sam", "I have refunded the second $240 charge", "by Friday 14 March",
             "From now on a second person checks every invoice"]
    text = ("Hi Ms Rivera,\n\nI charged you twice for the October retainer. I am sorry for the trouble this has caused "
            "you.\n\nI have refunded the second $240 charge. It will be done by Friday 14 March. From now on a second "
            "person checks every invoice.\n\nI hope you will forgive me and give me the chance to keep working with "
            "you. I would be glad to call you to talk it through.\n\nBest regards,\nSam")
    assert check_grounding(text, [summary, *facts, *frames]) == []
    assert {g.quote for g in check_grounding(text.replace("$240", "$999"), [summary, *facts, *frames])} == {"$999"}


def test_random_text_never_breaks_offsets() -> None:
    def check(text: str) -> None:
        for g in check_grounding(text, SOURCES):
            assert text[g.start:g.end] == g.quote

    for_random_texts(check)


def test_possessive_in_the_sources_grounds_the_plain_word() -> None:
    sources = ["you went into Tuesday's board meeting without the figures", "Dana's report"]
    assert issues("I know you went into the Tuesday meeting without the report, Dana.", sources) == set()
    assert ("date", "Thursday") in issues("It will be done on Thursday.", sources)
