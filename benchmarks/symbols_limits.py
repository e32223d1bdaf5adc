"""Peak memory and time of reading packages whose SymbolReference.json is large or shaped at the limits.

    python -m benchmarks.symbols_limits [PACKAGE.app ...] [--root CHECKOUT] [--shapes strings,empty,...] [--trusted]

For each package given (the W1 Base Application that alc built, say) and each
worst-case shape of ``tests/hardkit.symbols_at_the_limits`` (built into a
stored, uncompressed package under a temporary folder), two readings run in
a fresh process each: ``alc inspect`` (the objects' identities) and
``read_package`` (the whole symbol model: what compile and the server read).
Printed per reading: exit code, CPU seconds (user+system of the reading
process), wall seconds and peak resident memory (MB). ``--root`` runs the
readings with the alc of another checkout (for before/after figures);
``--trusted`` reads with the limits of trusted packages (``ALC_TRUSTED_PACKAGES=1``: the generated 100k
base is over the default limits).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_MIDDLE = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run([sys.executable, "-c", sys.argv[1]] + sys.argv[2:], capture_output=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": p.returncode, "cpu_s": round(r.ru_utime + r.ru_stime, 2),
                  "wall_s": round(time.perf_counter() - t, 2), "peak_mb": round(r.ru_maxrss / 1024, 1),
                  "err": p.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]}))
"""

READINGS = {
    "inspect": "import sys; sys.argv = ['alc', 'inspect'] + sys.argv[1:]; from alc.cli import main; "
               "sys.exit(main(sys.argv[1:]))",
    "read_package": "import sys; from alc.package import PackageError; from alc.package.reader import read_package\n"
                    "try:\n    p = read_package(sys.argv[1]); print(len(list(p.symbols.objects())))\n"
                    "except PackageError as e:\n    print(e, file=sys.stderr); sys.exit(2)",
}


def measure(reading: str, package: str, root: str, trusted: bool = False) -> dict:
    """One reading of ``package`` in a fresh process (a small middle process measures it: a child's peak
    starts from the memory of the process that forked it)."""
    env = dict(os.environ, PYTHONPATH=root)
    env.pop("ALC_TRUSTED_PACKAGES", None)
    if trusted:
        env["ALC_TRUSTED_PACKAGES"] = "1"
    out = subprocess.run([sys.executable, "-c", _MIDDLE, READINGS[reading], package], env=env,
                         capture_output=True, text=True, cwd=root)
    return json.loads(out.stdout.strip().splitlines()[-1])


def worst_cases(folder: str, shapes) -> dict:
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    from hardkit import sample_entries, stored_package, symbols_at_the_limits
    entries = sample_entries()
    out = {}
    for shape in shapes:
        path = os.path.join(folder, f"limits-{shape}.app")
        data = symbols_at_the_limits(shape)
        with open(path, "wb") as f:
            f.write(stored_package(dict(entries, **{"SymbolReference.json": data})))
        out[f"limits-{shape} ({len(data):,} B)"] = path
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*")
    parser.add_argument("--root", default=ROOT, help="the checkout whose alc reads (default: this one)")
    parser.add_argument("--shapes", default="strings,properties,empty,deep")
    parser.add_argument("--readings", default="inspect,read_package")
    parser.add_argument("--keep", help="folder for the worst-case packages (kept; reused when present)")
    parser.add_argument("--trusted", action="store_true", help="read with the limits of trusted packages")
    args = parser.parse_args(argv)
    folder = args.keep or tempfile.mkdtemp(prefix="alc-symbols-limits-")
    os.makedirs(folder, exist_ok=True)
    shapes = [s for s in args.shapes.split(",") if s]
    existing = {f"limits-{s}": os.path.join(folder, f"limits-{s}.app") for s in shapes}
    if all(os.path.exists(p) for p in existing.values()):
        packages = existing
    else:
        packages = worst_cases(folder, shapes)
    packages.update({os.path.basename(p): p for p in args.packages})
    for name, path in packages.items():
        for reading in args.readings.split(","):
            facts = measure(reading, path, args.root, args.trusted)
            print(json.dumps({"package": name, "reading": reading, **facts}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
