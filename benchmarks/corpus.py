"""Compile a checkout of microsoft/BCApps with alc, app by app, in dependency order.

    python -m benchmarks.corpus /path/to/BCApps --build /tmp/bcapps-build [--only W1] [--json out.json]
    python -m benchmarks.corpus /path/to/BCApps --build /tmp/bcapps-build --reuse \
        --targets-under Layers/W1/Tests --extra /path/to/ALAppExtensions/Apps/W1

Every project (a folder with app.json) that a target needs is compiled
against the packages alc built for the projects before it; the targets are
the System Application, Business Foundation, the W1 Base Application and
every project under src/Apps/W1 (tests, test libraries and demo data
included); `--targets-under` adds the projects under other folders of src/
(the W1 test layer), `--extra` the projects of another checkout (the apps of
microsoft/ALAppExtensions, built against the packages of BCApps' projects),
and `--reuse` keeps a package already in the build folder instead of
compiling its project again. The report gives, per project, the files, objects, seconds and
diagnostics by code; a project whose dependencies are nowhere in the
checkout is listed as skipped. Nothing of the checkout is copied anywhere
but the build folder.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time

BASE_APPLICATION = "437dbf0e-84ff-417a-965d-ed2bb9650972"
SYSTEM_APPLICATION = "63ca2fa4-4f03-4f2b-a480-172fef340d3f"


def find_projects(root: str, src: str = "") -> dict:
    """app id -> project folder, for every app.json under src/ (W1 only among the layers)."""
    projects: dict = {}
    src = src or os.path.join(root, "src")
    for folder, dirs, files in os.walk(src):
        rel = os.path.relpath(folder, src).replace(os.sep, "/")
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if rel.startswith("Layers/") and not rel.startswith("Layers/W1"):
            dirs[:] = []
            continue
        if rel.startswith("DisabledTests"):
            dirs[:] = []
            continue
        if "app.json" in files:
            try:
                with open(os.path.join(folder, "app.json"), "rb") as f:
                    data = json.loads(f.read().decode("utf-8-sig"))
                app_id = str(data["id"]).lower()
            except (OSError, ValueError, KeyError, TypeError):
                continue
            projects.setdefault(app_id, (folder, data))
            # Everything below a project is part of it: an app.json nested in it
            # (INTaxEngine/app/TaxEngine-JsonExchange) is not a project of its own.
            dirs[:] = []
    return projects


def dependencies(data: dict) -> list[str]:
    deps = [str(d.get("id") or d.get("appId") or "").lower() for d in data.get("dependencies") or []]
    if data.get("application"):
        deps += [BASE_APPLICATION, SYSTEM_APPLICATION]
    return [d for d in deps if d]


def plan(projects: dict, targets: list[str]) -> tuple[list[str], dict]:
    """Compile order for the targets and their dependencies; and the skipped ones with why."""
    order: list[str] = []
    skipped: dict = {}
    state: dict = {}

    def visit(app_id: str, chain: tuple) -> bool:
        if state.get(app_id) == "done":
            return app_id not in skipped
        if state.get(app_id) == "visiting":
            skipped[app_id] = "dependency cycle: " + " --> ".join(chain + (app_id,))
            return False
        if app_id not in projects:
            return False
        state[app_id] = "visiting"
        ok = True
        for dep in dependencies(projects[app_id][1]):
            if dep == app_id:
                continue
            if dep not in projects:
                skipped[app_id] = f"dependency {dep} is not in the checkout"
                ok = False
            elif not visit(dep, chain + (app_id,)):
                skipped.setdefault(app_id, f"dependency {projects[dep][1].get('name')} was skipped")
                ok = False
        state[app_id] = "done"
        if ok:
            order.append(app_id)
        return ok

    for t in targets:
        visit(t, ())
    return order, skipped


def _shown(folder: str, root: str, extras: list) -> str:
    """A project's folder relative to the checkout it comes from."""
    for base in extras:
        if folder.startswith(os.path.join(base, "")):
            return os.path.join(os.path.basename(base.rstrip(os.sep)), os.path.relpath(folder, base))
    return os.path.relpath(folder, root)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", help="a checkout of microsoft/BCApps")
    parser.add_argument("--build", required=True, help="folder for the packages alc builds")
    parser.add_argument("--only", default="W1", help="the folder under src/Apps whose projects are targets")
    parser.add_argument("--json", help="write the report as JSON")
    parser.add_argument("--limit", type=int, default=0, help="compile at most this many projects (0: all)")
    parser.add_argument("--targets-under", action="append", default=[], metavar="REL",
                        help="also target every project under src/REL (repeatable)")
    parser.add_argument("--extra", action="append", default=[], metavar="DIR",
                        help="also target every project under DIR, another checkout (repeatable)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a package already in the build folder for a project that is not a target")
    parser.add_argument("--no-code-analysis", dest="code_analysis", action="store_false",
                        help="check code bodies' syntax only")
    args = parser.parse_args(argv)

    from alc.build.compiler import CompileOptions, compile_project
    from alc.build.symcache import SymbolCache
    symbol_cache = SymbolCache()
    projects = find_projects(args.root)
    src = os.path.join(args.root, "src")
    targets = [SYSTEM_APPLICATION, "f3552374-a1f2-4356-848e-196002525837", BASE_APPLICATION]
    apps_root = os.path.join(src, "Apps", args.only)
    roots = [apps_root] + [os.path.join(src, rel) for rel in args.targets_under]
    extra_targets: list = []
    for extra in args.extra:
        found = find_projects(extra, src=extra)
        extra_targets += sorted(found)
        projects.update(found)   # an app in both checkouts is built from the extra one's source
    targets += sorted(i for i, (folder, _) in projects.items() if any(folder.startswith(r + os.sep) for r in roots))
    targets += extra_targets
    own = set(targets[3:])
    order, skipped = plan(projects, targets)
    if args.limit:
        order = order[:args.limit]
    os.makedirs(args.build, exist_ok=True)
    report = []
    for n, app_id in enumerate(order, 1):
        folder, data = projects[app_id]
        out = os.path.join(args.build, f"{app_id}.app")
        if args.reuse and app_id not in own and os.path.exists(out):
            print(f"[{n}/{len(order)}] {data.get('name')}: package reused", flush=True)
            continue
        started = time.perf_counter()
        result = compile_project(CompileOptions(project=folder, package_cache=(args.build,), out=out,
                                                symbol_cache=symbol_cache, code_analysis=args.code_analysis))
        seconds = time.perf_counter() - started
        codes = collections.Counter(f"{d.code} {d.severity}" for d in result.diagnostics)
        errors = sum(1 for d in result.diagnostics if d.is_error)
        entry = {"name": data.get("name"), "folder": _shown(folder, args.root, args.extra), "files": result.files,
                 "objects": len(result.objects), "seconds": round(seconds, 1), "errors": errors,
                 "diagnostics": dict(sorted(codes.items())), "code": result.code, "ok": result.ok}
        if errors:
            entry["first_errors"] = [f"{d.span.display_path(os.path.dirname(folder)) if d.span else ''}"
                                     f"({d.span.line if d.span else 0}): {d.code} {d.message}"
                                     for d in result.diagnostics if d.is_error][:10]
        report.append(entry)
        print(f"[{n}/{len(order)}] {entry['name']}: {result.files} files, {len(result.objects)} objects, "
              f"{seconds:.1f} s, {errors} errors, {len(result.diagnostics) - errors} warnings", flush=True)
    for app_id, why in sorted(skipped.items()):
        if app_id in projects:
            report.append({"name": projects[app_id][1].get("name"),
                           "folder": _shown(projects[app_id][0], args.root, args.extra), "skipped": why})
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)
    compiled = [r for r in report if "skipped" not in r]
    print(f"compiled {len(compiled)} projects, {sum(1 for r in compiled if r['ok'])} without errors; "
          f"{len(report) - len(compiled)} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
