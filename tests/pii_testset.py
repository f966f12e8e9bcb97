"""A labelled, generated test set for PII redaction, its scoring, and the demo data's planted PII.

Test and evaluation code, not the library's: the unit tests and ``benchmarks/redaction_eval.py``
(which puts ``tests/`` on its path) read it. Being written by the same hands as the detectors, its
recall is a floor check of the formats we promise; real, hand-labelled rows
(``benchmarks/redaction_labels.csv``) measure the detectors where no one tuned them.

Why generated: real feedback with real PII cannot live in a repository, and a generator can place
every format we promise to catch next to the look-alikes we promise to leave alone (prices, dates,
flight numbers, 16-digit references failing Luhn, IBANs failing mod-97). All values are fictional:
UK numbers come from Ofcom's drama ranges, US ones from 555-01xx, emails from example domains.

    >>> items = generate(n=5, seed=1)
    >>> [(items[0].text[s.start:s.end], s.kind) for s in items[0].spans]  # doctest: +SKIP
    [('07700 900417', 'PHONE')]
"""

from __future__ import annotations

import csv
import json
import random
import re
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vocmine.nlp.pii import PiiRules, PiiSpan, luhn_is_valid

__all__ = ["DEFAULT_TEST_RULES", "KindScore", "LabelledText", "generate", "load_demo_texts", "load_planted",
           "score_spans"]

DEFAULT_TEST_RULES = PiiRules(
    extra_patterns=(("ACCOUNT", r"\bACC-\d{7}\b"), ("ACCOUNT", r"\bBL-\d{4}-\d{6}\b")),
    brand_handles=frozenset({"brightlinehelp"}),
)
STRUCTURED_KINDS = ("EMAIL", "PHONE", "CARD", "IBAN", "SSN", "URL", "HANDLE", "ACCOUNT", "ADDRESS")


@dataclass(frozen=True)
class LabelledText:
    """A feedback string and its gold PII spans; look-alikes are in the text but carry no span."""

    text: str
    spans: tuple[PiiSpan, ...]


# --- fictional values ----------------------------------------------------------------------------------
FIRST = ("Sarah", "Priya", "Tomasz", "Aisha", "Liam", "Wei", "Fatima", "Oliver", "Zofia", "Kwame", "Mei", "Diego",
         "Niamh", "Ahmed", "Grace", "Ravi", "Hannah", "Marek", "Emily", "Yusuf", "Chloe", "Joanna", "Lukas", "Ines",
         "Mateo", "Connor", "Leah", "Dmitri", "Sofia", "Callum", "Amara", "Jenny", "Owen", "Siobhan", "Ben")
LAST = ("Smith", "Patel", "Nowak", "Okafor", "O'Brien", "Kowalski", "Chen", "Mensah", "Walsh", "Garcia", "Rossi",
        "Dubois", "Jones", "Evans", "Hughes", "Begum", "Fraser", "Adeyemi", "Murphy", "Campbell", "Novak", "Lee")
BRANDS = ("@BrightlineHelp", "@brightlinehelp", "@AmazonHelp", "@sprintcare", "@AskPayPal", "@AppleSupport",
          "@Uber_Support", "@XboxSupport", "@AskLloydsBank", "@ThreeUKSupport", "@VirginMediaCare", "@BT_Care")
IBAN_BBANS = {  # country -> BBAN layout: A letter, 9 digit, X alphanumeric
    "GB": "AAAA999999" "99999999", "IE": "AAAA999999" "99999999", "DE": "9" * 18, "FR": "9" * 10 + "X" * 11 + "99",
    "ES": "9" * 20, "IT": "A" + "9" * 10 + "X" * 12, "NL": "AAAA" + "9" * 10, "PL": "9" * 24, "BE": "9" * 12,
    "CH": "9" * 5 + "X" * 12, "AT": "9" * 16, "PT": "9" * 21,
}


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _person(rng: random.Random) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return rng.choice((first, f"{first} {last}", f"Mrs {last}", f"Mr {last}", f"{first} {last}"))


