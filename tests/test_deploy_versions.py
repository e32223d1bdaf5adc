"""`alc server`: versions (install, upgrade, sync modes), install and upgrade code reports,
unpublish, scopes, runtime packages, repair. Each refusal leaves every table unchanged."""

from __future__ import annotations

import pytest

from alc.deploy import DeployUsageError
from alc.package.reader import read_package
from test_deploy_common import PLATFORM, db, dump, packages, refused, refused_unchanged, server  # noqa: F401

TRACKER = "Demo Tracker"


@pytest.fixture
def tracked(server, packages):
    """Base and tracker 1.0, 2.0, 3.0 published; tenant t1 with two companies."""
    server.publish([packages["base"], packages["tracker-1"], packages["tracker-2"], packages["tracker-3"]])
    server.add_tenant("t1", ["CRONUS", "Fabrikam"])
    return server


def _info(server, tenant, name=TRACKER):
    return {str(i.app.version): i for i in server.info(name, tenant)}


# ----------------------------------------------------------------- install --

def test_several_versions_need_a_version(tracked):
    with pytest.raises(DeployUsageError, match="Multiple published extensions match the specified parameter values"):
        tracked.install(TRACKER, "t1")


def test_install_reports_the_install_triggers_per_company_then_per_database(tracked):
    report = tracked.install(TRACKER, "t1", version="1.0.0.0")
    runs = [(t.trigger, t.company, str(t.app_version), str(t.data_version)) for t in report.triggers
            if t.app.startswith(TRACKER)]
    assert runs == [("OnInstallAppPerCompany", "CRONUS", "1.0.0.0", "0.0.0.0"),
                    ("OnInstallAppPerCompany", "Fabrikam", "1.0.0.0", "0.0.0.0"),
                    ("OnInstallAppPerDatabase", None, "1.0.0.0", "0.0.0.0")]
    assert report.triggers[0].codeunit == "Tracker Install" and report.triggers[0].codeunit_id == 50300
    # a reinstall of the same version runs install code with DataVersion = AppVersion
    tracked.uninstall(TRACKER, "t1")
    report = tracked.install(TRACKER, "t1", version="1.0.0.0")
    assert {str(t.data_version) for t in report.triggers} == {"1.0.0.0"}


def test_one_version_per_tenant(tracked):
    tracked.install(TRACKER, "t1", version="1.0.0.0")
    message = refused_unchanged(tracked, tracked.install, "ALC0512", TRACKER, "t1", version="2.0.0.0")
    assert message == ("Cannot install the extension Demo Tracker by alc tests 2.0.0.0 for the tenant t1 because an "
                       "earlier version was already installed. Run Start-NAVAppDataUpgrade to upgrade the extension.")


def test_install_over_data_of_an_earlier_version_is_refused(tracked):
    tracked.install(TRACKER, "t1", version="2.0.0.0")
    tracked.uninstall(TRACKER, "t1")
    message = refused_unchanged(tracked, tracked.install, "ALC0512", TRACKER, "t1", version="3.0.0.0")
    assert "an earlier version was already installed" in message
    message = refused_unchanged(tracked, tracked.install, "ALC0512", TRACKER, "t1", version="1.0.0.0")
    assert message == ("Cannot install the extension Demo Tracker by alc tests 1.0.0.0 because the tenant t1 already "
                       "uses a different version of it.")


# ----------------------------------------------------------------- upgrade --

def test_upgrade_reports_the_upgrade_triggers_and_keeps_the_old_version_published(tracked):
    tracked.install(TRACKER, "t1", version="1.0.0.0")
    report = tracked.upgrade(TRACKER, "3.0.0.0", "t1")
    runs = [(t.trigger, t.company) for t in report.triggers]
    assert runs == [("OnCheckPreconditionsPerCompany", "CRONUS"), ("OnCheckPreconditionsPerCompany", "Fabrikam"),
                    ("OnCheckPreconditionsPerDatabase", None),
                    ("OnUpgradePerCompany", "CRONUS"), ("OnUpgradePerCompany", "Fabrikam"),
                    ("OnUpgradePerDatabase", None),
                    ("OnValidateUpgradePerCompany", "CRONUS"), ("OnValidateUpgradePerCompany", "Fabrikam"),
                    ("OnValidateUpgradePerDatabase", None)]
    assert {(str(t.app_version), str(t.data_version)) for t in report.triggers} == {("3.0.0.0", "1.0.0.0")}
    info = _info(tracked, "t1")
    assert info["3.0.0.0"].installed and not info["1.0.0.0"].installed
    assert str(info["1.0.0.0"].data_version) == "3.0.0.0"
    assert set(info) == {"1.0.0.0", "2.0.0.0", "3.0.0.0"}  # the old versions stay published


