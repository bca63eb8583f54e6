"""The package's types: the stub of the native module matches the module
(mypy's stubtest), and a typed program that uses the public API passes
`mypy --strict` against it (and runs)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import aperture_events

EXAMPLE = Path(__file__).parent / "typed" / "example.py"


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def stubtest(cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return run("-m", "mypy.stubtest", "aperture_events._native", "--mypy-config-file", os.devnull,
               cwd=cwd, env=env)


def test_the_stub_matches_the_native_module(tmp_path):
    result = stubtest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_stubtest_catches_a_method_missing_from_the_stub(tmp_path):
    # A copy of the installed package whose stub lost `validate_many`.
    package = tmp_path / "aperture_events"
    shutil.copytree(Path(aperture_events.__file__).parent, package)
    stub = package / "_native.pyi"
    text = stub.read_text()
    cut = "\n".join(line for line in text.splitlines() if "def validate_many" not in line)
    assert cut != text
    stub.write_text(cut)
    result = stubtest(tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert result.returncode != 0
    assert "Validator.validate_many" in result.stdout


def mypy_strict(path: Path, cwd: Path) -> subprocess.CompletedProcess:
    return run("-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(cwd / ".mypy_cache"),
               "--config-file", os.devnull, str(path), cwd=cwd)


def test_a_typed_program_passes_mypy_strict(tmp_path):
    result = mypy_strict(EXAMPLE, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_sees_the_types_of_the_stub(tmp_path):
    # Without the stub's types, mypy would take these for Any and pass them.
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "from aperture_events import Validator\n"
        "valid: str = Validator().validate(b'{}').valid\n"
        "Validator().validate(7)\n"
        "Validator().validate_path('x', max_error=1)\n"
    )
    result = mypy_strict(wrong, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "wrong.py:2: error: Incompatible types in assignment" in result.stdout
    assert "wrong.py:3: error: Argument 1 to \"validate\" of \"Validator\" has incompatible type" in result.stdout
    assert "wrong.py:4: error: Unexpected keyword argument \"max_error\"" in result.stdout


def test_the_typed_program_runs(tmp_path):
    result = run(str(EXAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
