"""Library exceptions: one class per user error, each a one-line message.

The CLI catches :class:`FactbaseError` and prints its message on stderr with
exit code 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class FactbaseError(Exception):
    "Base class of every user-facing factbase error"


class SchemaOutOfDate(FactbaseError):
    "The database schema is older than this version of factbase"


class InputFileError(FactbaseError):
    "A file cannot be read as UTF-8 text (missing, empty, binary or not UTF-8)"


class DocumentExists(FactbaseError):
    "A different text is already stored under this slug"


class UnknownDocument(FactbaseError):
    "No document has this slug"


class UnknownEntity(FactbaseError):
    "No entity has this name or alias"


class UnknownPredicate(FactbaseError):
    "No predicate has this name or alias"


class UnknownClaim(FactbaseError):
    "No claim has this id"


class DuplicateName(FactbaseError):
    "A name or alias is already taken"


class QuoteNotFound(FactbaseError):
    "The quote does not occur in the document"


class AmbiguousQuote(FactbaseError):
    "The quote occurs more than once in the document"


class TimeExpressionError(FactbaseError):
    "A time expression cannot be parsed"


class UndatedDocument(FactbaseError):
    "A relative time expression needs a dated document"


class InvalidClaim(FactbaseError):
    "A claim's fields are inconsistent (e.g. both an object and a value)"


class ImportFileError(FactbaseError):
    "A line of an import file is malformed; nothing was imported"


class MetadataError(FactbaseError):
    "A metadata file or option is malformed"


class UnknownConflict(FactbaseError):
    "No conflict has this id"


class InvalidDecision(FactbaseError):
    "A triage decision does not fit the conflict's state"


class NoFactBase(FactbaseError):
    "No fact base at this URL (a missing or empty database) and the command creates none"


class SchemaTooNew(FactbaseError):
    "The database was written by a newer factbase, at a schema revision this one does not know"


class DatabaseLocked(FactbaseError):
    "Another writer held the database's lock for longer than the busy timeout"


class InvalidSetting(FactbaseError):
    "An environment setting (e.g. FACTBASE_BUSY_TIMEOUT) is malformed"


class UnknownSuggestion(FactbaseError):
    "No suggestion has this id"


class SuggestionDecided(FactbaseError):
    "The suggestion was already accepted or rejected"
