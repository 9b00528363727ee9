"""search covers quotes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

Full-text search covered only claims.text, so `claim list --search abandoned` missed a claim
whose quote says "abandoned". The index now holds each cited claim's text plus the exact text
of its cited spans (one row per claim, quotes in claim_spans order), on both dialects through
one view, `claims_search` (id, text, quotes), that lists what the index should hold.

SQLite: the FTS5 table claims_fts (text, quotes) takes the view as its external content
(quoted content="claims_search", so Datasette detects it), so `rebuild` and fsck's
`integrity-check` compare the index with it. PostgreSQL: a table claims_fts (claim_id,
search tsvector) with the GIN index ix_claims_fts.

A claim is indexed once it cites a span: imports insert claims and then their claim_spans, so
indexing at the span link tokenises each claim once instead of indexing the bare text first
and re-indexing it. Triggers on claim_spans (insert, update, delete) and on claims.text keep
the index in sync; a claim cannot be deleted while it cites spans (foreign key), so deleting
its last claim_spans row has already removed its index row. On PostgreSQL the claim_spans
triggers are per statement (transition tables), so a bulk COPY is indexed in one statement.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite ---------------------------------------------------------------------------------

_QUOTES = (  # a claim's quotes, in claim_spans order, as the view and the triggers see them
    "(SELECT group_concat(exact, char(10)) FROM (SELECT s.exact FROM claim_spans cs"
    " JOIN spans s ON s.id = cs.span_id WHERE cs.claim_id = {claim} ORDER BY cs.id))"
)
_CITED = "EXISTS (SELECT 1 FROM claim_spans WHERE claim_id = {claim})"


def _unindex(claim: str, also: str = "") -> str:
    """FTS5 'delete' of the row a cited claim has now (its current text and quotes)."""
    return (
        "INSERT INTO claims_fts(claims_fts, rowid, text, quotes)"
        f" SELECT 'delete', id, text, {_QUOTES.format(claim='claims.id')}"
        f" FROM claims WHERE id = {claim} AND {_CITED.format(claim=claim)}{also};"
    )


def _index(claim: str, also: str = "") -> str:
    """Index a claim's row from its current text and quotes, if it cites a span."""
    return (
        "INSERT INTO claims_fts(rowid, text, quotes)"
        f" SELECT id, text, {_QUOTES.format(claim='claims.id')} FROM claims"
        f" WHERE id = {claim} AND {_CITED.format(claim=claim)}{also};"
    )


def _trigger(name: str, timing: str, body: str) -> str:
    return f"CREATE TRIGGER {name} {timing} ON claim_spans BEGIN {body} END"


_MOVED = " AND new.claim_id <> old.claim_id"  # an update that relinks a span to another claim


SQLITE_UP = [
    "DROP TRIGGER IF EXISTS claims_fts_ai",
    "DROP TRIGGER IF EXISTS claims_fts_ad",
    "DROP TRIGGER IF EXISTS claims_fts_au",
    "DROP TABLE IF EXISTS claims_fts",
    "CREATE VIEW claims_search(id, text, quotes) AS"
    f" SELECT c.id, c.text, {_QUOTES.format(claim='c.id')} FROM claims c"
    f" WHERE {_CITED.format(claim='c.id')}",
    "CREATE VIRTUAL TABLE claims_fts USING fts5("
    'text, quotes, content="claims_search", content_rowid="id")',
    # Statement order inside each trigger matters: unindex with the values the row was
    # indexed with (BEFORE the link changes), index with the new ones (AFTER).
    "CREATE TRIGGER claims_fts_au AFTER UPDATE OF text ON claims"
    f" WHEN {_CITED.format(claim='new.id')} BEGIN"
    " INSERT INTO claims_fts(claims_fts, rowid, text, quotes)"
    f" VALUES ('delete', old.id, old.text, {_QUOTES.format(claim='old.id')});"
    f" {_index('new.id')} END",
    _trigger("claim_spans_fts_bi", "BEFORE INSERT", _unindex("new.claim_id")),
    _trigger("claim_spans_fts_ai", "AFTER INSERT", _index("new.claim_id")),
    _trigger("claim_spans_fts_bd", "BEFORE DELETE", _unindex("old.claim_id")),
    _trigger("claim_spans_fts_ad", "AFTER DELETE", _index("old.claim_id")),
    _trigger(
        "claim_spans_fts_bu",
        "BEFORE UPDATE",
        _unindex("old.claim_id") + _unindex("new.claim_id", _MOVED),
    ),
    _trigger(
        "claim_spans_fts_au",
        "AFTER UPDATE",
        _index("new.claim_id") + _index("old.claim_id", _MOVED),
    ),
    "INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')",
]
SQLITE_TRIGGERS = [
    "claims_fts_au",
    "claim_spans_fts_bi",
    "claim_spans_fts_ai",
    "claim_spans_fts_bd",
    "claim_spans_fts_ad",
    "claim_spans_fts_bu",
    "claim_spans_fts_au",
]
# 0001's full-text objects, restored by the downgrade.
SQLITE_DOWN = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS claims_fts",
    "DROP VIEW IF EXISTS claims_search",
    'CREATE VIRTUAL TABLE claims_fts USING fts5(text, content="claims", content_rowid="id")',
    "CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN"
    " INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER claims_fts_ad AFTER DELETE ON claims BEGIN"
    " INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER claims_fts_au AFTER UPDATE OF text ON claims BEGIN"
    " INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')",
]