def test_upgrade_of_an_uninstalled_app_uses_its_data_version(tracked):
    tracked.install(TRACKER, "t1", version="1.0.0.0")
    tracked.uninstall(TRACKER, "t1")
    report = tracked.upgrade(TRACKER, "2.0.0.0", "t1")
    assert {str(t.data_version) for t in report.triggers} == {"1.0.0.0"}
    assert _info(tracked, "t1")["2.0.0.0"].installed


def test_upgrade_refusals(tracked):
    tracked.install("Demo Base", "t1")
    message = refused_unchanged(tracked, tracked.upgrade, "ALC0520", TRACKER, "2.0.0.0", "t1")
    assert message == ("Cannot upgrade the extension 'Demo Tracker by alc tests 2.0.0.0' because no previous version "
                       "was found.")
    tracked.install(TRACKER, "t1", version="2.0.0.0")
    message = refused_unchanged(tracked, tracked.upgrade, "ALC0521", TRACKER, "1.0.0.0", "t1")
    assert message == ("Cannot upgrade the extension 'Demo Tracker by alc tests 1.0.0.0' because its version must be "
                       "newer than the current version. The current version is '2.0.0.0'")
    refused_unchanged(tracked, tracked.upgrade, "ALC0521", TRACKER, "2.0.0.0", "t1")


def test_upgrade_needs_its_dependencies_installed(server, packages):
    server.publish([packages["base"], packages["tracker-1"], packages["tracker-2"]])
    server.add_tenant("t1")
    server.install(TRACKER, "t1", version="1.0.0.0")
    server.uninstall("Demo Base", "t1", force=True)
    message = refused_unchanged(server, server.upgrade, "ALC0522", TRACKER, "2.0.0.0", "t1")
    assert message == ("Cannot upgrade the extension 'Demo Tracker by alc tests 2.0.0.0' because one or more "
                       "dependencies could not be satisfied. Unsatisfied dependencies: Demo Base by alc samples "
                       "1.0.0.0")


# -------------------------------------------------------------------- sync --

def test_sync_records_the_synced_version_and_needs_dependencies_synced(tracked):
    message = refused_unchanged(tracked, tracked.sync, "ALC0530", TRACKER, "t1", version="1.0.0.0")
    assert message.startswith("Cannot synchronize the extension Demo Tracker by alc tests 1.0.0.0 because no "
                              "synchronized extension could be found to satisfy the dependency definition")
    tracked.sync("Demo Base", "t1")
    tracked.sync(TRACKER, "t1", version="1.0.0.0")
    tracked.sync(TRACKER, "t1", version="2.0.0.0")
    rows = [dict(r) for r in dump(tracked)["t1/$ndo$navappschematracking"]]
    mine = [r for r in rows if r["name"] == TRACKER]
    assert [(r["version"], r["baselineversion"]) for r in mine] == [("2.0.0.0", "1.0.0.0")]
    info = _info(tracked, "t1")
    assert info["2.0.0.0"].synced and not info["1.0.0.0"].synced and not info["2.0.0.0"].installed


