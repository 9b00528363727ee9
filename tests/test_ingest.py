"""Ingest: decoding, normalisation, metadata from text/files/options, versions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from factbase import FactBase
from factbase.errors import DocumentExists, InputFileError, MetadataError
from factbase.ingest import normalize_text, parse_header, read_text

from .conftest import SEEDS, Invoke

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def test_parse_header_reads_publication_volume_issue() -> None:
    meta = parse_header(SEED_FILES[0].read_text("utf-8"))
    assert meta == {"publication": "Fortnight in Review", "volume": "6", "issue": "17"}


def test_parse_header_reads_title_and_dateline() -> None:
    meta = parse_header((SEEDS / "003_18c190d68d0860aa.txt").read_text("utf-8"))
    assert meta["title"] == "Defence Cooperation Keeps Uzbeks Close to Russia"
    assert (meta["date"], meta["date_source"]) == ("2007-05-30", "stated")
    assert "Wednesday, 30 May, 2007" in meta["date_note"]


def test_parse_header_title_before_publication_line() -> None:
    meta = parse_header((SEEDS / "004_fcd87ccaefd1de22.txt").read_text("utf-8"))
    assert meta["title"] == "Russian-Uzbek Rapprochement Evidenced In Defense Chief’s Visit"
    assert (meta["publication"], meta["volume"], meta["issue"]) == (
        "Eurasia Daily Monitor",
        "1",
        "10",
    )
    assert "date" not in meta


def test_read_text_normalises_bom_crlf_and_nfc(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffCafe\u0301 one\r\ntwo\rthree\n".encode())
    assert read_text(path) == "Caf\u00e9 one\ntwo\nthree\n"
    assert normalize_text("a\r\nb") == "a\nb"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b" \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        (b"caf\xe9 latin-1", "not UTF-8 text (invalid byte 0xe9 at offset 3)"),
    ],
)
def test_read_text_refuses_bad_files(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        read_text(path)


def test_ingest_seeds_with_directory_metadata(fb: FactBase) -> None:
    results = fb.ingest([SEEDS])
    assert [r["status"] for r in results] == ["added"] * 5
    by_slug = {r["slug"]: r for r in results}
    stated = [r for r in results if r["date_source"] == "stated"]
    assert len(stated) == 1 and stated[0]["date"] == "2007-05-30"
    assert all(r["date"] for r in results), "every seed is dated (stated or inferred)"
    for result, path in zip(results, SEED_FILES, strict=True):
        text = normalize_text(path.read_text("utf-8-sig"))
        assert result["sha256"] == hashlib.sha256(text.encode()).hexdigest()
        assert result["length"] == len(text)
    assert len(by_slug) == 5


def test_reingest_is_a_noop(fb: FactBase) -> None:
    fb.ingest([SEEDS])
    before = fb.counts()
    again = fb.ingest([SEEDS])
    assert [r["status"] for r in again] == ["unchanged"] * 5
    assert fb.counts() == before


def test_changed_text_needs_new_version(fb: FactBase, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("First text.\n", "utf-8")
    first = fb.ingest([path], date="2001-02")[0]
    assert (first["version"], first["date"], first["date_precision"], first["date_source"]) == (
        1,
        "2001-02-01",
        "month",
        "given",
    )
    path.write_text("Second text.\n", "utf-8")
    before = fb.counts()
    with pytest.raises(DocumentExists, match="use --new-version"):
        fb.ingest([path])
    assert fb.counts() == before
    second = fb.ingest([path], new_version=True)[0]
    assert (second["slug"], second["version"], second["supersedes"]) == ("note", 2, first["id"])
    assert fb.document("note")["version"] == 2
    assert fb.document("note@1", with_text=True)["text"] == "First text.\n"


def test_ingest_in_batches_mixes_new_unchanged_and_new_versions(
    fb: FactBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of 2: stored versions are looked up per batch, one publication is made once."""
    monkeypatch.setattr("factbase.ingest._BATCH", 2)
    texts = {f"d{i}": f"Text number {i}.\n" for i in range(5)}
    for slug, text in texts.items():
        (tmp_path / f"{slug}.txt").write_text(text, "utf-8")
    first = fb.ingest([tmp_path], publication="Daily")
    assert [(d["slug"], d["version"], d["status"]) for d in first] == [
        (slug, 1, "added") for slug in texts
    ]
    (tmp_path / "d1.txt").write_text("Changed.\n", "utf-8")
    (tmp_path / "d4.txt").write_text("Changed too.\n", "utf-8")
    (tmp_path / "d5.txt").write_text("New.\n", "utf-8")
    second = fb.ingest([tmp_path], publication="Daily", new_version=True)
    assert [(d["slug"], d["version"], d["status"]) for d in second] == [
        ("d0", 1, "unchanged"),
        ("d1", 2, "new version"),
        ("d2", 1, "unchanged"),
        ("d3", 1, "unchanged"),
        ("d4", 2, "new version"),
        ("d5", 1, "added"),
    ]
    ids = {d["slug"]: d["id"] for d in first}
    assert [d["supersedes"] for d in second if d["version"] == 2] == [ids["d1"], ids["d4"]]
    counts = fb.counts()
    assert (counts["documents"], counts["publications"]) == (8, 1)
    for document in second:
        stored = fb.document(f"{document['slug']}@{document['version']}", with_text=True)
        assert stored["text"] == (tmp_path / f"{document['slug']}.txt").read_text("utf-8")