# PostgreSQL -----------------------------------------------------------------------------

POSTGRES_UP = [
    "DROP INDEX IF EXISTS ix_claims_fts",
    "CREATE VIEW claims_search(id, text, quotes) AS"
    " SELECT c.id, c.text, string_agg(s.exact, E'\\n' ORDER BY cs.id)"
    " FROM claims c JOIN claim_spans cs ON cs.claim_id = c.id JOIN spans s ON s.id = cs.span_id"
    " GROUP BY c.id",
    "CREATE TABLE claims_fts ("
    " claim_id integer CONSTRAINT pk_claims_fts PRIMARY KEY"
    " CONSTRAINT fk_claims_fts_claim_id_claims REFERENCES claims (id) ON DELETE CASCADE,"
    " search tsvector NOT NULL)",
    "CREATE INDEX ix_claims_fts ON claims_fts USING gin (search)",
    # Re-derive the rows of the given claims from the view: upsert the cited, drop the rest.
    "CREATE FUNCTION claims_fts_refresh(ids integer[]) RETURNS void LANGUAGE sql AS $$"
    " DELETE FROM claims_fts WHERE claim_id = ANY (ids)"
    "  AND NOT EXISTS (SELECT 1 FROM claim_spans WHERE claim_id = claims_fts.claim_id);"
    " INSERT INTO claims_fts (claim_id, search)"
    "  SELECT v.id, to_tsvector('english', v.text || E'\\n' || v.quotes)"
    "  FROM claims_search v WHERE v.id IN (SELECT unnest(ids))"
    "  ON CONFLICT (claim_id) DO UPDATE SET search = EXCLUDED.search;"
    " $$",
    "CREATE FUNCTION claims_fts_claim_spans() RETURNS trigger LANGUAGE plpgsql AS $$"
    " DECLARE ids integer[]; BEGIN"
    "  IF TG_OP = 'INSERT' THEN SELECT array_agg(DISTINCT claim_id) INTO ids FROM new_rows;"
    "  ELSIF TG_OP = 'DELETE' THEN SELECT array_agg(DISTINCT claim_id) INTO ids FROM old_rows;"
    "  ELSE SELECT array_agg(DISTINCT claim_id) INTO ids FROM"
    "   (SELECT claim_id FROM old_rows UNION SELECT claim_id FROM new_rows) changed;"
    "  END IF;"
    "  IF ids IS NOT NULL THEN PERFORM claims_fts_refresh(ids); END IF;"
    "  RETURN NULL;"
    " END $$",
    "CREATE FUNCTION claims_fts_claims() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM claims_fts_refresh(ARRAY[NEW.id]); RETURN NULL; END $$",
    "CREATE TRIGGER claims_fts_ins AFTER INSERT ON claim_spans"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION claims_fts_claim_spans()",
    "CREATE TRIGGER claims_fts_del AFTER DELETE ON claim_spans"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION claims_fts_claim_spans()",
    "CREATE TRIGGER claims_fts_upd AFTER UPDATE ON claim_spans"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION claims_fts_claim_spans()",
    "CREATE TRIGGER claims_fts_text AFTER UPDATE OF text ON claims FOR EACH ROW"
    " WHEN (OLD.text IS DISTINCT FROM NEW.text) EXECUTE FUNCTION claims_fts_claims()",
    "SELECT claims_fts_refresh(ARRAY(SELECT DISTINCT claim_id FROM claim_spans))",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS claims_fts_text ON claims",
    *(f"DROP TRIGGER IF EXISTS claims_fts_{op_} ON claim_spans" for op_ in ("ins", "del", "upd")),
    "DROP FUNCTION IF EXISTS claims_fts_claims()",
    "DROP FUNCTION IF EXISTS claims_fts_claim_spans()",
    "DROP FUNCTION IF EXISTS claims_fts_refresh(integer[])",
    "DROP TABLE IF EXISTS claims_fts",
    "DROP VIEW IF EXISTS claims_search",
    "CREATE INDEX ix_claims_fts ON claims USING gin (to_tsvector('english', text))",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    _run(SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP)


def downgrade() -> None:
    _run(SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN)
