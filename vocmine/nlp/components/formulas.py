"""``vocmine_formulas``: cut a greeting, header or sign-off off the content it is glued to.

"Dear Sir, my bill is wrong" is one sentence, but only "my bill is wrong" is something to
theme; "my card was declined, thanks" likewise. A greeting (or a template header such as
"Ticket 123:") at the start of a feedback, followed by a comma, colon, "!" or a line break,
and a sign-off or signature at its end ("Kind regards, Jane", "Sent from my iPhone",
"-Becky"), become their own segments; ``vocmine.nlp.boilerplate`` then flags them and the
content keeps its own segment. The phrases are per language (``[nlp.boilerplate.<lang>]``).
A greeting or sign-off may name someone: up to three capitalised words, @handles or words of
the formula vocabulary ("Hi there team,", "Thanks again, Jane").

Letters, e-mails and chats put their formulas on lines of their own, and the sentence model
does not end a sentence at a line break ("When will my card arrive?\nHope you can help." is
one sentence to it). So a line break starts a sentence too, when the line before ends a
sentence (. ! ? : ;), the next starts with a capital, or a blank line separates them; a
hard-wrapped line ("my bill\nis wrong") stays one sentence.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_NAME = r"(?!I\b)[A-Z][\w'’.-]*"


class FormulaSplitter:
    def __init__(self, greetings: list[str], signoffs: list[str], headers: list[str], words: list[str]) -> None:
        vocabulary = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"
        named = rf"(?:[\s,]+(?:(?i:{vocabulary})\b|{_NAME}|@\w+)){{0,3}}"
        self.leading = []
        self.headers = bool(headers)
        if headers:
            self.leading.append(re.compile(rf"^\s*(?i:{'|'.join(headers)})\b[ \t]*(?:@\w+[ \t]*)*(?::|\n)"))
        if greetings:
            self.leading.append(re.compile(
                rf"^\s*(?:@\w+[\s,:]*)*(?i:{'|'.join(greetings)})\b{named}[ \t]*(?:[,:;!.]+|\n|[—–-](?=\s))"))
        self.trailing = [re.compile(r"(?:(?<=[\s]))[-–—*~^][A-Z]\w{0,20}\s*$")]
        if signoffs:
            self.trailing.append(re.compile(
                rf"(?:(?<=[.!?,;:\n])\s*|\s+(?=[A-Z]))(?i:{'|'.join(signoffs)})\b{named}[\s.!,]*$"))

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        end = len(text)
        for _ in range(3):  # "..., thanks. Kind regards, Jane. Sent from my iPhone"
            cut = self._trailing(text[:end])
            if cut is None:
                break
            end = cut
            self._split(doc, end)
        _split_lines(doc, end)  # not inside a sign-off: "Best regards,\nJane" is one
        header = self.leading[0] if self.headers else None
        start = 0
        for _ in range(3):  # "Message from @x: Dear Sir, ..."
            cut = self._leading(text[start:end], self.leading)
            if cut is None:
                break
            start += cut
            self._split(doc, start)
        for sent in list(doc.sents):  # a greeting after a header or a letter line: "...\n\nHello, ..."
            if start < sent.start_char < end:
                cut = self._leading(text[sent.start_char:end], [p for p in self.leading if p is not header])
                if cut is not None:
                    self._split(doc, sent.start_char + cut)
        return doc

    @staticmethod
    def _leading(text: str, patterns: list[re.Pattern]) -> int | None:
        for pattern in patterns:
            match = pattern.match(text)
            if match and any(ch.isalpha() for ch in text[match.end():]):
                return match.end()
        return None

    def _trailing(self, text: str) -> int | None:
        for pattern in self.trailing:
            match = pattern.search(text)
            if match and match.start() > 0 and any(ch.isalpha() for ch in text[:match.start()]):
                return match.start()
        return None

    @staticmethod
    def _split(doc: Doc, char: int) -> None:
        """A sentence starts at the first token at or after ``char`` (not the doc's first)."""
        for token in doc:
            if token.idx >= char:
                if token.i > 0:
                    token.is_sent_start = True
                return


def _split_lines(doc: Doc, end: int) -> None:
    for token in doc[1:-1]:
        if token.idx >= end or not (token.is_space and "\n" in token.text):
            continue
        before, after = doc[token.i - 1], doc[token.i + 1]
        if "\n\n" in token.text or before.text[-1:] in ".!?:;" or after.text[:1].isupper():
            after.is_sent_start = True


@Language.factory("vocmine_formulas",
                  default_config={"greetings": [], "signoffs": [], "headers": [], "words": []})
def make_formula_splitter(nlp: Language, name: str, greetings: list[str], signoffs: list[str],
                          headers: list[str], words: list[str]) -> FormulaSplitter:
    return FormulaSplitter(greetings, signoffs, headers, words)
