"""Dependency resolution against a package cache of real `.app` files
(alc/package/cache.py, alc/build/deps.py)."""

import io
import os
import random
import struct
import zipfile

import pytest

from alc.appmodel import AppManifest, Dependency, Version
from alc.build.deps import (APPLICATION_ID, BASE_APPLICATION_ID, PLATFORM_ID, SYSTEM_APPLICATION_ID, DependencyGraph,
                            resolve)
from alc.build.project import parse_app_json
from alc.diagnostics import render_concise
from alc.package import NavxManifest, PackageError, SymbolReference, read_package, write_package
from alc.package.cache import AppId, CachedPackage, PackageIndex, read_cached_manifest, scan_package_cache
from alc.package.container import HEADER_SIZE, MAGIC
from alc.package.manifest import write_manifest
from alc.source import SourceFile


def gid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


V = Version.parse
IDS = {"Root": gid(1), "A": gid(2), "B": gid(3), "C": gid(4), "D": gid(5)}


def dep(name: str, version: str = "1.0.0.0", publisher: str = "Fabrikam", app_id=None) -> Dependency:
    return Dependency(app_id or IDS[name], name, publisher, V(version))


def app(name: str, version: str = "1.0.0.0", *deps: Dependency, app_id=None, publisher="Fabrikam",
        **kw) -> AppManifest:
    return AppManifest(app_id or IDS[name], name, publisher, V(version), dependencies=deps, **kw)


def put(folder, manifest: AppManifest, file_name=None) -> str:
    path = folder / (file_name or f"{manifest.publisher}_{manifest.name}_{manifest.version}.app")
    write_package(str(path), NavxManifest(manifest), SymbolReference())
    return str(path)


def codes(diagnostics):
    return [d.code for d in diagnostics]


# ------------------------------------------------------------------ scanning --

def test_scan_reads_manifests_only_of_app_files(tmp_path):
    put(tmp_path, app("A", "1.0.0.0"))
    put(tmp_path, app("A", "2.0.0.0"))
    put(tmp_path, app("B", "1.0.0.0", dep("A")))
    (tmp_path / "readme.txt").write_text("ignored")
    sub = tmp_path / "sub"
    sub.mkdir()
    put(sub, app("C"))                                      # not recursive
    index = scan_package_cache(tmp_path)
    assert index.diagnostics == ()
    assert [str(p.version) for p in index.versions(IDS["A"])] == ["2.0.0.0", "1.0.0.0"]
    assert index.best(IDS["B"]).app == app("B", "1.0.0.0", dep("A"))
    assert IDS["C"] not in index and len(index) == 3
    assert index.ids_named("a", "FABRIKAM") == (IDS["A"],)


def test_fast_manifest_read_equals_full_read(tmp_path):
    path = put(tmp_path, app("B", "1.2.3.4", dep("A"), application=V("24.0.0.0"), platform=V("24.0.0.0")))
    assert read_cached_manifest(path) == read_package(path).app


@pytest.mark.parametrize("comment", [b"", b"a zip comment: not a plain zip, read by zipfile"])
def test_the_manifest_of_any_zip_is_read_alike(tmp_path, comment):
    """A plain zip (as alc and Microsoft's compiler write) has its manifest found from its directory
    alone; any other zip goes through zipfile: the same manifest, the same refusals."""
    buf = io.BytesIO()
    manifest = write_manifest(NavxManifest(app("A", "1.2.0.0", dep("B"))))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("src/a.al", b"codeunit 50100 X { }")
        zf.writestr("Navx%4Danifest.xml" if comment else "navxmanifest.XML", manifest)
        zf.comment = comment
    (tmp_path / "a.app").write_bytes(navx(buf.getvalue()))
    assert read_cached_manifest(str(tmp_path / "a.app")) == app("A", "1.2.0.0", dep("B"))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("NavxManifest.xml", manifest)
        zf.comment = comment
    (tmp_path / "a.app").write_bytes(navx(buf.getvalue()))
    with pytest.raises(PackageError) as info:
        read_cached_manifest(str(tmp_path / "a.app"))
    assert info.value.code == "ALC0427"


