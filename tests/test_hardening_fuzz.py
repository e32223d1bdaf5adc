"""A structural fuzzer of metadata and SymbolReference.json (issue 14): any
node of either replaced by a value hypothesis draws, removed, multiplied or
nested, and every command that reads packages answers with its result or
one clear error (exit 0, 1 or 2), never an internal error. A longer run
outside the suite: ``python tests/fuzzkit.py 10000``."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alc.package.container import app_bytes
from fuzzkit import base_entries, failures, mutated_package, run_commands

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2 ** 70, max_value=2 ** 70) | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.sampled_from(["Table", "Field", "Code", "Name", "Literal", "table", "#5", "²"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["$", "name", "id", "kind", "fields", "value", "Id", "Name", "Fields", "Controls",
                         "text", "members", "properties"]), inner, max_size=4),
    max_leaves=12)


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    entries, other = base_entries()
    folder = tmp_path_factory.mktemp("fuzz")
    dependency = folder / "other.app"
    dependency.write_bytes(app_bytes(other))
    return entries, str(folder), str(dependency)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2 ** 32), data=st.data())
def test_mutated_packages_never_give_an_internal_error(packages, seed, data):
    entries, folder, dependency = packages
    rng = random.Random(seed)
    package, name = mutated_package(entries, rng, value=lambda r: data.draw(JSON))
    path = f"{folder}/fuzz.app"
    with open(path, "wb") as f:
        f.write(package)
    results = run_commands(path, dependency)
    assert failures(results) == [], name
