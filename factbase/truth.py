"""Truth discovery as pure functions: TruthFinder, CRH and majority vote, and name similarity.

No database here (``sources.py`` builds the input from the fact base), so each method can be
tested directly and benchmarked on the book data set (``benchmarks/bench_truth.py``).

Every method takes the same input, *slots*: ``{slot: {fact: {source, ...}}}``. A slot is an
object whose facts compete (a subject and a single-valued predicate), a fact one of the values
offered for it, and its sources the providers that state it. Every method returns a
``TruthResult``: the trust of every source in [0, 1], the confidence of every fact in [0, 1] and
the number of iterations.

``discover`` is what the fact base calls. It runs a method on each connected component of the
source–slot graph separately and only over the slots that hold evidence (two sources, or two
facts): a slot with one fact from one source can neither corroborate nor contradict its
source, so it does not move the source's trust, and a component's iteration stops when *that
component* converges. Both are what keeps trust stable: documents about other subjects add
lone slots or new components, which change no existing publication's trust at all. Lone facts
still get a confidence, from their sources' trust.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

Slots = Mapping[Hashable, Mapping[Hashable, Collection[Hashable]]]
# imp(f′ → f) of two different facts of one slot, in [−1, 1]: implication(slot, f_prime, f)
Implication = Callable[[Hashable, Hashable, Hashable], float]
# d(f, g) of two facts of one slot, in [0, 1] (0: the same value): distance(slot, f, g)
Distance = Callable[[Hashable, Hashable, Hashable], float]

METHODS = ("truthfinder", "crh", "vote")

# TruthFinder's parameters, as Yin, Han & Yu (KDD 2007, §3 and §5; TKDE 20(6), 2008) use them.
INITIAL_TRUST = 0.9  # t0: every source's trust before the first iteration
GAMMA = 0.3  # γ, dampening: sources that copy each other must not saturate s(f) at once
RHO = 0.5  # ρ, weight of the influence between facts of one slot
DELTA = 0.001  # δ: stop when 1 − cos(t_before, t_after) ≤ δ
BASE_SIMILARITY = 0.5  # base_sim: imp(f′ → f) = sim(f′, f) − base_sim (the paper's §3.2)
MAX_ITERATIONS = 20  # ours: the paper iterates until convergence
CRH_ITERATIONS = 20  # ours: CRH (Li et al., SIGMOD 2014) iterates until truths stop changing
_EPSILON = 1e-9  # t(w) stays in [ε, 1 − ε] so that τ(w) = −ln(1 − t(w)) is finite


class TruthResult(NamedTuple):
    """What every method returns; unpacks as ``trust, confidence, iterations``."""

    trust: dict[Hashable, float]  # source -> trust in [0, 1]
    confidence: dict[Hashable, dict[Hashable, float]]  # slot -> fact -> confidence in [0, 1]
    iterations: int  # iterations of the largest component (0 only without sources)


# Names ------------------------------------------------------------------------------------


class Person(NamedTuple):
    """A person's name, folded: surname and given names (an initial is one letter)."""

    surname: str
    given: tuple[str, ...]


# Parenthesised roles and affiliations end a person ("Curland, Matthew (Author) Storage, Bill").
_PARENTHESES = re.compile(r"\([^)]*\)?")
_SEPARATORS = re.compile(r"\s*(?:;|/|\||&|\band\b|\bwith\b|\bby\b|\bedited\b)\s*", re.IGNORECASE)
NAME_SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "phd", "md", "ed", "eds", "dr", "prof", "et", "al"}
)
_NOTHING = frozenset({"", "notavailable", "na", "unknown", "various", "none"})  # folded