def _email(rng: random.Random) -> str:
    first, last = rng.choice(FIRST).lower(), re.sub(r"\W", "", rng.choice(LAST).lower())
    local = rng.choice((f"{first}.{last}", f"{first[0]}.{last}{rng.randint(1, 99)}", f"{first}_{last}",
                        f"{first}+bills", f"{first}{last}{rng.randint(70, 99)}", f"{first[0].upper()}.{last.title()}"))
    domain = rng.choice(("example.com", "example.org", "example.net", "mail.example.co.uk", "example.ie",
                         "post.example.de", "Example.com"))
    return f"{local}@{domain}"


def _phone(rng: random.Random) -> str:
    """One of 30 formats across 10 countries."""
    d = lambda n: _digits(rng, n)
    uk_mob = f"7700 900{d(3)}"
    area, uk_local = rng.choice((("20", f"7946 0{d(3)}"), ("113", f"496 0{d(3)}"), ("161", f"496 0{d(3)}")))
    uk_geo = f"{area} {uk_local}"
    us = (rng.choice(("415", "212", "312", "646")), "555", f"01{d(2)}")
    return rng.choice((
        f"0{uk_mob}", f"07700 900 {d(3)}", f"07700900{d(3)}", f"+44 {uk_mob}", f"+44 (0){uk_mob}", f"0044 {uk_mob}",
        f"+447700900{d(3)}", f"0{uk_geo}", f"(0{area}) {uk_local}",
        f"+44 {uk_geo}", f"01632 960{d(3)}", f"0800 123 {d(4)}",
        f"({us[0]}) {us[1]}-{us[2]}", f"{us[0]}-{us[1]}-{us[2]}", f"{us[0]}.{us[1]}.{us[2]}", f"+1 {'-'.join(us)}",
        f"+1 ({us[0]}) {us[1]}-{us[2]}", f"1-800-555-01{d(2)}", f"{us[0]}{us[1]}{us[2]}",
        f"+48 {rng.choice('5678')}{d(2)} {d(3)} {d(3)}", f"+48 22 {d(3)} {d(2)} {d(2)}",
        f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
        f"06 {d(2)} {d(2)} {d(2)} {d(2)}", f"+49 30 {d(8)}", f"+49 151 {d(8)}", f"030 {d(8)}", f"+353 87 {d(3)} {d(4)}",
        f"087 {d(3)} {d(4)}", f"+34 6{d(2)} {d(3)} {d(3)}", f"+39 3{d(2)} {d(3)} {d(4)}", f"+31 6 {d(8)}",
        f"06-{d(8)}", f"+91 98{d(3)} {d(5)}", f"+61 4{d(2)} {d(3)} {d(3)}", f"0412 {d(3)} {d(3)}",
    ))


STREETS = {"en": ("Baker", "Evergreen", "High", "Station", "Church", "Oak", "Maple", "Victoria", "Kings", "Mill"),
           "de": ("Haupt", "Schiller", "Goethe", "Bahnhof", "Linden", "Garten"),
           "pl": ("Marszałkowska", "Długa", "Kwiatowa", "Polna", "Jana Pawła II", "Słowackiego"),
           "uk": ("Шевченка", "Хрещатик", "Грушевського", "Лесі Українки", "Богдана Хмельницького", "Садова")}


