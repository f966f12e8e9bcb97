"""PII detection (vocmine.nlp.pii), redaction (vocmine.nlp.redact) and the labelled test set."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pii_testset import (
    DEFAULT_TEST_RULES,
    STRUCTURED_KINDS,
    LabelledText,
    generate,
    load_demo_texts,
    load_planted,
    score_spans,
)

from vocmine.nlp.pii import (
    PiiRules,
    PiiSpan,
    find_brand_handles,
    find_pii,
    iban_is_valid,
    is_brand_handle,
    luhn_is_valid,
)
from vocmine.nlp.redact import Redaction, redact

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


@pytest.fixture(scope="module")
def testset():
    return generate()


def found(text: str, rules: PiiRules = DEFAULT_TEST_RULES) -> list[tuple[str, str]]:
    return [(text[s.start:s.end], s.kind) for s in find_pii(text, rules)]


def assert_only(value: str, kind: str, template: str = "Please note {} thanks.") -> None:
    """``value`` inside a sentence is found as exactly one span of ``kind`` covering exactly it."""
    assert found(template.format(value)) == [(value, kind)]


@pytest.mark.parametrize("email", [
    "jo@example.com", "sarah.jones@example.co.uk", "o'brien.k@example.org", "first+bills@mail.example.net",
    "SARAH.JONES@EXAMPLE.COM", "a_b-c.99@sub.example.ie",
])
def test_pii_detects_email(email):
    assert_only(email, "EMAIL")
    assert_only(email, "EMAIL", "email me at {}.")


@pytest.mark.parametrize("phone", [
    "+44 7700 900123", "+447700900123", "+44 (0)7700 900123", "0044 7700 900123", "(+44) 7700 900123",
    "+44 20 7946 0958", "07700 900 456", "07700 900456", "07700900456", "07700-900-456", "(020) 7946 0958",
    "020 7946 0958", "0113 496 0947", "01632 960123", "0800 123 4567", "447700900123",
    "+1 415-555-0134", "+1 (415) 555-0134", "(415) 555-0134", "415-555-0134", "415.555.0134", "4155550134",
    "1-800-555-0199", "+48 123 456 789", "+48 22 123 45 67", "123 456 789", "+33 6 12 34 56 78", "06 12 34 56 78",
    "+49 30 12345678", "030 12345678", "+353 87 123 4567", "+34 612 345 678", "+39 312 345 6789", "06-12345678",
    "+91 98765 43210", "+61 412 345 678",
])
def test_pii_detects_phone(phone):
    assert_only(phone, "PHONE")
    assert_only(phone, "PHONE", "Callback on {}, after 5pm.")
    assert_only(phone, "PHONE", "({})")


@pytest.mark.parametrize("card", [
    "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5500 0000 0000 0004", "2223 0000 4841 0010",
    "3782 822463 10005", "3714-496353-98431", "378282246310005", "6011 1111 1111 1117", "4222222222222",
])
def test_pii_detects_card(card):
    assert_only(card, "CARD")
    assert_only(card, "CARD", "Cust read out card {}, adv not to share.")


@pytest.mark.parametrize("iban", [
    "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", "gb82 west 1234 5698 7654 32",
    "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606", "ES91 2100 0418 4502 0005 1332",
    "IT60 X054 2811 1010 0000 0123 456", "NL91 ABNA 0417 1643 00", "PL61 1090 1014 0000 0712 1981 2874",
    "IE29 AIBK 9311 5212 3456 78", "BE68 5390 0754 7034", "CH93 0076 2011 6238 5295 7", "AT61 1904 3002 3457 3201",
    "PT50 0002 0123 1234 5678 9015 4",
])
def test_pii_detects_iban(iban):
    assert_only(iban, "IBAN")
    assert_only(iban, "IBAN", "Refund to {}.")


@pytest.mark.parametrize("ssn", ["123-45-6789", "078-05-1120", "AB123456C", "AB 12 34 56 C", "ab123456c",
                                 "JG 103759 A"])
def test_pii_detects_ssn_and_ni_number(ssn):
    assert_only(ssn, "SSN")


@pytest.mark.parametrize(("text", "url"), [
    ("see https://example.com/a?b=1&c=2.", "https://example.com/a?b=1&c=2"),
    ("pics: http://www.example.org/~c.wilson80/brightline, thanks", "http://www.example.org/~c.wilson80/brightline"),
    ("go to www.example.co.uk!", "www.example.co.uk"),
    ("short link t.co/abc123 lol", "t.co/abc123"),
    ("(bit.ly/3xYzAb)", "bit.ly/3xYzAb"),
    ("proof (https://example.com/wiki/Foo_(bar)) here", "https://example.com/wiki/Foo_(bar)"),
    ("HTTPS://EXAMPLE.COM/X?", "HTTPS://EXAMPLE.COM/X"),
    ("speed test https://speedtest.example.net/r/12345678901 shows it", "https://speedtest.example.net/r/12345678901"),
])
def test_pii_detects_url_without_trailing_punctuation(text, url):
    assert found(text) == [(url, "URL")]


@pytest.mark.parametrize("handle", ["@jenny_k_88", "@115712", "@MarkT1987", "@_zofia_x", "@a"])
def test_pii_detects_customer_handle(handle):
    assert_only(handle, "HANDLE", "{} wrote to @BrightlineHelp: my bill!")
    assert not is_brand_handle(handle, DEFAULT_TEST_RULES)


@pytest.mark.parametrize("handle", ["@BrightlineHelp", "@brightlinehelp", "@AmazonHelp", "@sprintcare", "@AskPayPal",
                                    "@AppleSupport", "@Uber_Support", "@BT_Care", "@ThreeUKOfficial", "@Acme_CS"])
def test_pii_brand_handles_are_metadata_not_pii(handle):
    text = f"@jenny_k_88 to {handle}: sort it out"
    assert found(text) == [("@jenny_k_88", "HANDLE")]
    assert find_brand_handles(text, DEFAULT_TEST_RULES) == [(15, 15 + len(handle), handle[1:].lower())]


def test_pii_brand_handles_from_rules_and_numeric_never_brands():
    rules = PiiRules(brand_handles=frozenset({"@United", "delta"}))
    assert is_brand_handle("@united", rules) and is_brand_handle("Delta", rules)
    assert not is_brand_handle("@united", PiiRules())
    assert not is_brand_handle("@115712", PiiRules(brand_handles=frozenset({"115712"})))
    assert not is_brand_handle("@asking4it", rules)  # Ask + lower case is a word, not a brand


@pytest.mark.parametrize("text", [
    "£1,234.56", "$12.99", "1.234,56 €", "€49.99", "£9.99/mth", "123 456 789 €", "£1 049", "1,234,567,890",
    "2026-09-14", "14/09/2026", "14.09.2026", "9/14/2026", "14.09.2026 10.22", "2026 09 14 10 22", "10:22", "10:22:45",
    "in 2026", "2019 2020 2021", "BA2490", "UA 123", "FR 8342", "U2 1234", "PLAN-UNL-30", "PLAN-25GB-24", "7.0.1",
    "10.0.19045.2364", "v2.14.3", "12.5%", "7.9 %", "100%", "3-5 days", "40 minutes", "2 weeks", "case 4471233",
    "ticket 20418873", "sort code 20-00-00", "0.123456789", "192.168.100.200", "1.234.567.890", "5 123 456 789",
    "Ref 4111 1111 1111 1112", "Ref 4111-1111-1111-1112", "Ref 4111111111111112", "Ref 1234 5678 9012 3456",
    "GB82 WEST 1234 5698 7654 33", "DE89 3704 0044 0532 0130 01", "666-12-3456", "000-12-3456", "912-34-5678",
    "QQ 12 34 56 C", "ACC-123", "BL-2026-004512x", "meet @10am", "jo@localhost", "info at example dot com",
    "[EMAIL] [PHONE] [CARD] [IBAN] [SSN] [URL] [HANDLE] [PERSON] [ACCOUNT]",
])
def test_pii_lookalikes_not_detected(text):
    assert found(f"Note: {text} ok.") == []


@pytest.mark.parametrize(("digits", "valid"), [
    ("4111111111111111", True), ("4111111111111112", False), ("378282246310005", True), ("5500000000000004", True),
    ("79927398713", True), ("79927398710", False), ("0", True),
])
def test_pii_luhn_checksum(digits, valid):
    assert luhn_is_valid(digits) is valid


@pytest.mark.parametrize(("iban", "valid"), [
    ("GB82 WEST 1234 5698 7654 32", True), ("GB82 WEST 1234 5698 7654 33", False),
    ("GB82 WEST 1234 5698 7654 3", False),
    ("DE89370400440532013000", True), ("NO9386011117947", True), ("XK051212012345678906", True),
    ("GB82-WEST-1234", False), ("", False),
])
def test_pii_iban_checksum_and_length(iban, valid):
    assert iban_is_valid(iban) is valid


def test_pii_invalid_iban_silences_digits_inside():
    # The BBAN of this bad IBAN holds a Luhn-valid 16-digit run: still nothing to redact.
    text = "IBAN AT16 4111 1111 1111 1111 rejected"
    assert iban_is_valid("AT16 4111 1111 1111 1111") is False and found(text) == []


@pytest.mark.parametrize(("rules", "text", "expected"), [
    (DEFAULT_TEST_RULES, "Acct ACC-1234567 and order BL-2026-004512.",
     [("ACC-1234567", "ACCOUNT"), ("BL-2026-004512", "ACCOUNT")]),
    (PiiRules(), "Acct ACC-1234567 and order BL-2026-004512.", []),
    (PiiRules(extra_patterns=(("POSTCODE", r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"),)), "lives in SW1A 1AA now",
     [("SW1A 1AA", "POSTCODE")]),
])
def test_pii_extra_patterns(rules, text, expected):
    assert found(text, rules) == expected


def test_pii_extra_pattern_that_does_not_compile_is_named():
    with pytest.raises(ValueError, match="ACCOUNT pattern"):
        find_pii("x", PiiRules(extra_patterns=(("ACCOUNT", r"ACC-(\d"),)))


@pytest.mark.parametrize(("text", "expected"), [
    ("Cust 123-45-6789 verified", [("123-45-6789", "SSN")]),  # also a 9-digit grouped phone: SSN is more specific
    ("see https://wa.example.me/447700900123 now", [("https://wa.example.me/447700900123", "URL")]),  # longer wins
    ("mail 07700900123@sms.example.com", [("07700900123@sms.example.com", "EMAIL")]),
    ("https://x.example.com/@jenny_k_88", [("https://x.example.com/@jenny_k_88", "URL")]),
    ("ACC-1234567", [("ACC-1234567", "ACCOUNT")]),
])
def test_pii_overlapping_candidates_longer_or_more_specific_wins(text, expected):
    assert found(text) == expected


def test_pii_spans_are_sorted_and_disjoint(testset):
    for item in testset:
        spans = find_pii(item.text, DEFAULT_TEST_RULES)
        assert spans == sorted(spans)
        assert all(a.end <= b.start for a, b in pairwise(spans))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 +-.()/@abcAB£%:,", max_size=60))
def test_pii_find_pii_total_on_noise(text):
    spans = find_pii(text)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    assert all(a.end <= b.start for a, b in pairwise(spans))


def test_pii_testset_is_deterministic_large_and_labelled(testset):
    assert len(testset) >= 1200 and generate() == testset and generate(seed=8) != testset
    kinds = {s.kind for item in testset for s in item.spans}
    assert kinds == {*STRUCTURED_KINDS, "PERSON"}
    assert sum(not item.spans for item in testset) > 50  # look-alike-only strings
    for item in testset:
        assert all(0 <= s.start < s.end <= len(item.text) for s in item.spans)


def test_pii_generated_set_recall_and_precision(testset):
    scores = score_spans(testset, [find_pii(item.text, DEFAULT_TEST_RULES) for item in testset])
    recalls = {kind: scores[kind].recall for kind in STRUCTURED_KINDS}
    assert all(r >= 0.995 for r in recalls.values()), recalls
    assert scores["ALL"].precision >= 0.99, scores["ALL"]


def test_pii_score_spans_counts_misses_and_leaks():
    item = LabelledText("call 07700 900123 or jo@example.com", (PiiSpan(5, 17, "PHONE"), PiiSpan(21, 35, "EMAIL")))
    scores = score_spans([item], [[PiiSpan(5, 17, "PHONE"), PiiSpan(0, 4, "URL")]])
    assert (scores["PHONE"].recall, scores["EMAIL"].recall, scores["ALL"].precision) == (1.0, 0.0, 0.5)
    assert scores["EMAIL"].leak_rate == 1.0 and scores["ALL"].leak_rate == 14 / 26


def test_pii_demo_planted_values_do_not_survive_redaction():
    texts = load_demo_texts(DEMO)
    planted = [p for p in load_planted(DEMO) if p[2] in ("EMAIL", "PHONE", "CARD")]
    assert len(planted) >= 80
    survivors = []
    for source, record_id, kind, value in planted:
        text = texts[source, record_id]
        assert value in text, (source, record_id, value)
        if value in redact(text, find_pii(text, DEFAULT_TEST_RULES)).text:
            survivors.append((kind, value))
    assert survivors == []


def test_redact_replaces_spans_with_placeholders():
    text = "Jo Lee: 07700 900123, jo@example.com, card 4111 1111 1111 1111, @jenny_k_88, ACC-1234567"
    spans = [*find_pii(text, DEFAULT_TEST_RULES), PiiSpan(0, 6, "PERSON")]
    result = redact(text, spans)
    assert result.text == "[PERSON]: [PHONE], [EMAIL], card [CARD], [HANDLE], [ACCOUNT]"
    assert result.counts() == {"PERSON": 1, "PHONE": 1, "EMAIL": 1, "CARD": 1, "HANDLE": 1, "ACCOUNT": 1}
    assert result.spans == tuple(sorted(spans))


@pytest.mark.parametrize("order", [1, -1])
def test_redact_overlapping_spans_earlier_then_longer_wins(order):
    text = "abcdefghij"
    spans = [PiiSpan(2, 5, "PHONE"), PiiSpan(2, 7, "CARD"), PiiSpan(4, 9, "URL"), PiiSpan(0, 1, "SSN"),
             PiiSpan(0, 1, "EMAIL"), PiiSpan(9, 9, "HANDLE")]
    result = redact(text, spans[::order])
    assert result.text == "[EMAIL]b[CARD]hij"
    assert result.spans == (PiiSpan(0, 1, "EMAIL"), PiiSpan(2, 7, "CARD"))


def test_redact_rejects_spans_outside_the_text():
    with pytest.raises(ValueError, match="outside the text"):
        redact("short", [PiiSpan(2, 9, "PHONE")])


@pytest.mark.parametrize(("offset", "expected"), [
    (0, 0), (5, 5), (6, 6), (7, 6), (17, 6), (18, 13), (19, 14), (22, 17), (23, 17), (37, 17), (38, 24), (40, 26),
])
def test_redact_to_redacted_maps_offsets(offset, expected):
    # phone [6, 18) -> [6, 13), " or " kept, email [22, 38) -> [17, 24), "!!" after
    text = "Call: 07700 900123 or jo@example.co.uk!!"
    result = redact(text, [PiiSpan(6, 18, "PHONE"), PiiSpan(22, 38, "EMAIL")])
    assert result.text == "Call: [PHONE] or [EMAIL]!!"
    assert result.to_redacted(offset) == expected


def test_redact_to_redacted_keeps_segments_whole(testset):
    for item in testset[:300]:
        result = redact(item.text, item.spans)
        for span in result.spans:
            start, end = result.to_redacted(span.start), result.to_redacted(span.end)
            assert result.text[start:end] == f"[{span.kind}]"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), max_size=6))
def test_redact_unredacted_characters_map_to_themselves(text, raw_spans):
    spans = [PiiSpan(s, min(s + n, len(text)), "X") for s, n in raw_spans if s < len(text)]
    result = redact(text, spans)
    inside = {i for s in result.spans for i in range(s.start, s.end)}
    for i, ch in enumerate(text):
        if i not in inside:
            assert result.text[result.to_redacted(i)] == ch
    assert result.to_redacted(len(text)) == len(result.text)


def test_redact_is_idempotent(testset):
    for item in testset:
        once = redact(item.text, find_pii(item.text, DEFAULT_TEST_RULES))
        again = redact(once.text, find_pii(once.text, DEFAULT_TEST_RULES))
        assert again.text == once.text and again.spans == ()


def test_redact_empty_and_equal_redactions():
    assert redact("", []) == Redaction("", ())
    assert redact("no pii", []).to_redacted(3) == 3