def _fold(word: str) -> str:
    """A name word without case, accents, apostrophes or hyphens ("O'Reilly" == "oreilly")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def _words(part: str) -> list[str]:
    """The name words of a part: "J.N. Reddy" -> ["j", "n", "reddy"]; suffixes dropped."""
    spaced = re.sub(r"[.]", " ", part)
    return [w for w in map(_fold, spaced.split()) if w and w not in NAME_SUFFIXES]


def _given_like(words: list[str]) -> bool:
    return len(words) == 1 or all(len(w) == 1 for w in words)


def _person(words: list[str]) -> Person:
    """ "First M. Last" -> Last; "LAST FIRST M" (ends with an initial) -> LAST."""
    if len(words) > 1 and len(words[-1]) == 1 and len(words[0]) > 1:
        return Person(words[0], tuple(words[1:]))
    return Person(words[-1], tuple(words[:-1]))


def _last_first(parts: list[list[str]]) -> list[Person]:
    """ "Last, First, Last, First" pairs, where a missing comma fused a given name with the
    next surname ("Huston, Stephen D. Johnson, James Syyid, Umar")."""
    people: list[Person] = []
    surname: str | None = None
    for k, words in enumerate(parts):
        if surname is None:
            surname = " ".join(words)
            continue
        following = parts[k + 1] if k + 1 < len(parts) else None
        if following is not None and len(following) > 1 and len(words) > 1 and len(words[-1]) > 1:
            people.append(Person(surname, tuple(words[:-1])))
            surname = words[-1]
        else:
            people.append(Person(surname, tuple(words)))
            surname = None
    if surname is not None:  # a dangling surname: the last given names held one more person
        if people and len(people[-1].given) > 1 and len(people[-1].given[-1]) > 1:
            last = people.pop()
            people += [Person(last.surname, last.given[:-1]), Person(last.given[-1], (surname,))]
        else:
            people.append(Person(surname, ()))
    return people


@lru_cache(maxsize=1 << 16)
def parse_names(text: str) -> tuple[Person, ...]:
    """The people a value names, in order: "Knuth, Donald E.", "Donald Knuth and Ron Graham".

    Lists split on ``;``, ``/``, ``&``, "and", "with" and parenthesised roles. Within a list,
    a one-word part before a comma is a surname and the parts alternate "Last, First";
    otherwise commas separate "First Last" names. "Not Available" and the like name nobody.
    """
    cleaned = html.unescape(unicodedata.normalize("NFKC", text))
    if _fold(cleaned) in _NOTHING:
        return ()
    people: list[Person] = []
    for chunk in _SEPARATORS.split(_PARENTHESES.sub(";", cleaned)):
        parts = [w for w in (_words(p) for p in chunk.split(",")) if w]
        if len(parts) > 1 and len(parts[0]) == 1:
            people += _last_first(parts)
            continue
        i = 0
        while i < len(parts):
            if i + 2 == len(parts) and _given_like(parts[i + 1]):
                people.append(Person(" ".join(parts[i]), tuple(parts[i + 1])))
                i += 2
            else:
                people.append(_person(parts[i]))
                i += 1
    return tuple(people)


NameKey = tuple[str, ...]


def same_person(a: Person, b: Person) -> bool:
    """Whether two names can be one person: one surname, and the shorter list of given names
    found in order in the longer, a word matching by prefix (an initial, a short form:
    "J. Perry" and "James T Perry", "Art Conklin" and "Wm. Arthur Conklin")."""
    if a.surname != b.surname:
        return False
    short, long = sorted((a.given, b.given), key=len)
    rest = iter(long)
    return all(any(w.startswith(v) or v.startswith(w) for v in rest) for w in short)


def name_key(text: str) -> NameKey:
    """A name list as the fact it states: its people's surnames, sorted.

    Spelling, case, accents, initials, given names and the order "Last, First" or "First
    Last" do not matter ("Knuth, Donald E." == "D. E. Knuth" == "KNUTH DONALD E"), and
    neither does the order of the list; a missing or an extra person does. A person named
    twice ("Hancock, Steven (Author) Hancock, Steve (Joint Author)") counts once; two people
    of one surname ("Sussman, Gerald Jay; Sussman, Julie") count twice.
    """
    people: list[Person] = []
    for person in parse_names(text):
        if not any(same_person(person, known) for known in people):
            people.append(person)
    return tuple(sorted(person.surname for person in people))


def _common(a: NameKey, b: NameKey) -> int:
    return sum((Counter(a) & Counter(b)).values())


def name_support(f_prime: NameKey, f: NameKey) -> float:
    """How far the list *f_prime* supports the list *f*: the share of its people in *f*.

    Asymmetric on purpose: stores and papers truncate author lists, so a list that names
    only people of *f* (a prefix, "Aiken, Peter" for "Aiken, Peter; Allen, M. David")
    supports *f* fully, while *f* names someone *f_prime* lacks and supports it by half.
    """
    return _common(f_prime, f) / len(f_prime) if f_prime else 0.0


def name_implication(f_prime: NameKey, f: NameKey) -> float:
    """TruthFinder's imp(f′ → f) between two name lists of one slot, in [−1, 1].

    ``name_support`` − base_sim, so that a truncated list (every person of it in *f*)
    supports the full one by +(1 − base_sim) and strangers exclude each other. The other
    way, a list that names everyone *f* names and more says *f* is incomplete, so false as
    the list of authors: it counts against *f* by as much, −(1 − base_sim). Without that the
    first-author-only listings, the commonest error of the book data set, outvote the
    full list they are consistent with (benchmarks/README.md).
    """
    if len(f) < len(f_prime) and not Counter(f) - Counter(f_prime):
        return min(name_support(f_prime, f) - BASE_SIMILARITY, BASE_SIMILARITY - 1.0)
    return name_support(f_prime, f) - BASE_SIMILARITY


def name_distance(a: NameKey, b: NameKey) -> float:
    """1 − the people two lists share over the longer list's length, in [0, 1] (symmetric)."""
    longer = max(len(a), len(b))
    return 1.0 - _common(a, b) / longer if longer else 0.0