def test_sync_clean_is_refused_while_installed_and_forgets_every_version(tracked):
    tracked.install(TRACKER, "t1", version="1.0.0.0")
    message = refused_unchanged(tracked, tracked.sync, "ALC0531", TRACKER, "t1", "clean")
    assert "Clean mode" in message and "1.0.0.0 is installed" in message
    tracked.uninstall(TRACKER, "t1")
    tracked.sync(TRACKER, "t1", "clean")
    info = _info(tracked, "t1")
    assert not any(i.synced or i.data_version is not None for i in info.values())
    # with the data gone, any version installs afresh
    report = tracked.install(TRACKER, "t1", version="3.0.0.0")
    assert {str(t.data_version) for t in report.triggers} == {"0.0.0.0"}
    # nothing left to clean: a warning
    tracked.uninstall(TRACKER, "t1")
    tracked.sync(TRACKER, "t1", "clean")
    assert tracked.sync(TRACKER, "t1", "clean").warnings == ("The extension 'Demo Tracker by alc tests' is not "
                                                              "synchronized.",)


def test_sync_development_needs_exactly_one_published_version(tracked, packages):
    tracked.sync("Demo Base", "t1")
    refused_unchanged(tracked, tracked.sync, "ALC0532", TRACKER, "t1", "development", "1.0.0.0")
    tracked.unpublish(TRACKER, "2.0.0.0")
    tracked.unpublish(TRACKER, "3.0.0.0")
    tracked.sync(TRACKER, "t1", "development")
    tracked.sync(TRACKER, "t1", "development")  # the same version again
    assert _info(tracked, "t1")["1.0.0.0"].synced


def test_sync_forcesync_needs_the_app_uninstalled(tracked):
    tracked.install(TRACKER, "t1", version="1.0.0.0")
    refused_unchanged(tracked, tracked.sync, "ALC0533", TRACKER, "t1", "forcesync", "2.0.0.0")
    tracked.uninstall(TRACKER, "t1")
    tracked.sync(TRACKER, "t1", "forcesync", "2.0.0.0")
    assert _info(tracked, "t1")["2.0.0.0"].synced


# --------------------------------------------------------------- unpublish --

def test_unpublish_refusals_and_success(tracked):
    tracked.install(TRACKER, "t1", version="1.0.0.0")
    message = refused_unchanged(tracked, tracked.unpublish, "ALC0506", TRACKER, "1.0.0.0")
    assert message == "The Extension cannot be unpublished because it is in use by the following tenants: t1"
    tracked.uninstall(TRACKER, "t1")
    tracked.uninstall("Demo Base", "t1")
    message = refused_unchanged(tracked, tracked.unpublish, "ALC0507", "Demo Base")
    assert message.startswith("The Extension cannot be unpublished because it is required by the following apps: "
                              "Demo Tracker by alc tests 1.0.0.0")
    tracked.unpublish(TRACKER, "1.0.0.0")
    assert set(_info(tracked, None)) == {"2.0.0.0", "3.0.0.0"}
    # the tenant keeps the data of the unpublished version
    state = dump(tracked)
    assert any(dict(r)["version"] == "1.0.0.0" for r in state["t1/$ndo$navappuninstalledapp"])
    assert not any(dict(r)["Name"] == TRACKER and dict(r)["Version Major"] == 1 for r in state["NAV App"])


# ------------------------------------------------------------------ scopes --

def test_tenant_scope_apps_are_visible_to_their_tenant_only(server, packages):
    server.add_tenant("t1")
    server.add_tenant("t2")
    server.publish([packages["base"]])
    server.publish([packages["loyalty"]], scope="tenant", tenant="t1")
    assert [i.app.name for i in server.info(tenant="t2")] == ["Demo Base"]
    with pytest.raises(DeployUsageError):
        server.install("Demo Loyalty", "t2")
    server.install("Demo Loyalty", "t1")
    doc = server.info_json("Demo Loyalty")
    assert (doc["apps"][0]["scope"], doc["apps"][0]["tenant"]) == ("tenant", "t1")


def test_a_global_app_cannot_depend_on_a_tenant_app(server, packages):
    server.add_tenant("t1")
    server.publish([packages["base"]], scope="tenant", tenant="t1")
    message = refused_unchanged(server, server.publish, "ALC0503", [packages["loyalty"]])
    assert "An application published into the global scope cannot have dependencies on applications published " \
           "into the tenant scope." in message
    server.publish([packages["loyalty"]], scope="tenant", tenant="t1")  # a tenant app may


