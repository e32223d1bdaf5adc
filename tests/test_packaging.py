"""The installed package must contain every module: pyproject lists the
packages explicitly (grammar/ ships as alc.grammar), so the list must not drift."""

import os
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_pyproject_lists_every_package():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        listed = set(tomllib.load(f)["tool"]["setuptools"]["packages"])
    on_disk = {"alc.grammar"}
    for root, dirs, files in os.walk(os.path.join(ROOT, "alc")):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        if "__init__.py" in files:
            on_disk.add(os.path.relpath(root, ROOT).replace(os.sep, "."))
    assert listed == on_disk


def test_grammar_ships_with_the_package():
    from alc.syntax.grammar import grammar_text
    assert "object_kind" in grammar_text()