# Lower-case words a name list may hold: connectors and name particles ("Jan de Clercq").
_LOWER = frozenset(
    {"and", "by", "with", "edited", "et", "al", "de", "da", "di", "du", "van", "von", "der"}
    | {"den", "la", "le", "del", "dos", "bin", "ibn"}
)


@lru_cache(maxsize=1 << 16)
def is_name_list(text: str) -> bool:
    """Whether a literal value reads as people's names rather than prose or a number.

    No digits (addresses, dates, counts are compared exactly), every word capitalised but
    connectors and particles ("Knuth, Donald E. and Ronald Graham", "Lacroix, Zoé"), and
    someone named. Prose ("a joint headquarters of ...") is compared exactly.
    """
    if any(c.isdigit() for c in text):
        return False
    words = re.findall(r"[^\W\d_][\w'’.-]*", html.unescape(_PARENTHESES.sub(" ", text)))
    return all(w[0].isupper() or w.casefold() in _LOWER for w in words) and bool(parse_names(text))


# The methods ---------------------------------------------------------------------------------


def _exclusive(_slot: Hashable, _f_prime: Hashable, _f: Hashable) -> float:
    """The default imp(f′ → f): the facts of one slot exclude each other."""
    return -1.0


def _unequal(_slot: Hashable, f: Hashable, g: Hashable) -> float:
    """The default d(f, g): 0-1 loss, the CRH paper's loss for categorical data."""
    return 0.0 if f == g else 1.0


def _sigmoid(x: float) -> float:
    """1 / (1 + e^−x), without overflow for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _cosine(a: list[float], b: list[float]) -> float:
    norms = math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b))
    return math.fsum(x * y for x, y in zip(a, b, strict=True)) / norms if norms else 1.0


class _Index(NamedTuple):
    """Slots flattened to positions: facts (slot, fact), their sources, sources' facts."""

    keys: list[tuple[Hashable, Hashable]]
    providers: list[tuple[int, ...]]  # fact -> source positions
    slot_of: list[range]  # fact -> the positions of its slot's facts
    sources: list[Hashable]
    provided: list[list[int]]  # source -> fact positions