def test_a_global_and_a_tenant_app_cannot_share_an_id(server, packages):
    server.add_tenant("t1")
    server.publish([packages["base"]])
    server.publish([packages["tracker-1"]], scope="tenant", tenant="t1")
    message = refused_unchanged(server, server.publish, "ALC0503", [packages["tracker-2"]])
    assert "already deployed as a global application or a per tenant application" in message


# -------------------------------------------------------- runtime packages --

def test_a_runtime_package_publishes_only_on_its_platform(server, packages):
    server.publish([packages["base"]])
    refused_unchanged(server, server.publish, "ALC0504", [packages["tracker-runtime-25"]])
    infos = server.publish([packages["tracker-runtime"]])
    assert infos[0].app.runtime_package and not infos[0].app.has_source
    server.add_tenant("t1")
    server.install(TRACKER, "t1")
    assert _info(server, "t1")["1.5.0.0"].installed


def test_runtime_package_from_a_published_app(server, packages, tmp_path):
    server.publish([packages["base"], packages["tracker-1"]])
    out = tmp_path / "tracker.runtime.app"
    server.runtime_package(TRACKER, "1.0.0.0", str(out))
    package = read_package(str(out))
    assert package.runtime_package and not package.has_source
    assert str(package.manifest.runtime_package.platform) == PLATFORM
    assert package.app.id == read_package(packages["tracker-1"]).app.id
    with_source = tmp_path / "with-source.app"
    server.runtime_package(TRACKER, "1.0.0.0", str(with_source), include_source=True)
    assert read_package(str(with_source)).has_source
    # the license limits the object ids
    lic = tmp_path / "license.json"
    lic.write_text('{"ranges": [{"from": 50300, "to": 50300}]}')
    message = refused(server.runtime_package, "ALC0552", TRACKER, "1.0.0.0", str(tmp_path / "x.app"), license=str(lic))
    assert "codeunit 50301 `Tracker Upgrade`" in message and not (tmp_path / "x.app").exists()
    lic.write_text('{"ranges": [{"from": 50300, "to": 50349}]}')
    server.runtime_package(TRACKER, "1.0.0.0", str(tmp_path / "y.app"), license=str(lic))


def test_a_runtime_package_made_here_publishes_on_a_server_of_the_same_platform(server, packages, tmp_path):
    from alc.deploy import Version, open_server
    server.publish([packages["base"], packages["tracker-1"]])
    out = tmp_path / "tracker.runtime.app"
    server.runtime_package(TRACKER, "1.0.0.0", str(out))
    other = open_server(str(tmp_path / "other"), platform=Version.parse(PLATFORM))
    other.publish([packages["base"], str(out)])
    newer = open_server(str(tmp_path / "newer"), platform=Version(27, 0, 0, 0))
    newer.publish([packages["base"]])
    refused(newer.publish, "ALC0504", [str(out)])


# ---------------------------------------------------- publish check, repair --

def test_publish_checks_the_app_against_the_published_dependencies(server, packages):
    server.publish([packages["mini-base-2"]])  # version 2 has no `Mini Customer`
    message = refused_unchanged(server, server.publish, "ALC0505", [packages["mini-ext"]])
    assert message.startswith("Extension compilation failed: Mini Extension by alc tests 1.0.0.0 does not compile "
                              "against the published apps: ALC0205")
    assert "Mini Customer" in message
    server.publish([packages["mini-ext"]], skip_verification=True)


def test_repair_checks_again_against_what_is_published_now(server, packages):
    server.publish([packages["mini-base"], packages["mini-ext"]])
    assert server.repair("Mini Extension").steps[0].message == (
        "Repaired Mini Extension by alc tests 1.0.0.0: it compiles against Mini Base by alc tests 1.0.0.0")
    server.publish([packages["mini-base-2"]])
    message = refused_unchanged(server, server.repair, "ALC0551", "Mini Extension")
    assert "ALC0205" in message


def test_repair_needs_source(server, packages):
    server.publish([packages["base"], packages["tracker-runtime"]])
    refused_unchanged(server, server.repair, "ALC0550", TRACKER)