def _address(rng: random.Random) -> str:
    """A fictional postal address in a UK, US, German, Polish or Ukrainian format."""
    n, street = rng.randint(1, 250), rng.choice(STREETS["en"])
    uk_post = f"{rng.choice(('SW1A', 'M1', 'LS6', 'B33', 'EH1', 'NW1'))} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}" \
              f"{rng.choice('LNPQRSTUWXYZ')}"
    return rng.choice((
        f"{n} {street} Street", f"{n} {street} Road", f"{n}a {street} Lane", f"Flat {rng.randint(1, 20)}, {n} {street} Close",
        f"{n} {street} Road, Leeds {uk_post}", f"{n} {street} Avenue, {uk_post}", uk_post,
        f"{n} {street} St, Springfield, IL {rng.randint(10000, 99999)}", f"{n} W {rng.randint(1, 99)}th St",
        f"{n} {street} Ave Apt {rng.randint(1, 30)}", f"{n} {street} Dr", f"{n} {street} Terrace, Springfield",
        f"{rng.choice(STREETS['de'])}straße {n}", f"{rng.choice(STREETS['de'])}str. {n}b",
        f"{rng.choice(STREETS['de'])}straße {n}, {rng.randint(10000, 99999)} Berlin",
        f"ul. {rng.choice(STREETS['pl'])} {n}/{rng.randint(1, 40)}", f"al. Jerozolimskie {n}",
        f"ul. {rng.choice(STREETS['pl'])} {n}, {rng.randint(10, 99)}-{rng.randint(100, 999)} Kraków",
        f"вул. {rng.choice(STREETS['uk'])}, {n}", f"вулиця {rng.choice(STREETS['uk'])} {n}",
        f"просп. Перемоги, {n}", f"{rng.randint(10000, 99999)} м. Київ",
    ))


def _luhn_complete(rng: random.Random, prefix: str, length: int, valid: bool = True) -> str:
    body = prefix + _digits(rng, length - len(prefix) - 1)
    checks = [c for c in string.digits if luhn_is_valid(body + c) == valid]
    return body + rng.choice(checks)


def _group(number: str, sizes: Sequence[int], sep: str) -> str:
    parts, i = [], 0
    for size in sizes:
        parts.append(number[i:i + size])
        i += size
    return sep.join(p for p in parts if p)


def _card(rng: random.Random, valid: bool = True) -> str:
    """Visa 16/13, Mastercard (51-55, 2221-2720), Amex 15 (4-6-5), Discover; spaces, dashes or none."""
    scheme = rng.choice(("visa", "visa", "mc", "mc2", "amex", "discover", "visa13")) if valid else "any"
    prefix, length = {"visa": ("4", 16), "mc": (f"5{rng.randint(1, 5)}", 16), "mc2": (str(rng.randint(2221, 2720)), 16),
                      "amex": (rng.choice(("34", "37")), 15), "discover": ("6011", 16), "visa13": ("4", 13),
                      "any": (str(rng.randint(1, 9)), 16)}[scheme]
    number = _luhn_complete(rng, prefix, length, valid)
    sizes = (4, 6, 5) if length == 15 else (4, 4, 4, 4) if length == 16 else (13,)
    return _group(number, sizes, rng.choice((" ", " ", "-", "")))


def _iban(rng: random.Random, valid: bool = True) -> str:
    country = rng.choice(tuple(IBAN_BBANS))
    pick = {"A": string.ascii_uppercase, "9": string.digits, "X": string.ascii_uppercase + string.digits}
    bban = "".join(rng.choice(pick[c]) for c in IBAN_BBANS[country])
    if country in ("GB", "IE"):
        bban = rng.choice(("NWBK", "BARC", "LOYD", "HBUK", "AIBK", "BOFI")) + bban[4:]
    check = 98 - int("".join(str(int(c, 36)) for c in bban + country + "00")) % 97
    if not valid:
        check = (check + rng.randint(1, 96)) % 97 or 98
    compact = f"{country}{check:02d}{bban}"
    return compact if rng.random() < 0.25 else " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def _ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _ni(rng: random.Random) -> str:
    first, second = rng.choice("ABCEGHJKLMNPRSTWXYZ"), rng.choice("ABCEGHJKLMNPRSTWXYZ")
    while first + second in ("GB", "NK", "KN", "TN", "NT", "ZZ", "BG"):
        second = rng.choice("ABCEHJKLMPRSWXY")
    d = _digits(rng, 6)
    suffix = rng.choice("ABCD")
    return rng.choice((f"{first}{second}{d}{suffix}", f"{first}{second} {d[:2]} {d[2:4]} {d[4:]} {suffix}"))