def _index(slots: Slots) -> _Index:
    keys: list[tuple[Hashable, Hashable]] = []
    providers: list[tuple[int, ...]] = []
    slot_of: list[range] = []
    source_index: dict[Hashable, int] = {}
    for slot, facts in slots.items():
        first = len(keys)
        for fact, sources in facts.items():
            if not sources:
                raise ValueError(f"fact {fact!r} of slot {slot!r} has no source")
            keys.append((slot, fact))
            providers.append(
                tuple(sorted({source_index.setdefault(w, len(source_index)) for w in sources}))
            )
        slot_of.extend([range(first, len(keys))] * (len(keys) - first))
    provided: list[list[int]] = [[] for _ in source_index]
    for i, sources in enumerate(providers):
        for w in sources:
            provided[w].append(i)
    return _Index(keys, providers, slot_of, list(source_index), provided)


def _result(
    slots: Slots, index: _Index, trust: list[float], confidence: list[float], iterations: int
) -> TruthResult:
    by_slot: dict[Hashable, dict[Hashable, float]] = {slot: {} for slot in slots}
    for (slot, fact), s in zip(index.keys, confidence, strict=True):
        by_slot[slot][fact] = s
    return TruthResult(dict(zip(index.sources, trust, strict=True)), by_slot, iterations)


def truthfinder(
    slots: Slots,
    *,
    initial_trust: float = INITIAL_TRUST,
    gamma: float = GAMMA,
    rho: float = RHO,
    delta: float = DELTA,
    max_iterations: int = MAX_ITERATIONS,
    implication: Implication | None = None,
) -> TruthResult:
    """TruthFinder (Yin, Han & Yu, KDD 2007), exactly as the paper defines it.

    From t(w) = t0, repeat until the trust vector keeps its direction (cos ≥ 1 − δ):

    * trustworthiness score   τ(w)  = −ln(1 − t(w))
    * confidence score        σ(f)  = Σ τ(w) over the sources w of f
    * adjusted                σ*(f) = σ(f) + ρ · Σ_{f′ ≠ f in the slot} σ(f′) · imp(f′ → f)
    * fact confidence         s(f)  = 1 / (1 + e^(−γ · σ*(f)))
    * source trustworthiness  t(w)  = the mean of s(f) over the facts w provides

    *implication(slot, f_prime, f)* gives imp(f′ → f) in [−1, 1] (default −1: the facts of
    a slot exclude each other). t(w) is kept in [ε, 1 − ε] so that τ stays finite, and every
    sum is ``math.fsum``, so the result does not depend on the order of the input. The
    confidences returned are those the returned trust gives (one more fact step), so that
    ``fact_confidence`` with that trust reproduces them slot by slot.
    """
    if not 0 < initial_trust < 1:
        raise ValueError(f"initial_trust must be in (0, 1), not {initial_trust!r}")
    if not gamma > 0:
        raise ValueError(f"gamma must be > 0, not {gamma!r}")
    if not rho >= 0:
        raise ValueError(f"rho must be >= 0, not {rho!r}")
    if not 0 <= delta < 1:
        raise ValueError(f"delta must be in [0, 1), not {delta!r}")
    if max_iterations < 1:
        raise ValueError(f"max_iterations must be >= 1, not {max_iterations!r}")
    imp = implication or _exclusive
    index = _index(slots)
    influences: list[list[tuple[int, float]]] = []  # fact -> [(f′, imp(f′ → f))]
    for i, (slot, fact) in enumerate(index.keys):
        row = []
        for j in index.slot_of[i]:
            if j == i:
                continue
            weight = float(imp(slot, index.keys[j][1], fact))
            if not -1.0 <= weight <= 1.0:
                raise ValueError(
                    f"implication({slot!r}, {index.keys[j][1]!r}, {fact!r}) = {weight!r}"
                    " is not in [-1, 1]"
                )
            if weight:
                row.append((j, weight))
        influences.append(row)

    trust, iterations = _iterate(
        index.providers,
        index.provided,
        influences,
        initial_trust,
        gamma,
        rho,
        delta,
        max_iterations,
    )
    return _result(
        slots, index, trust, _scores(index.providers, influences, trust, gamma, rho), iterations
    )


