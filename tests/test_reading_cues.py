"""reading.cues: negation, modality and attribution of a sentence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factbase.reading.cues import read_cues


@pytest.mark.parametrize(
    ("text", "negated", "modality", "source"),
    [
        ("Uzbekistan left the CST in 1999", False, "asserted", None),
        ("Uzbekistan did not leave the CST", True, "asserted", None),
        ("Tashkent didn't sign", True, "asserted", None),
        ("Russia no longer supplies arms", True, "asserted", None),
        ("Ivashov ruled out sending military specialists", True, "asserted", None),
        ("Ivashov rules out sending specialists", True, "asserted", None),
        ("The ministry denied the report", True, "asserted", "The ministry"),
        ("Tashkent refused to sign", True, "asserted", None),
        ("Russia has yet to ratify the treaty", True, "asserted", None),
        ("Ivashov did not rule out sending troops", False, "hedged", None),  # two negations
        ("According to the Defence Ministry, 130 servicemen arrived", False, "reported",
         "the Defence Ministry"),
        ("130 servicemen arrived, according to Interfax", False, "reported", "Interfax"),
        ("Russian Defence Minister Sergei Ivanov said that Russia would help", False, "planned",
         "Russian Defence Minister Sergei Ivanov"),  # "would": the future, seen from the past
        ("Russian Defence Minister Sergei Ivanov said that Russia helped", False, "reported",
         "Russian Defence Minister Sergei Ivanov"),
        ("The base will not be closed, said Ivashov.", True, "planned", "Ivashov"),
        ("He said no troops were sent", True, "reported", None),  # a pronoun names nobody
        ("Uzbekistan plans to rejoin the CSTO", False, "planned", None),
        ("The troops will arrive on Friday", False, "planned", None),
        ("The talks may resume", False, "hedged", None),
        ("Karimov reportedly agreed", False, "hedged", None),
        ("Apparently it worked", False, "hedged", None),
        ("The troops arrived in May", False, "asserted", None),  # the month, not the modal
        ("The report was published", False, "asserted", None),  # the noun, not the verb
    ],
)  # fmt: skip
def test_cues(text: str, negated: bool, modality: str, source: str | None) -> None:
    cues = read_cues(text)
    assert (cues.negated, cues.modality, cues.attributed_to) == (negated, modality, source)


def test_cue_spans_slice_back() -> None:
    text = "Ivashov did not rule out sending troops, according to Interfax"
    cues = read_cues(text)
    assert [(c.text, c.kind) for c in cues.cues] == [
        ("not", "negation"),
        ("rule out", "negation"),
        ("according to", "reported"),
    ]
    assert cues.attribution is not None
    assert text[slice(*cues.attribution)] == cues.attributed_to == "Interfax"


WORDS = st.sampled_from(
    ["not", "no", "longer", "said", "according", "to", "Ivanov", ",", "may", "will", "plans",
     "ruled", "out", "the", "troops", "didn't", "denied", "reportedly", "."]
)  # fmt: skip


@given(st.lists(WORDS, max_size=14))
def test_cues_are_consistent(words: list[str]) -> None:
    text = " ".join(words)
    cues = read_cues(text)
    negations = [c for c in cues.cues if c.kind == "negation"]
    assert cues.negated == (len(negations) % 2 == 1)
    assert cues.modality in {"asserted", "reported", "hedged", "planned"}
    for cue in cues.cues:
        assert text[cue.start : cue.end] == cue.text
    if cues.attribution:
        assert text[slice(*cues.attribution)] == cues.attributed_to