def test_runtime_newer_than_the_server_is_refused(server, packages, tmp_path):
    from alc.deploy import Version, open_server
    old = open_server(str(tmp_path / "old"), platform=Version(24, 0, 0, 0))  # runtime 13.0
    message = refused(old.publish, "ALC0504", [packages["base"]])
    assert message.startswith("The runtime version of the extension package is currently set to '14.0'. The runtime "
                              "version must be set to '13.0' or earlier")


def test_install_checks_the_prerequisites(server, packages):
    """A dependency resolves to the highest published version; when that version lacks an
    object the extension needs, the install is refused, naming it."""
    server.publish([packages["mini-base"], packages["mini-ext"]])
    server.publish([packages["mini-base-2"]])
    server.add_tenant("t1")
    message = refused_unchanged(server, server.install, "ALC0513", "Mini Extension", "t1")
    assert message == ("Cannot install the extension Mini Extension by alc tests 1.0.0.0 on the tenant t1 because the "
                       "following objects it needs are missing on the tenant: Table 'Mini Customer' (50500)")
    server.install("Mini Base", "t1", version="1.0.0.0")
    server.install("Mini Extension", "t1")  # the installed version 1.0.0.0 satisfies the dependency


def test_upgrade_runs_the_conflict_check(server, packages):
    server.publish([packages["base"], packages["loyalty"], packages["shipping"], packages["shipping-3"]])
    server.add_tenant("t1")
    server.install("Demo Loyalty", "t1")
    server.install("Demo Shipping", "t1", version="2.0.0.0", policy="last-wins")
    message = refused_unchanged(server, server.upgrade, "ALC0511", "Demo Shipping", "3.0.0.0", "t1")
    assert "Demo Shipping by alc samples 3.0.0.0" in message and "Demo Loyalty" in message
    report = server.upgrade("Demo Shipping", "3.0.0.0", "t1", policy="last-wins")
    assert len(report.warnings) == 1


def test_init_keeps_its_platform(server):
    from alc.deploy import Version
    assert server.init(Version.parse(PLATFORM)) == Version.parse(PLATFORM)
    refused(server.init, "ALC0545", Version(27, 0, 0, 0))


def test_no_source_to_include_from_a_runtime_package(server, packages, tmp_path):
    server.publish([packages["base"], packages["tracker-runtime"]])
    refused(server.runtime_package, "ALC0550", TRACKER, "1.5.0.0", str(tmp_path / "x.app"), include_source=True)
    server.runtime_package(TRACKER, "1.5.0.0", str(tmp_path / "x.app"))
    assert read_package(str(tmp_path / "x.app")).runtime_package


def test_every_deploy_code_is_registered_and_explained():
    import os
    import re
    from alc.diagnostics import CODES, explain
    folder = os.path.join(os.path.dirname(__file__), "..", "alc", "deploy")
    used = set()
    for name in os.listdir(folder):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                used |= set(re.findall(r'"(ALC\d{4})"', f.read()))
    deploy = {c for c in used if c.startswith("ALC05")}
    assert len(deploy) >= 25
    for code in used:
        assert code in CODES and CODES[code].explanation and explain(code), code


def test_one_package_is_published_for_one_tenant(server, packages):
    """The same package (package id) for a second tenant is refused as Business Central 24 does."""
    server.add_tenant("t1")
    server.add_tenant("t2")
    server.publish([packages["base"]])
    server.publish([packages["loyalty"]], scope="tenant", tenant="t1")
    message = refused_unchanged(server, server.publish, "ALC0502", [packages["loyalty"]], scope="tenant", tenant="t2")
    assert message.startswith("An app with package ID '") and message.endswith("' is already published for tenant 't1'")
    with pytest.raises(DeployUsageError):
        server.unpublish("Demo Loyalty", tenant="t2")
    server.install("Demo Loyalty", "t1")
    refused_unchanged(server, server.unpublish, "ALC0506", "Demo Loyalty", tenant="t1")
    server.uninstall("Demo Loyalty", "t1")
    server.unpublish("Demo Loyalty", tenant="t1")
    assert [i.app.name for i in server.info()] == ["Demo Base"]