def _scores(
    providers: list[tuple[int, ...]],
    influences: list[list[tuple[int, float]]],
    trust: list[float],
    gamma: float,
    rho: float,
) -> list[float]:
    """TruthFinder's fact step: s(f) of every fact from the sources' trust.

    Facts outnumber their distinct source sets by far, so σ is summed once per set, and a
    fact without influences takes its set's s(f): the same sums, computed once.
    """
    tau = [-math.log1p(-t) for t in trust]
    sums = {sources: math.fsum(map(tau.__getitem__, sources)) for sources in set(providers)}
    alone = {sources: _sigmoid(gamma * x) for sources, x in sums.items()}
    sigma = [sums[sources] for sources in providers]
    return [
        _sigmoid(gamma * math.fsum([sigma[i], *(rho * sigma[j] * x for j, x in row)]))
        if row
        else alone[providers[i]]
        for i, row in enumerate(influences)
    ]


def _iterate(
    providers: list[tuple[int, ...]],
    provided: list[list[int]],
    influences: list[list[tuple[int, float]]],
    initial_trust: float,
    gamma: float,
    rho: float,
    delta: float,
    max_iterations: int,
) -> tuple[list[float], int]:
    """TruthFinder's loop over numbered facts (``truthfinder``'s docstring): trust, iterations.

    Shared by ``truthfinder`` and ``truthfinder_trust`` so that both give the same trust.
    """
    trust = [initial_trust] * len(provided)
    iterations = 0
    while provided and iterations < max_iterations:
        iterations += 1
        confidence = _scores(providers, influences, trust, gamma, rho)
        updated = [
            min(
                max(math.fsum(map(confidence.__getitem__, facts)) / len(facts), _EPSILON),
                1 - _EPSILON,
            )
            for facts in provided
        ]
        converged = _cosine(trust, updated) >= 1 - delta
        trust = updated
        if converged:
            break
    return trust, iterations


def fact_confidence(
    facts: Mapping[Hashable, Collection[Hashable]],
    trust: Mapping[Hashable, float],
    implication: Callable[[Hashable, Hashable], float] | None = None,
    *,
    gamma: float = GAMMA,
    rho: float = RHO,
) -> dict[Hashable, float]:
    """TruthFinder's s(f) for the facts of one slot, {fact: {source}}, from given *trust*.

    The fact step of ``truthfinder`` alone (*implication(f_prime, f)*, default −1): with the
    trust a run converged to, it gives that run's confidences, so one slot's confidence
    needs its own facts and the stored trust, not the whole base.
    """
    imp = implication or (lambda _f_prime, _f: -1.0)
    tau = {
        w: -math.log1p(-min(max(trust[w], _EPSILON), 1 - _EPSILON))
        for sources in facts.values()
        for w in sources
    }
    sigma = {f: math.fsum(tau[w] for w in set(sources)) for f, sources in facts.items()}
    return {
        f: _sigmoid(
            gamma * math.fsum([sigma[f], *(rho * sigma[g] * imp(g, f) for g in facts if g != f)])
        )
        for f in facts
    }


