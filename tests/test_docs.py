"""Run the doctests of every alc module (pytest collects only tests/ by
default, so the examples in docstrings would otherwise never run)."""

import doctest
import importlib
import pkgutil

import pytest

import alc

MODULES = sorted(
    name for _, name, _ in pkgutil.walk_packages(alc.__path__, prefix="alc.")
    if name != "alc.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, verbose=False)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