def _url(rng: random.Random) -> str:
    token = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(6, 10)))
    last = re.sub(r"\W", "", rng.choice(LAST).lower())
    user = f"{rng.choice(FIRST)[0].lower()}.{last}{rng.randint(1, 99)}"
    return rng.choice((
        f"https://photos.example.net/{user}/IMG_{_digits(rng, 4)}.jpg", f"https://drive.example.com/s/{token.lower()}",
        f"http://www.example.org/~{user}/complaint", f"www.example.co.uk/help/{token}", f"https://t.co/{token}",
        f"t.co/{token}", f"bit.ly/{token}", f"https://example.com/track?order={_digits(rng, 9)}&ref={token}",
        f"https://speedtest.example.net/result/{_digits(rng, 11)}", f"example.com/account/{token}",
        f"https://www.example.com/forum/thread/{_digits(rng, 6)}-no-signal", f"www.example.net/{user}",
    ))


def _handle(rng: random.Random) -> str:
    first, last = rng.choice(FIRST).lower(), re.sub(r"\W", "", rng.choice(LAST))
    return rng.choice((f"@{first}_{last[0].lower()}_{rng.randint(10, 99)}", f"@{_digits(rng, rng.randint(5, 7))}",
                       f"@{first.title()}{last[:5]}{rng.randint(1, 99)}", f"@{first}{rng.randint(1970, 2005)}",
                       f"@_{first}_x"))


# Look-alikes as shapes: each '#' becomes a digit 1-9. They sit in the text and are never labelled.
LOOKALIKES: dict[str, tuple[str, ...]] = {
    "PRICE": ("£1,234.56", "£##.99", "$##.99", "#.###,## €", "€##.50", "£##.00/mth", "£#,049.00", "##,99 €",
              "$1,299.00", "£###", "£#.99"),
    "DATE": ("2026-0#-1#", "2#/09/2026", "1#.10.2026", "9/1#/2026", "14-09-2026", "2# Sept 2026", "14/09/26"),
    "TIME": ("1#:#5", "10:22:45", "9.30am", "14:0#"),
    "FLIGHT": ("BA###", "BA2###", "UA ###", "FR ####", "LS###", "EZY ####", "U2 ####"),
    "PLAN": ("PLAN-UNL-30", "PLAN-25GB-24", "PLAN-FLX-12", "PLAN-100GB-36", "SIM Only 100GB"),
    "VERSION": ("7.0.1", "17.#.1", "6.#", "10.0.19045.2364", "v2.1#.3", "iOS 18.#"),
    "PERCENT": ("12.5%", "#.9%", "100%", "3.14 %", "##%"),
    "SHORT": ("3-5 days", "40 minutes", "2 weeks", "45 mins", "48 hrs", "14 days", "1 hr 20 mins"),
    "REF": ("case #######", "ticket ########", "INC#######", "sort code ##-##-##", "E-###"),
    "YEAR": ("20##", "201#", "202#"),
    "SPEED": ("0.#Mbps", "1#.5 Mbps", "5G", "1.# Mb/s", "2#0 Mbps"),
    "PLACE": ("the Oxford Street store", "Birmingham New Street", "Baker Street station", "High Street branch",
              "Station Road roadworks", "вул. Хрещатик", "ul. Długa", "Hauptstraße"),
    "COUNT": ("# Main issues", "# Star service", "## Park Run tickets", "## Way too many", "order #####"),
}

