"""The reading layer: words, numbers, mentions, cues and value comparison, as pure functions.

`verify` (a statement) and `suggest` (a document) read text through these modules; none of
them takes a Session or imports the database layer (claims, importer, db, cli): the DB side
builds plain data (`mentions.Vocabulary`, see `factbase.vocabulary.reading_vocabulary`) and
passes it in. Stable API (other branches build on it):

- `lemmas`: `Token(text, start, end)`, `tokens(text) -> list[Token]` (words with offsets,
  `text[t.start:t.end] == t.text`), `lemma(word) -> str` (lower-case lemma, lemminflect;
  "withdrew" → "withdraw", "left" → "leave"), `lemma_key(text) -> tuple[str, ...]`.
- `numbers`: `Quantity(start, end, text, value, low, high, unit, unit_text, hedge, kind)`,
  `quantities(text) -> list[Quantity]` (every quantity a text states, in order, not
  overlapping), `parse_quantity(text) -> Quantity | None` (the whole text is one quantity:
  `claim add --value`), `normalize_quantity(number, unit) -> (number, base unit)`
  (currencies to ISO 4217 codes, physical units through pint), `numbers_in(text)`.
- `mentions`: `EntityName(id, name, kind, aliases)`, `PredicateName(id, name, phrases,
  value_type, kind)`, `Vocabulary(entities, predicates)`, `Mention(start, end, text, kind,
  id, name, via)`, `entity_mentions(text, vocabulary)`, `predicate_mentions(text,
  vocabulary)`, `mentions(text, vocabulary)` (predicates first, then entities on the rest;
  longest first, not overlapping, in text order).
- `compare`: `value_key(text) -> str` (normalised value), `values_agree(a, b) -> bool`
  (a more specific form agrees: "4526 43rd Street NW" ~ "4526 43rd Street NW, Washington,
  DC 20016"), `quantities_agree(a, b, tolerance)`.
- `cues`: `Cues(negated, negation, modality, attributed_to, cue_spans)`, `read_cues(text)`.
- `timex`: `parse_time(expr, anchor, precision)` → `TimeQualifier` (time expressions).
- `suggest`: `read_document(text, anchor, precision, vocabulary, roles)` and `read_span(...)`
  → `Proposal`s (claim suggestions; `factbase.suggestions` stores them).
"""