def crh(
    slots: Slots,
    *,
    distance: Distance | None = None,
    max_iterations: int = CRH_ITERATIONS,
) -> TruthResult:
    """CRH, Conflict Resolution on Heterogeneous data (Li et al., SIGMOD 2014).

    Alternates until the truths stop changing (or *max_iterations*):

    * truth    v*(o) = the fact f of slot o minimising Σ_w weight(w) · d(f_w, f) over the
      sources w of o (f_w: what w says) — the weighted vote for 0-1 loss, the weighted median
      for |x − y| / std on numbers, and for name lists the weighted medoid under 1 − similarity;
    * weight   weight(w) = −ln(loss(w) / Σ_w′ loss(w′)), loss(w) = Σ_o d(f_w, v*(o)).

    Starts from equal weights (majority vote). *distance(slot, f, g)* is in [0, 1] (default
    0-1 loss). Reported trust is 1 − the mean loss of a source against the truths (CRH's
    weights are unbounded); a fact's confidence is its weighted support,
    Σ_w weight(w) · (1 − d(f_w, f)) / Σ_w weight(w).
    """
    if max_iterations < 1:
        raise ValueError(f"max_iterations must be >= 1, not {max_iterations!r}")
    d = distance or _unequal
    index = _index(slots)
    between: list[dict[int, float]] = []  # fact -> {fact of the same slot: d}
    for i, (slot, fact) in enumerate(index.keys):
        row = {}
        for j in index.slot_of[i]:
            value = 0.0 if i == j else float(d(slot, index.keys[j][1], fact))
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"distance({slot!r}, ...) = {value!r} is not in [0, 1]")
            row[j] = value
        between.append(row)
    first_of = sorted({r.start for r in index.slot_of})

    weight = [1.0] * len(index.sources)
    truth: dict[int, int] = {}  # slot (first position) -> fact position
    iterations = 0
    while index.sources and iterations < max_iterations:
        iterations += 1
        updated = {}
        for first in first_of:
            facts = index.slot_of[first]
            updated[first] = min(
                facts,
                key=lambda f: (
                    math.fsum(weight[w] * between[g][f] for g in facts for w in index.providers[g]),
                    f,
                ),
            )
        loss = [
            math.fsum(between[i][updated[index.slot_of[i].start]] for i in facts)
            for facts in index.provided
        ]
        total = math.fsum(loss)
        weight = [-math.log(max(x, _EPSILON) / total) if total else 1.0 for x in loss]
        if updated == truth:
            break
        truth = updated
    trust = [
        1.0 - math.fsum(between[i][truth[index.slot_of[i].start]] for i in facts) / len(facts)
        for facts in index.provided
    ]
    confidence = []
    for i in range(len(index.keys)):
        facts = index.slot_of[i]
        support = [(weight[w], 1.0 - between[g][i]) for g in facts for w in index.providers[g]]
        total_weight = math.fsum(x for x, _ in support)
        confidence.append(math.fsum(x * y for x, y in support) / total_weight)
    return _result(slots, index, trust, confidence, iterations)


def vote(slots: Slots) -> TruthResult:
    """Majority vote: a fact's confidence is the share of its slot's sources that state it.

    A source's trust is the mean confidence of the facts it states. One pass, no iteration
    beyond it: the baseline the other methods are measured against.
    """
    index = _index(slots)
    confidence = []
    for i in range(len(index.keys)):
        sources = {w for g in index.slot_of[i] for w in index.providers[g]}
        confidence.append(len(index.providers[i]) / len(sources))
    trust = [math.fsum(confidence[i] for i in facts) / len(facts) for facts in index.provided]
    return _result(slots, index, trust, confidence, 1 if index.sources else 0)


# Components and evidence ------------------------------------------------------------------


def has_evidence(facts: Mapping[Hashable, Collection[Hashable]]) -> bool:
    """Whether a slot can tell anything about its sources: two facts, or two sources."""
    return len(facts) > 1 or len({w for sources in facts.values() for w in sources}) > 1


def components(slots: Slots) -> list[list[Hashable]]:
    """The slots grouped by connected component of the source–slot graph, in input order."""
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for slot, facts in slots.items():
        for sources in facts.values():
            for w in sources:
                parent[find(("source", w))] = find(("slot", slot))
    groups: dict[Hashable, list[Hashable]] = {}
    for slot in slots:
        groups.setdefault(find(("slot", slot)), []).append(slot)
    return list(groups.values())