VALUES: dict[str, Callable[[random.Random], str]] = {
    # labelled slots
    "PHONE": _phone, "EMAIL": _email, "CARD": _card, "IBAN": _iban, "SSN": _ssn, "NI": _ni, "URL": _url,
    "HANDLE": _handle, "PERSON": _person, "ADDRESS": _address,
    "ACC": lambda r: f"ACC-{_digits(r, 7)}", "ORDER": lambda r: f"BL-2026-{_digits(r, 6)}",
    # never labelled
    "BRAND": lambda r: r.choice(BRANDS),
    "BAD_CARD": lambda r: _card(r, valid=False), "BAD_IBAN": lambda r: _iban(r, valid=False),
    **{slot: (lambda r, shapes=shapes: re.sub("#", lambda _: str(r.randint(1, 9)), r.choice(shapes)))
       for slot, shapes in LOOKALIKES.items()},
}
GOLD_KIND = {"PHONE": "PHONE", "EMAIL": "EMAIL", "CARD": "CARD", "IBAN": "IBAN", "SSN": "SSN", "NI": "SSN",
             "URL": "URL", "HANDLE": "HANDLE", "PERSON": "PERSON", "ACC": "ACCOUNT", "ORDER": "ACCOUNT",
             "ADDRESS": "ADDRESS"}

