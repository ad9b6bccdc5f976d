"""The import contract holds for the package, and breaks when an upward import or a circle is
added: the checks are run on a copy of the package with one import added."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CYCLES = ROOT / "tools" / "import_cycles.py"


def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "thidua", tmp_path / "thidua", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_local_import(module: Path, statement: str) -> None:
    """A function-local import at the end of ``module``: the kind an import at the top would
    hide least, and the checks must see it all the same."""
    module.write_text(module.read_text() + f"\n\ndef _added_for_the_test():\n    {statement}\n")


def run(command: list[str], where: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(where))  # the copy, not the installed package
    return subprocess.run(command, cwd=where, env=env, capture_output=True, text=True, timeout=120)


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return run([str(LINT_IMPORTS), "--config", str(where / "pyproject.toml"), "--no-cache"], where)


def import_cycles(where: Path) -> subprocess.CompletedProcess:
    return run([sys.executable, str(CYCLES), "thidua"], where)


def test_the_package_keeps_its_layers_and_has_no_import_cycle(tmp_path):
    where = copy_of_the_package(tmp_path)
    layers = lint_imports(where)
    assert layers.returncode == 0, layers.stdout + layers.stderr
    assert "1 kept, 0 broken" in layers.stdout
    cycles = import_cycles(where)
    assert cycles.returncode == 0, cycles.stdout + cycles.stderr


def test_an_upward_import_breaks_the_layer_contract(tmp_path):
    where = copy_of_the_package(tmp_path)
    add_local_import(where / "thidua" / "parsers" / "names.py", "from thidua.store.db import Database")
    layers = lint_imports(where)
    assert layers.returncode != 0
    assert "thidua.parsers.names -> thidua.store.db" in layers.stdout


def test_a_sibling_import_between_independent_packages_breaks_the_contract(tmp_path):
    where = copy_of_the_package(tmp_path)
    add_local_import(where / "thidua" / "notifier" / "digest.py", "from thidua.reports import consolidated")
    layers = lint_imports(where)
    assert layers.returncode != 0
    assert "thidua.notifier.digest -> thidua.reports.consolidated" in layers.stdout


def test_a_module_outside_the_layers_breaks_the_contract(tmp_path):
    where = copy_of_the_package(tmp_path)
    (where / "thidua" / "helpers.py").write_text('"""A module nobody placed in a layer."""\n')
    layers = lint_imports(where)
    assert layers.returncode != 0
    assert "helpers" in layers.stdout


def test_an_import_cycle_is_found_even_inside_one_layer(tmp_path):
    where = copy_of_the_package(tmp_path)
    # campaign imports text; text importing campaign back stays inside the base layer, which the
    # layer contract allows, and makes a circle, which the cycle check does not
    add_local_import(where / "thidua" / "text.py", "from thidua.campaign import Campaign")
    assert lint_imports(where).returncode == 0
    cycles = import_cycles(where)
    assert cycles.returncode == 1
    assert "thidua.campaign <-> thidua.text" in cycles.stdout
