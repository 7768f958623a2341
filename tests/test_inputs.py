"""Bad input gives one clear error naming the fix."""

from __future__ import annotations

import pytest

from pipeline.config import MAX_INPUT_BYTES
from pipeline.errors import FactsError, InputError
from pipeline.inputs import check_text, decode_text, load_facts


@pytest.mark.parametrize("data, needle", [
    (b"", "empty"), (b"   \n\t ", "empty"), (b"\x00\x01binary", "binary"),
    (b"caf\xe9 au lait", "not UTF-8"), (b"x" * (MAX_INPUT_BYTES + 1), "limit"),
])
def test_decode_text_rejects_bad_bytes(data: bytes, needle: str) -> None:
    with pytest.raises(InputError) as info:
        decode_text(data, "stdin")
    assert needle in str(info.value)
    assert info.value.hint


def test_decode_text_keeps_good_text_and_strips_bom() -> None:
    assert decode_text("\ufeffI sent the wrong file.\n".encode()) == "I sent the wrong file."


def test_check_text_strips() -> None:
    assert check_text("  hello  ") == "hello"


def test_facts_unknown_key_names_allowed_fields(tmp_path) -> None:
    f = tmp_path / "f.yaml"
    f.write_text("recipient: Ms Rivera\ndeadlin: Friday\n")
    with pytest.raises(FactsError) as info:
        load_facts(f)
    assert "deadlin" in str(info.value) and "allowed fields" in info.value.hint


@pytest.mark.parametrize("body, needle", [
    ("recipient: [unclosed", "not valid YAML"), ("- a\n- b\n", "must be a mapping"),
    ("channel: pigeon\n", "channel"),
])
def test_facts_malformed(tmp_path, body: str, needle: str) -> None:
    f = tmp_path / "f.yaml"
    f.write_text(body)
    with pytest.raises(FactsError) as info:
        load_facts(f)
    assert needle in str(info.value)


def test_facts_numbers_become_text(tmp_path) -> None:
    f = tmp_path / "f.yaml"
    f.write_text("recipient: Ms Rivera\nmake_good: 20\n")
    assert load_facts(f).make_good == "20"


def test_facts_missing_file(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_facts(tmp_path / "nope.yaml")
