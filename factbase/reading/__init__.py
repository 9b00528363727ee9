"""The reading layer: words, numbers, mentions, cues and value comparison, as pure functions.

`verify` (a statement) and `suggest` (a document) read text through these modules; none of
them takes a Session or imports the database layer (claims, importer, db, cli): the DB side
builds plain data (`mentions.Vocabulary`, see `factbase.vocabulary.reading_vocabulary`) and
passes it in. Stable API (other branches build on it):

- `lemmas`: `Token(text, start, end)`, `tokens(text) -> list[Token]` (words with offsets,
  `text[t.start:t.end] == t.text`), `lemma(word) -> str` (lower-case lemma, lemminflect;
  "withdrew" → "withdraw", "left" → "leave"), `lemmas(text)`, `lemma_key(text) ->
  tuple[str, ...]`, `noun_lemma(word)` (singular: "servicemen" → "serviceman"), `fold`.
- `numbers`: `Quantity(start, end, text, value, low, high, unit, unit_text, hedge, kind,
  scale)`, `quantities(text) -> list[Quantity]` (every quantity a text states, in order,
  not overlapping), `parse_quantity(text) -> Quantity | None` (the whole text is one
  quantity: `claim add --value`), `parse_number_words(text) -> float | None` (a bare
  number, digits or spelled: for time expressions), `normalize_quantity(number, unit) ->
  (number, base unit)` (currencies to ISO 4217 codes, physical units through pint, counts
  in the singular), `numbers_in(text)`, `states_number(text, *numbers)`.
- `currencies`: `currency(text) -> ISO code | None`; `demonyms`: `demonyms()` (country →
  demonyms), `country_of_demonym()` (demonym → country names).
- `mentions`: `EntityName(id, name, kind, aliases)`, `PredicateName(id, name, phrases,
  value_type, kind)`, `Vocabulary(entities, predicates)`, `Mention(start, end, text, kind,
  id, name, via, possessive, title)`, `entity_mentions(text, vocabulary, exclude)`,
  `predicate_mentions(...)`, `mentions(...)` (both: longest first, a predicate winning a
  tie, not overlapping, in text order), `TITLES`. The DB side builds vocabularies with
  `factbase.vocabulary.reading_vocabulary(session)` (everything: for documents) or
  `text_vocabulary(session, text)` (only what a short text can name: for statements).
- `compare`: `normalize_value(text)`, `value_key(text) -> str` (agreeing values share
  it: group by it), `values_agree(a, b) -> bool` (a more specific form agrees: "4526 43rd
  Street NW" ~ "4526 43rd Street NW, Washington, DC 20016"), `quantities_agree(a, b,
  tolerance)`.
- `cues`: `Cue(start, end, text, kind)`, `Cues(negated, modality, attributed_to,
  attribution, cues)`, `read_cues(text) -> Cues` (modality: asserted, reported, hedged,
  planned).
- `timex`: `parse_time(expr, anchor, precision, context)` → `TimeQualifier`.
- `suggest`: `read_document(text, anchor, precision, vocabulary, roles)` and `read_span(...)`
  → `Proposal`s (claim suggestions; `factbase.suggestions` stores them).
"""