# --- templates (data): fragments by the slot they showcase, then openings and closings by register ---------
FRAGMENTS: dict[str, tuple[str, ...]] = {
    "PHONE": ("Callback requested on {PHONE}.", "Cust asked us to ring back on {PHONE} after 5pm.",
              "You can reach me on {PHONE} any time.", "Alt number {PHONE}, mobile off during work.",
              "Please call me on {PHONE} rather than emailing.", "My number is {PHONE} - nobody has called back.",
              "Cust gave work number ({PHONE}) for the engineer.", "text me on {PHONE} or DM",
              "Engineer rang {PHONE} at {TIME} but cust was out."),
    "EMAIL": ("Conf sent to {EMAIL}.", "Updated contact email to {EMAIL}.",
              "Email me at {EMAIL} if you want to fix it.",
              "Please reply to {EMAIL} with a written response.", "my email is {EMAIL}, still nothing in the inbox",
              "Cust says receipts go to {EMAIL}, not the old address."),
    "CARD": ("Cust read out card {CARD}, adv not to share card nos.", "The payment on my card {CARD} was taken twice.",
             "I paid with {CARD} and it was declined three times.", "Cust wants future DDs on card {CARD} from {DATE}.",
             "charged {PRICE} to my card ({CARD}) without asking!"),
    "BAD_CARD": ("Ref {BAD_CARD} on cust letter.", "Tracking number {BAD_CARD} shows nothing.",
                 "Reference {BAD_CARD} quoted on the bill.", "Voucher code {BAD_CARD} rejected at checkout."),
    "IBAN": ("Refund to be paid to {IBAN}.", "Please refund to my bank account, IBAN {IBAN}.",
             "My IBAN is {IBAN} - the refund still hasn't landed.", "Cust gave IBAN {IBAN} for the goodwill credit."),
    "BAD_IBAN": ("Cust gave IBAN {BAD_IBAN} but the bank rejected it as invalid.",
                 "Payment to {BAD_IBAN} bounced, checksum wrong, asked cust to re-check."),
    "SSN": ("Cust verified with SSN {SSN}.",
            "They asked for my social security number ({SSN}) over chat, is that normal?",
            "Cust read out SSN {SSN} for the credit check."),
    "NI": ("NI number {NI} given for the credit check.", "Cust quoted national insurance no. {NI} by mistake."),
    "URL": ("Cust sent photos via {URL}.", "Pics here {URL}", "I have uploaded photographs to {URL}.",
            "the speed test result is at {URL} - see for yourself", "Your own help page ({URL}) says the opposite!",
            "Screenshot: {URL}, look at the price."),
    "HANDLE": ("Posted by {HANDLE} mentioning {BRAND}.", "{HANDLE} wrote to {BRAND}:",
               "Social media message from {HANDLE}:",
               "cc {HANDLE} who had the same problem", "my partner {HANDLE} is on the same plan."),
    "ACC": ("Acct {ACC} noted.", "Account {ACC}, cust verified.", "Cust on {PLAN}, acct {ACC}."),
    "ORDER": ("My order {ORDER} is still showing as processing after {SHORT}.", "Order {ORDER} still not delivered.",
              "order {ORDER} cancelled on {DATE} but still charged {PRICE}."),
    "PERSON": ("Spoke w/ account holder {PERSON}.", "Cust said {PERSON} on previous call was v helpful.",
               "{PERSON} in the Leeds store sorted it in ten minutes.", "Cust {PERSON} verified via DOB.",
               "My name is {PERSON} and I have been a customer since {YEAR}."),
    "ADDRESS": ("Parcel left at {ADDRESS} instead of my house.", "Cust moved to {ADDRESS}, updated billing.",
                "I live at {ADDRESS} and have had no signal for {SHORT}.", "Please send the new SIM to {ADDRESS}.",
                "Engineer went to {ADDRESS}, the wrong house.", "Deliver to {ADDRESS} please"),
    "PLACE": ("Went to {PLACE} and they could not help.", "no coverage near {PLACE} at all",
              "Staff at {PLACE} were great."),
    "COUNT": ("{COUNT}, none fixed.", "Gave them {COUNT} already."),
    "PRICE": ("Bill went up to {PRICE} this month.", "Cust charged {PRICE} x2 for same period.",
              "exit fee of {PRICE}, absolute joke", "Refund of {PRICE} promised {SHORT} ago."),
    "DATE": ("Last bill dated {DATE}.", "I cancelled my order on {DATE}.", "Engineer booked for {DATE} at {TIME}."),
    "FLIGHT": ("Cust was on flight {FLIGHT}, phone joined in-flight network.",
               "roaming charges from flight {FLIGHT}?!"),
    "PLAN": ("Cust on {PLAN}.", "explained {PLAN} vs Family Unlimited."),
    "VERSION": ("App crashes on launch since update {VERSION}.", "still broken on {VERSION}"),
    "PERCENT": ("Mid-contract price rise of {PERCENT}.", "Waived {PERCENT} of the fee."),
    "SHORT": ("Held {SHORT} before reaching an agent.", "Adv refund in {SHORT}.", "3rd call in {SHORT}"),
    "REF": ("Logged under {REF}.", "App shows error {REF} at payment.", "Cust quoted {REF} from last time."),
    "SPEED": ("Speed test gave {SPEED} at {TIME}.", "only getting {SPEED} indoors"),
}
OPENINGS = {
    "call_note": ("Cust called re bill.", "Cust on chat re delivery.", "Cust getting dropped calls daily.", ""),
    "review": ("Terrible service.", "Store staff were lovely but the network is awful.", "Where do I start.", ""),
    "complaint": ("I am writing to make a formal complaint.", "Dear Sir or Madam,", "I wish to raise a complaint."),
    "tweet": ("{BRAND}", "hey {BRAND}", "{BRAND} {BRAND}", ""),
}
CLOSINGS = {
    "call_note": ("Escalated to T2.", "Adv refund {SHORT}.", "Cust accepted, not happy.", "Raised billing adj.", ""),
    "review": ("Absolute joke.", "Would not recommend.", "{PERCENT} better than my last provider though.", ""),
    "complaint": ("If this is not resolved within 14 days I will refer the matter to the ombudsman.",
                  "I expect a full refund of {PRICE} and written confirmation.", "Yours faithfully"),
    "tweet": ("#fail", "thanks for nothing", "sort it out!!", ""),
}
FOCUS = (*FRAGMENTS, "PHONE", "PHONE", "HANDLE", "URL", "CARD", "EMAIL", "ADDRESS")


def _fill(template: str, rng: random.Random, out: list[str], spans: list[PiiSpan], offset: int) -> int:
    """Append the template with its slots filled; labelled slots become gold spans. Returns the new length."""
    for i, piece in enumerate(re.split(r"\{(\w+)\}", template)):
        value = VALUES[piece](rng) if i % 2 else piece
        if i % 2 and piece in GOLD_KIND:
            spans.append(PiiSpan(offset, offset + len(value), GOLD_KIND[piece]))
        out.append(value)
        offset += len(value)
    return offset