def test_options_override_metadata(fb: FactBase, tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Publication: Monitor Volume: 5 Issue: 1\n\nBody text.\n", "utf-8")
    (tmp_path / "x.txt.meta.yaml").write_text(
        "title: From sidecar\nauthors: [A. Writer, B. Writer]\ndate: 1999-09\n"
        "date_source: inferred\ndate_note: from the sidecar\n",
        "utf-8",
    )
    result = fb.ingest([path], slug="custom", title="From option", publication="Other")[0]
    assert result["slug"] == "custom"
    assert result["title"] == "From option"
    assert result["publication"] == "Other"
    assert result["authors"] == "A. Writer; B. Writer"
    assert (result["date"], result["date_precision"], result["date_source"]) == (
        "1999-09-01",
        "month",
        "inferred",
    )


def test_bad_metadata_is_refused(fb: FactBase, tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Body.\n", "utf-8")
    (tmp_path / "x.txt.meta.yaml").write_text("colour: red\n", "utf-8")
    with pytest.raises(MetadataError, match="unknown metadata keys"):
        fb.ingest([path])
    (tmp_path / "x.txt.meta.yaml").write_text("date: 1999-13\n", "utf-8")
    with pytest.raises(MetadataError, match="bad date"):
        fb.ingest([path])
    assert fb.counts()["documents"] == 0


def test_id_with_several_files_is_refused(fb: FactBase) -> None:
    with pytest.raises(MetadataError, match="--id names one document but 5 files"):
        fb.ingest([SEEDS], slug="one")


def test_one_bad_file_stores_nothing(fb: FactBase, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Good.\n", "utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(InputFileError):
        fb.ingest([good, bad])
    assert fb.counts()["documents"] == 0


def test_cli_ingest_json(cli: Invoke) -> None:
    result = cli("ingest", str(SEEDS / "003_18c190d68d0860aa.txt"), "--json")
    assert result.exit_code == 0, result.output
    [document] = json.loads(result.stdout)
    assert document["status"] == "added"
    assert document["title"] == "Defence Cooperation Keeps Uzbeks Close to Russia"
    again = cli("ingest", str(SEEDS / "003_18c190d68d0860aa.txt"))
    assert again.exit_code == 0
    assert "unchanged, already stored (version 1)" in again.stderr
