"""The README runs as written (issue 9, item 18).

Every ```sh and ```python block of README.md runs, in order, in one shell in a fresh
directory that holds a copy of `examples/` (the README's commands run from a checkout's
root). A command exits 0 unless its comment says `# exits 1`. Two lines are not run
here: `pip install …` (the test runs in the installed environment; the command after
`&&` does run) and `python -m pytest` (this suite). The PostgreSQL block gets a database
of its own, dropped afterwards. `factbase` is this checkout's `cli.py`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from .conftest import PG_SERVER, ROOT, _require_pg

README = ROOT / "README.md"
_BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_EXPECT = re.compile(r"#.*\bexits (\d)\b")


@dataclass
class Command:
    line: str  # as the README writes it (continuations joined)
    run: str  # what the shell runs
    expected: int
    python: bool = False


def _commands(readme: str) -> list[Command]:
    """The README's commands in order: shell lines (continuations joined) and python blocks."""
    found: list[Command] = []
    for kind, body in _BLOCK.findall(readme):
        if kind == "python":
            found.append(Command(body.strip(), body, 0, python=True))
            continue
        for line in body.replace("\\\n", " ").splitlines():
            command = line.strip()
            run = re.sub(r"^pip install \S+ && ", "", command)
            if not command or command.startswith("#") or run.startswith("python -m pytest"):
                continue
            expect = _EXPECT.search(command)
            found.append(Command(command, run, int(expect[1]) if expect else 0))
    return found


def test_the_readme_names_its_commands() -> None:
    """The extraction itself: the README's blocks hold the commands this test runs."""
    commands = _commands(README.read_text("utf-8"))
    lines = [c.line for c in commands]
    assert "pip install . && factbase demo" in lines
    assert any(c.run == "factbase demo" for c in commands)
    assert not any("pytest" in c.run for c in commands)
    assert any(c.python for c in commands)
    assert sum("factbase claim edit" in line for line in lines) >= 2
    assert len(commands) > 50


def _script(commands: list[Command], out: Path) -> str:
    """One bash script: each command's output and exit status go to files of its own."""
    lines = ['cd "$(dirname "$0")"']
    for number, command in enumerate(commands):
        run = command.run
        if command.python:
            run = f"python - <<'README_PYTHON'\n{command.run}README_PYTHON\n"
        lines.append(
            f"{{ {run}\n}} > {out}/{number}.out 2> {out}/{number}.err; echo $? > {out}/{number}.rc"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_the_readme_runs_as_written(tmp_path: Path) -> None:
    if shutil.which("jq") is None:
        pytest.fail("the README pipes into jq: install it (apt-get install jq)")
    _require_pg()  # the PostgreSQL block runs too
    readme = README.read_text("utf-8")
    database = f"factbase_readme_{uuid.uuid4().hex[:12]}"
    pg_block = next(body for kind, body in _BLOCK.findall(readme) if "createdb" in body)
    readme = readme.replace(pg_block, pg_block.replace("newsroom", database))
    commands = _commands(readme)

    work, out, bin_dir = tmp_path / "work", tmp_path / "out", tmp_path / "bin"
    for directory in (out, bin_dir):
        directory.mkdir()
    shutil.copytree(ROOT / "examples", work / "examples")
    shim = bin_dir / "factbase"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{ROOT / "cli.py"}" "$@"\n', "utf-8")
    shim.chmod(0o755)
    script = work / "readme.sh"
    script.write_text(_script(commands, out), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTBASE_")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT)
    try:
        subprocess.run(["bash", str(script)], cwd=work, env=env, timeout=900, check=True)
    finally:
        admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()

    failures = []
    for number, command in enumerate(commands):
        rc = int((out / f"{number}.rc").read_text())
        err = (out / f"{number}.err").read_text()
        if rc != command.expected or "Traceback" in err:
            failures.append(f"{command.line!r}: exit {rc}, expected {command.expected}: {err}")
    assert not failures, "\n".join(failures)
    assert (work / "factbase-demo.db").is_file()
    assert (work / "report.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    verdicts = (work / "verdicts.jsonl").read_text("utf-8").splitlines()
    assert len(verdicts) == len((ROOT / "examples/statements.txt").read_text().splitlines())