def test_a_symbol_cache_reads_a_manifest_once_while_the_file_is_the_same(tmp_path, monkeypatch):
    from alc.build.symcache import SymbolCache
    from alc.package import cache as cache_module
    path = put(tmp_path, app("A", "1.0.0.0"))
    reads = []
    real = cache_module.read_cached_manifest
    monkeypatch.setattr(cache_module, "read_cached_manifest", lambda *a: reads.append(a) or real(*a))
    symbols = SymbolCache(use_disk=False)
    first = scan_package_cache(tmp_path, read=symbols.manifest)
    assert scan_package_cache(tmp_path, read=symbols.manifest).best(IDS["A"]) == first.best(IDS["A"])
    assert len(reads) == 1
    os.remove(path)
    put(tmp_path, app("A", "1.0.0.0", dep("B")))     # the same name, another content
    assert scan_package_cache(tmp_path, read=symbols.manifest).best(IDS["A"]).app == app("A", "1.0.0.0", dep("B"))
    assert len(reads) == 2


def navx(payload: bytes) -> bytes:
    return struct.pack("<4sII16sq4s", MAGIC, 40, 2, b"\0" * 16, len(payload), MAGIC) + payload


def test_manifest_not_first_in_the_zip(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("src/a.al", b"codeunit 50100 X { }")
        zf.writestr("NavxManifest.xml", write_manifest(NavxManifest(app("A", "1.2.0.0", dep("B")))))
    (tmp_path / "server.app").write_bytes(navx(buf.getvalue()))
    assert read_cached_manifest(str(tmp_path / "server.app")) == app("A", "1.2.0.0", dep("B"))


def test_corrupt_manifest_entry(tmp_path):
    path = put(tmp_path, app("A"))
    data = bytearray((tmp_path / "Fabrikam_A_1.0.0.0.app").read_bytes())
    data[HEADER_SIZE + 30 + 16 + 5] ^= 0xFF                 # inside the deflated NavxManifest.xml
    (tmp_path / "Fabrikam_A_1.0.0.0.app").write_bytes(bytes(data))
    index = scan_package_cache(tmp_path)
    assert codes(index.diagnostics) == ["ALC0246"] and "(ALC0424)" in index.diagnostics[0].message
    with pytest.raises(PackageError):
        read_package(path)


def test_scan_several_folders(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    put(one, app("A", "1.0.0.0"))
    put(two, app("A", "3.0.0.0"))
    index = scan_package_cache([one, str(two)])
    assert index.best(IDS["A"]).version == V("3.0.0.0")
    assert index.location == f"`{one}`, `{two}`"


def test_corrupt_and_foreign_packages_are_warnings(tmp_path):
    put(tmp_path, app("A"))
    (tmp_path / "zip.app").write_bytes(b"PK\x03\x04" + b"\0" * 60)
    (tmp_path / "empty.app").write_bytes(b"")
    good = (tmp_path / "Fabrikam_A_1.0.0.0.app").read_bytes()
    (tmp_path / "cut.app").write_bytes(good[:-10])
    (tmp_path / "garbage.app").write_bytes(good[:HEADER_SIZE] + b"\x01" * (len(good) - HEADER_SIZE))
    (tmp_path / "trailing.app").write_bytes(good + b"junk")
    runtime = struct.pack("<4sII16sq4s", MAGIC, 40, 2, b"\0" * 16, 16, MAGIC) + b".NEA\0\0\0\1" + b"\x9a" * 8
    (tmp_path / "Runtime.app").write_bytes(runtime)
    index = scan_package_cache(tmp_path)
    assert [(d.code, str(d.severity)) for d in index.diagnostics] == [("ALC0246", "warning")] * 6
    assert len(index) == 1
    messages = {d.span.file.rsplit("/", 1)[-1]: d.message for d in index.diagnostics}
    assert messages["Runtime.app"] == ("`Runtime.app` in the package cache is skipped, a runtime package: this is a "
                                       "runtime package made by a Business Central server (encrypted `.NEA` "
                                       "payload); alc cannot read it (ALC0423)")
    assert "(ALC0421)" in messages["zip.app"] and "(ALC0422)" in messages["cut.app"]
    assert "(ALC0424)" in messages["garbage.app"] and "(ALC0422)" in messages["trailing.app"]
    res = resolve(app("Root", "1.0.0.0", dep("A")), index)
    assert [p.name for p in res.packages] == ["A"] and res.diagnostics == ()


def test_signed_package_is_read(tmp_path):
    path = put(tmp_path, app("A"))
    data = (tmp_path / "Fabrikam_A_1.0.0.0.app").read_bytes()
    trailer = b"NXSB" + b"\0" * 8 + struct.pack("<I", len(data)) + b"NXSB"
    (tmp_path / "Fabrikam_A_1.0.0.0.app").write_bytes(data + trailer)
    assert read_package(path).signed
    assert read_cached_manifest(path).name == "A"


def test_missing_folder_is_a_warning(tmp_path):
    index = scan_package_cache(tmp_path / "nowhere")
    assert codes(index.diagnostics) == ["ALC0247"] and len(index) == 0


def test_same_identity_with_different_ids(tmp_path):
    put(tmp_path, app("A", "1.0.0.0"))
    put(tmp_path, app("A", "1.0.0.0", app_id=gid(99)), file_name="copy.app")
    put(tmp_path, app("A", "2.0.0.0", app_id=gid(99)), file_name="other.app")
    index = scan_package_cache(tmp_path)
    assert codes(index.diagnostics) == ["ALC0245"]
    assert index.diagnostics[0].message == (
        f"packages with different ids share the name `A`, publisher `Fabrikam` and version 1.0.0.0: "
        f"`{tmp_path / 'Fabrikam_A_1.0.0.0.app'}` ({IDS['A']}), `{tmp_path / 'copy.app'}` ({gid(99)})")


def test_same_version_twice_uses_first_by_file_name(tmp_path):
    put(tmp_path, app("A"), file_name="b.app")
    put(tmp_path, app("A"), file_name="a.app")
    index = scan_package_cache(tmp_path)
    assert codes(index.diagnostics) == ["ALC0248"]
    assert index.best(IDS["A"]).path == str(tmp_path / "a.app")


# ----------------------------------------------------------------- resolving --

def test_highest_compatible_version_is_chosen(tmp_path):
    for v in ("1.0.0.0", "1.5.0.0", "2.0.0.0", "1.10.0.0"):
        put(tmp_path, app("A", v))
    res = resolve(app("Root", "1.0.0.0", dep("A", "1.2.0.0")), scan_package_cache(tmp_path))
    assert res.diagnostics == ()
    assert [(p.name, str(p.version)) for p in res.packages] == [("A", "2.0.0.0")]
    assert res.package(IDS["A"]).read().app.version == V("2.0.0.0")


def test_too_old_version_names_the_versions_found(tmp_path):
    put(tmp_path, app("A", "1.0.0.0"))
    put(tmp_path, app("A", "1.1.0.0"))
    res = resolve(app("Root", "1.0.0.0", dep("A", "2.0.0.0")), scan_package_cache(tmp_path))
    assert codes(res.diagnostics) == ["ALC0241"] and res.diagnostics[0].is_error
    assert res.diagnostics[0].message == (
        f"dependency `A` ({IDS['A']}) version >= 2.0.0.0 is not in the package cache `{tmp_path}`, "
        f"which has versions 1.0.0.0, 1.1.0.0")


def test_missing_dependency_points_into_app_json(tmp_path):
    text = ('{"id": "%s", "name": "Root", "publisher": "Fabrikam", "version": "1.0.0.0",\n'
            ' "dependencies": [{"id": "%s", "name": "A", "publisher": "Fabrikam", "version": "3.0.0.0"}]}'
            % (IDS["Root"], IDS["A"]))
    manifest, diags = parse_app_json(text, "app.json")
    assert diags == []
    res = resolve(manifest, scan_package_cache(tmp_path), SourceFile("app.json", text))
    assert render_concise(res.diagnostics, cwd=".") == (
        f"app.json(2,27): error ALC0240: dependency `A` ({IDS['A']}) version >= 3.0.0.0 is not in the "
        f"package cache `{tmp_path}`")
    assert res.packages == ()


def test_transitive_dependencies_in_dependency_order(tmp_path):
    put(tmp_path, app("A", "1.0.0.0", dep("B"), dep("C")))
    put(tmp_path, app("B", "1.0.0.0", dep("C")))
    put(tmp_path, app("C", "1.0.0.0"))
    put(tmp_path, app("D", "1.0.0.0"))                       # not needed
    res = resolve(app("Root", "1.0.0.0", dep("A")), scan_package_cache(tmp_path))
    assert res.diagnostics == ()
    assert [p.name for p in res.packages] == ["C", "B", "A"]
    assert [p.name for p in res.visible] == ["A"]
    assert res.graph.depends_on(AppId(IDS["A"])) == (IDS["B"], IDS["C"])
    assert res.graph.dependents(AppId(IDS["C"])) == (IDS["A"], IDS["B"])
    assert res.graph.all_dependencies(AppId(IDS["Root"])) == {IDS["A"], IDS["B"], IDS["C"]}


def test_transitive_missing_and_too_old_show_the_chain(tmp_path):
    put(tmp_path, app("A", "1.0.0.0", dep("B", "2.0.0.0"), dep("D")))
    put(tmp_path, app("B", "1.0.0.0"))
    res = resolve(app("Root", "1.0.0.0", dep("A")), scan_package_cache(tmp_path))
    assert [(d.code, d.span.file) for d in res.diagnostics] == [
        ("ALC0241", str(tmp_path / "Fabrikam_A_1.0.0.0.app")), ("ALC0240", str(tmp_path / "Fabrikam_A_1.0.0.0.app"))]
    assert res.diagnostics[0].notes == ("required (version >= 2.0.0.0) through `Root --> A --> B`",)
    assert res.diagnostics[1].notes == ("required (version >= 1.0.0.0) through `Root --> A --> D`",)


def test_cycle_message(tmp_path):
    put(tmp_path, app("A", "1.0.0.0", dep("B")))
    put(tmp_path, app("B", "1.0.0.0", dep("A")))
    res = resolve(app("Root", "1.0.0.0", dep("A")), scan_package_cache(tmp_path))
    assert codes(res.diagnostics) == ["ALC0242"]
    assert res.diagnostics[0].message == "dependency cycle `A --> B --> A`"
    assert [p.name for p in res.packages] == ["A", "B"]        # still an order: the cycle's apps by id


def test_cycle_through_the_app_itself(tmp_path):
    put(tmp_path, app("A", "1.0.0.0", dep("B")))
    put(tmp_path, app("B", "1.0.0.0", dep("Root")))
    put(tmp_path, app("Root", "0.9.0.0"))                    # an old build of the app: never chosen
    res = resolve(app("Root", "1.0.0.0", dep("A")), scan_package_cache(tmp_path))
    assert [d.message for d in res.diagnostics] == ["dependency cycle `Root --> A --> B --> Root`"]


def test_legacy_app_id(tmp_path):
    put(tmp_path, app("A", "1.0.0.0"))
    manifest, diags = parse_app_json(
        '{"id": "%s", "name": "Root", "publisher": "Fabrikam", "version": "1.0.0.0", "runtime": "4.0",'
        ' "dependencies": [{"appId": "%s", "name": "A", "publisher": "Fabrikam", "version": "1.0.0.0"}]}'
        % (IDS["Root"], IDS["A"].upper()))
    assert diags == []
    res = resolve(manifest, scan_package_cache(tmp_path))
    assert [p.name for p in res.packages] == ["A"] and res.diagnostics == ()


def test_wrong_id_for_a_known_name(tmp_path):
    put(tmp_path, app("A", "1.0.0.0", app_id=gid(42)))
    res = resolve(app("Root", "1.0.0.0", dep("A")), scan_package_cache(tmp_path))
    assert codes(res.diagnostics) == ["ALC0243"]
    assert res.diagnostics[0].message == (
        f"dependency `A` ({IDS['A']}) version >= 1.0.0.0 is not in the package cache `{tmp_path}`, but `A` by "
        f"`Fabrikam` is, with id {gid(42)}")


def test_renamed_dependency_is_information(tmp_path):
    put(tmp_path, app("A", "1.0.0.0", publisher="Contoso"))
    res = resolve(app("Root", "1.0.0.0", dep("A")), scan_package_cache(tmp_path))
    assert [(d.code, str(d.severity)) for d in res.diagnostics] == [("ALC0244", "info")]
    assert [p.name for p in res.packages] == ["A"]


# ------------------------------------------------- implicit application/platform --

def microsoft(folder, version="24.0.0.0", umbrella=True, platform=True):
    ms = dict(publisher="Microsoft")
    put(folder, app("System Application", version, app_id=SYSTEM_APPLICATION_ID, **ms))
    put(folder, app("Base Application", version,
                    Dependency(SYSTEM_APPLICATION_ID, "System Application", "Microsoft", V(version)),
                    app_id=BASE_APPLICATION_ID, **ms))
    if umbrella:
        put(folder, app("Application", version,
                        Dependency(SYSTEM_APPLICATION_ID, "System Application", "Microsoft", V(version)),
                        Dependency(BASE_APPLICATION_ID, "Base Application", "Microsoft", V(version)),
                        app_id=APPLICATION_ID, propagate_dependencies=True, **ms))
    if platform:
        put(folder, app("System", version, app_id=PLATFORM_ID, **ms))


def test_application_through_the_umbrella_app(tmp_path):
    microsoft(tmp_path)
    put(tmp_path, app("A", "1.0.0.0"))
    root = app("Root", "1.0.0.0", dep("A"), application=V("24.0.0.0"), platform=V("24.0.0.0"))
    res = resolve(root, scan_package_cache(tmp_path))
    assert res.diagnostics == ()
    assert [p.name for p in res.packages] == ["System", "A", "System Application", "Base Application",
                                              "Application"]            # the platform comes first: all need it
    assert [p.name for p in res.visible] == ["A", "Base Application", "System Application", "System",
                                             "Application"]             # by id; Base/System App propagated
    assert res.has_platform and res.platform.id == PLATFORM_ID


def test_application_without_umbrella_uses_base_and_system_application(tmp_path):
    microsoft(tmp_path, umbrella=False, platform=False)
    res = resolve(app("Root", "1.0.0.0", application=V("24.0.0.0")), scan_package_cache(tmp_path))
    assert res.diagnostics == ()
    assert [p.name for p in res.packages] == ["System Application", "Base Application"]
    assert not res.has_platform and res.platform is None


def test_missing_implicit_dependencies_are_not_errors(tmp_path):
    put(tmp_path, app("A"))
    res = resolve(app("Root", "1.0.0.0", dep("A"), application=V("24.0.0.0"), platform=V("24.0.0.0")),
                  scan_package_cache(tmp_path))
    assert res.diagnostics == () and [p.name for p in res.packages] == ["A"] and res.platform is None


def test_too_old_implicit_dependency_is_a_warning(tmp_path):
    microsoft(tmp_path, version="23.0.0.0")
    text = ('{"id": "%s", "name": "Root", "publisher": "Fabrikam", "version": "1.0.0.0",\n'
            ' "application": "24.0.0.0", "platform": "24.0.0.0"}' % IDS["Root"])
    manifest, _ = parse_app_json(text, "app.json")
    res = resolve(manifest, scan_package_cache(tmp_path), SourceFile("app.json", text))
    assert render_concise(res.diagnostics, cwd=".").splitlines() == [
        f"app.json(2,2): warning ALC0241: dependency `Application` ({APPLICATION_ID}) version >= 24.0.0.0 is not "
        f"in the package cache `{tmp_path}`, which has version 23.0.0.0",
        f"app.json(2,29): warning ALC0241: dependency `System` ({PLATFORM_ID}) version >= 24.0.0.0 is not in the "
        f"package cache `{tmp_path}`, which has version 23.0.0.0"]
    assert res.has_platform and len(res.packages) == 4


# ------------------------------------------------------------ graph and scale --

def test_graph_order_breaks_ties_by_app_id():
    g = DependencyGraph()
    for app_id, deps in {"d": "ab", "c": "a", "b": "", "a": ""}.items():
        g.add_app(AppId(app_id))
        for d in deps:
            g.add_dependency(AppId(app_id), AppId(d))
    assert g.order() == ("a", "b", "c", "d")
    g.add_dependency(AppId("a"), AppId("d"))
    assert g.cycles() == (("a", "d", "a"),)
    assert g.order() == ("b", "a", "d", "c")     # the cycle {a, d} is placed as one, by its smallest id


def synthetic(count: int, seed: int = 1) -> tuple[AppManifest, PackageIndex]:
    """``count`` apps, each depending on its predecessor and up to two random
    earlier apps, all with an `application` and the platform package present."""
    rnd = random.Random(seed)
    ms = [AppManifest(PLATFORM_ID, "System", "Microsoft", V("24.0.0.0")),
          AppManifest(APPLICATION_ID, "Application", "Microsoft", V("24.0.0.0"))]
    apps = []
    for i in range(count):
        earlier = sorted({i - 1, *(rnd.randrange(i) for _ in range(2))}) if i else []
        apps.append(AppManifest(gid(1000 + i), f"App {i}", "Fabrikam", V("1.0.0.0"), application=V("24.0.0.0"),
                                dependencies=[Dependency(gid(1000 + j), f"App {j}", "Fabrikam", V("1.0.0.0"))
                                              for j in earlier if j >= 0]))
    index = PackageIndex.build(CachedPackage(f"{a.name}.app", a) for a in ms + apps)
    root = AppManifest(gid(1), "Root", "Fabrikam", V("1.0.0.0"),
                       dependencies=[Dependency(a.id, a.name, a.publisher, a.version) for a in apps[-10:]])
    return root, index


def test_thousand_apps():
    root, index = synthetic(1000)
    res = resolve(root, index)
    assert res.diagnostics == ()
    assert len(res.packages) == 1002
    position = {p.id: i for i, p in enumerate(res.packages)}
    for p in res.packages:
        assert all(position[d] < position[p.id] for d in res.graph.depends_on(p.id))
    assert res.packages[0].name == "System"
    assert resolve(root, index).packages == res.packages


def test_a_zip64_package_is_scanned(tmp_path):
    # More than 65,534 entries: the zip ends with zip64 records (a generated 100,000-object app).
    manifest = app("Huge", app_id=gid(4242))
    write_package(str(tmp_path / "huge.app"), NavxManifest(manifest), SymbolReference(),
                  {f"f{i}.al": b"" for i in range(66_000)})
    index = scan_package_cache([str(tmp_path)])
    assert index.diagnostics == ()
    assert [p.name for p in index.versions(manifest.id)] == ["Huge"]
