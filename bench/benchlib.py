"""Helpers shared by the benchmark scripts in this folder (standard library only)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Callable


def ensure_venv(
    venv: Path,
    packages: list[str],
    probe_code: str,
    accept: Callable[[str], bool],
    what: str,
    log: Callable[[str], None],
    die: Callable[[str], None],
) -> Path:
    """A venv at `venv` with `packages` pip-installed, checked by running
    `probe_code` in it and passing its stdout to `accept`. The probe imports
    and loads rather than reading metadata: a venv where a package is present
    but broken must be repaired. Returns the venv's python."""
    py = venv / "bin" / "python"
    if not py.exists():
        log(f"creating venv {venv}")
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, stdout=sys.stderr)

    def probe() -> subprocess.CompletedProcess:
        return subprocess.run([str(py), "-c", probe_code], capture_output=True, text=True)

    def ok(r: subprocess.CompletedProcess) -> bool:
        try:
            return r.returncode == 0 and accept(r.stdout.strip())
        except ValueError:
            return False

    if ok(probe()):
        return py
    log(f"installing {' '.join(packages)} into {venv} (from PyPI)")
    res = subprocess.run(
        [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q", *packages],
        stdout=sys.stderr,
    )
    if res.returncode != 0:
        die(f"pip install {' '.join(packages)} failed in {venv} (see pip's error above)")
    r = probe()
    if not ok(r):
        sys.stderr.write(r.stderr)
        die(f"{what} does not load in {venv}")
    return py


def load_module(path: Path, name: str | None = None):
    """A Python file as a module: the bench scripts have hyphens in their
    names, so they cannot be imported plainly. Registered in sys.modules
    before it runs, because dataclasses look their module up by name."""
    name = name or path.stem.replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise ImportError(f"cannot import {path}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod
