"""A non-editable install carries the migrations and the seed corpus and runs the demo."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("factbase-*.whl")
    return built


def test_wheel_holds_migrations_and_seeds(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("0*.py"))
    seeds = sorted(p.name for p in (ROOT / "seeds").iterdir() if p.is_file())
    assert {f"factbase/_migrations/versions/{m}" for m in migrations} <= names
    assert {"factbase/_migrations/env.py", "factbase/_migrations/script.py.mako"} <= names
    assert {f"factbase/_seeds/{s}" for s in seeds} <= names
    styles = {f"factbase/csl/{p.name}" for p in (ROOT / "factbase" / "csl").glob("*.csl")}
    assert styles and styles <= names
    package = ROOT / "factbase"
    desk = {
        f"factbase/{p.relative_to(package)}"
        for folder in ("web", "templates")
        for p in (package / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert {"factbase/web/static/htmx.min.js", "factbase/web/static/htmx.LICENSE"} <= desk
    assert {"factbase/templates/report.html", "factbase/templates/base.html"} <= desk
    assert desk <= names, sorted(desk - names)  # templates and static files ship


def test_installed_demo_runs_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--ignore-installed",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = subprocess.run(
        [str(env_dir / "bin" / "factbase"), "demo", "--json"],
        cwd=work,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["claims"] >= 60
    assert summary["fsck"] == []
    assert (work / "factbase-demo.db").exists()
    located = subprocess.run(
        [str(python), "-c", "import factbase.store as s; print(s.migrations_dir())"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "site-packages/factbase/_migrations" in located.stdout