def truthfinder_trust(
    facts: Sequence[Collection[Hashable]],
    starts: Sequence[int],
    implications: Iterable[tuple[int, int, float]],
) -> dict[Hashable, float]:
    """``discover(slots).trust`` (TruthFinder) for slots given as numbers instead of dicts.

    *facts* holds each fact's set of sources, slot after slot; *starts* the position of each slot's
    first fact; *implications* every nonzero imp(f′ → f) as (f′, f, weight) between facts of
    one slot. Every slot must hold evidence (``has_evidence``). What a check's workers send
    back: it skips the dicts, the callback per pair and the final fact step that ``discover``
    needs for confidences, and runs the same loop per component, so the trust is the same.
    """
    source_index: dict[Hashable, int] = {}
    providers = [  # sorted, so that facts of one source set share one σ (``_scores``)
        tuple(sorted(source_index.setdefault(w, len(source_index)) for w in ws)) for ws in facts
    ]
    parent = list(range(len(source_index)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for start, end in pairwise([*starts, len(facts)]):
        root = find(providers[start][0])
        for i in range(start, end):
            for w in providers[i]:
                parent[find(w)] = root
    groups: dict[int, list[int]] = {}  # component root -> its facts
    for i, sources in enumerate(providers):
        groups.setdefault(find(sources[0]), []).append(i)
    rows: list[list[tuple[int, float]]] = [[] for _ in facts]
    for j, i, weight in implications:
        rows[i].append((j, weight))
    names = list(source_index)
    trust: dict[Hashable, float] = {}
    for group in groups.values():
        local = {i: k for k, i in enumerate(group)}
        members: dict[int, int] = {}  # source -> position in the component
        group_providers = [
            tuple(members.setdefault(w, len(members)) for w in providers[i]) for i in group
        ]
        provided: list[list[int]] = [[] for _ in members]
        for k, sources in enumerate(group_providers):
            for w in sources:
                provided[w].append(k)
        influences = [[(local[j], x) for j, x in rows[i]] for i in group]
        result, _iterations = _iterate(
            group_providers, provided, influences, INITIAL_TRUST, GAMMA, RHO, DELTA, MAX_ITERATIONS
        )
        trust.update((names[w], t) for w, t in zip(members, result, strict=True))
    return trust


def discover(
    slots: Slots,
    method: str = "truthfinder",
    *,
    implication: Implication | None = None,
    distance: Distance | None = None,
    initial_trust: float = INITIAL_TRUST,
    gamma: float = GAMMA,
) -> TruthResult:
    """*method* run per component over the slots with evidence (module docstring).

    A source without evidence keeps *initial_trust*; a fact of a lone slot gets the
    confidence its sources' trust gives it: TruthFinder's s(f) = 1 / (1 + e^(−γ Σ τ(w))),
    1.0 for CRH and vote (nobody disagrees).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    evidence = {slot: facts for slot, facts in slots.items() if has_evidence(facts)}
    trust: dict[Hashable, float] = {}
    confidence: dict[Hashable, dict[Hashable, float]] = {}
    iterations = 0
    for component in components(evidence):
        part = {slot: evidence[slot] for slot in component}
        if method == "truthfinder":
            result = truthfinder(
                part, implication=implication, initial_trust=initial_trust, gamma=gamma
            )
        elif method == "crh":
            result = crh(part, distance=distance)
        else:
            result = vote(part)
        trust.update(result.trust)
        confidence.update(result.confidence)
        iterations = max(iterations, result.iterations)
    for facts in slots.values():
        for sources in facts.values():
            for w in sources:
                trust.setdefault(w, initial_trust)
    for slot, facts in slots.items():
        if slot in evidence:
            continue
        ((fact, sources),) = facts.items()
        if method == "truthfinder":
            tau = math.fsum(-math.log1p(-min(trust[w], 1 - _EPSILON)) for w in sources)
            confidence[slot] = {fact: _sigmoid(gamma * tau)}
        else:
            confidence[slot] = {fact: 1.0}
    return TruthResult(trust, {slot: confidence[slot] for slot in slots}, iterations)