def _one(rng: random.Random, focus: str) -> LabelledText:
    register = rng.choice(tuple(OPENINGS))
    body = [rng.choice(FRAGMENTS[focus])]
    body += [rng.choice(FRAGMENTS[rng.choice(tuple(FRAGMENTS))]) for _ in range(rng.choice((0, 1, 1, 2)))]
    rng.shuffle(body)
    templates = [rng.choice(OPENINGS[register]), *body, rng.choice(CLOSINGS[register])]
    out: list[str] = []
    spans: list[PiiSpan] = []
    offset = 0
    for template in filter(None, templates):
        if out:
            out.append(" ")
            offset += 1
        offset = _fill(template, rng, out, spans, offset)
    return LabelledText("".join(out), tuple(spans))


def generate(n: int = 1200, seed: int = 7) -> list[LabelledText]:
    """``n`` labelled strings, the same for the same seed; each showcases one slot, in rotation."""
    rng = random.Random(seed)
    return [_one(rng, FOCUS[i % len(FOCUS)]) for i in range(n)]


# --- scoring -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KindScore:
    """Span-level exact-match counts for one kind, plus how many gold characters no span covered."""

    kind: str
    gold: int
    predicted: int
    matched: int
    gold_chars: int
    leaked_chars: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def leak_rate(self) -> float:
        return self.leaked_chars / self.gold_chars if self.gold_chars else 0.0


def score_spans(items: Sequence[LabelledText], predictions: Iterable[Sequence[PiiSpan]]) -> dict[str, KindScore]:
    """Per-kind exact-match scores of ``predictions`` (one list per item) against the gold spans.

    A gold character leaks when no predicted span, of any kind, covers it: redaction hides it either way.
    Key ``"ALL"`` sums every kind.
    """
    counts: dict[str, list[int]] = {}
    for item, predicted in zip(items, predictions, strict=True):
        gold, found = set(item.spans), set(predicted)
        covered = [False] * len(item.text)
        for span in found:
            covered[span.start:span.end] = [True] * (span.end - span.start)
        for span in gold | found:
            c = counts.setdefault(span.kind, [0, 0, 0, 0, 0])
            c[0] += span in gold
            c[1] += span in found
            c[2] += span in gold and span in found
            if span in gold:
                c[3] += span.end - span.start
                c[4] += covered[span.start:span.end].count(False)
    total = [sum(c[i] for c in counts.values()) for i in range(5)]
    return {kind: KindScore(kind, *c) for kind, c in sorted({**counts, "ALL": total}.items())}


# --- the demo data's planted PII -----------------------------------------------------------------------
def load_demo_texts(folder: Path) -> dict[tuple[str, str], str]:
    """(source, record id) -> feedback text of the demo files, read leniently: the files carry planted
    malformed rows (bad bytes, split fields) and PII may sit in any of them."""
    texts: dict[tuple[str, str], str] = {}
    with (folder / "call_notes.csv").open(encoding="utf-8", errors="replace", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        notes = header.index("notes")
        extra_after = len(header) - notes - 1
        for row in rows:
            if len(row) > notes:  # a note split at an unquoted comma spans several fields
                texts["call_notes", row[0]] = ",".join(row[notes:max(notes + 1, len(row) - extra_after)])
    with (folder / "reviews.jsonl").open(encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                texts["reviews", str(record.get("review_id"))] = record.get("body") or ""
    import pyarrow.parquet as pq  # only the demo evaluation needs it

    for record in pq.read_table(folder / "complaints.parquet", columns=["case_id", "description"]).to_pylist():
        texts["complaints", record["case_id"]] = record["description"] or ""
    return texts


def load_planted(folder: Path) -> list[tuple[str, str, str, str]]:
    """(source, record_id, pii_type, value) rows of ``planted_pii.csv``."""
    with (folder / "planted_pii.csv").open(encoding="utf-8", newline="") as f:
        return [(r["source"], r["record_id"], r["pii_type"], r["value"]) for r in csv.DictReader(f)]
