"""`alc server`: publish, tenants, install with the conflict check, uninstall, info.

Every refusal is checked for its code, its message and that the state of every
database is exactly as before."""

from __future__ import annotations

import pytest

from alc.deploy import DeployError, DeployUsageError
from test_deploy_common import db, dump, packages, refused, refused_unchanged, server  # noqa: F401

BASE, LOYALTY, REWARDS, SHIPPING = "Demo Base", "Demo Loyalty", "Demo Loyalty Rewards", "Demo Shipping"


def _publish_samples(server, packages):
    return server.publish([packages["base"], packages["loyalty"], packages["loyalty-rewards"], packages["shipping"]])


def _installed(server, tenant):
    return sorted(i.app.name for i in server.info(tenant=tenant) if i.installed)


# ----------------------------------------------------------------- publish --

def test_publish_orders_by_dependencies_and_writes_the_catalog(server, packages):
    infos = server.publish([packages["loyalty-rewards"], packages["shipping"], packages["loyalty"], packages["base"]])
    assert [i.app.name for i in infos][0] == BASE
    assert [i.app.name for i in infos].index(LOYALTY) < [i.app.name for i in infos].index(REWARDS)
    state = dump(server)
    assert len(state["NAV App"]) == 4
    deps = {dict(r)["Dependency Name"] for r in state["NAV App Dependencies"]}
    assert deps == {BASE, LOYALTY}
    metadata = [dict(r) for r in state["NAV App Object Metadata"]]
    assert {"page", "table", "tableextension", "pageextension"} <= {r["Object Type"] for r in metadata}
    assert state["NAV App Tenant App"] == []


def test_publish_refuses_a_missing_dependency(server, packages):
    message = refused_unchanged(server, server.publish, "ALC0501", [packages["loyalty"]])
    assert message.startswith("Extension compilation failed: A package with publisher 'alc samples', name "
                              "'Demo Base', and a version compatible with '1.0.0.0' could not be loaded.")


def test_publish_refuses_the_whole_batch(server, packages):
    server.publish([packages["base"]])
    before = dump(server)
    with pytest.raises(DeployError):
        server.publish([packages["shipping"], packages["base"]])  # base again: nothing of the batch is published
    assert dump(server) == before


def test_publish_refuses_the_same_app_and_version(server, packages):
    server.publish([packages["base"]])
    message = refused_unchanged(server, server.publish, "ALC0502", [packages["base"]])
    assert "already published" in message


def test_publish_refuses_the_same_publisher_name_and_version_under_another_id(server, packages):
    server.publish([packages["seed-a"]])
    message = refused_unchanged(server, server.publish, "ALC0502", [packages["seed-a-other-id"]])
    assert message == ("This Extension cannot be published as it has the same Publisher, Name, and Version as a "
                       "previously published Extension")


def test_publish_bad_input(server, packages, tmp_path):
    junk = tmp_path / "junk.app"
    junk.write_bytes(b"not a package")
    with pytest.raises(DeployUsageError):
        server.publish([str(junk)])
    with pytest.raises(DeployUsageError):
        server.publish([packages["base"]], scope="tenant")  # no --tenant
    with pytest.raises(DeployUsageError):
        server.publish([packages["base"]], scope="tenant", tenant="nobody")


# ----------------------------------------------------------------- tenants --

def test_tenants_are_added_listed_and_unique(server):
    server.add_tenant("t1", ["CRONUS", "Fabrikam"])
    server.add_tenant("t2")
    assert [(t.tenant, t.state, t.companies) for t in server.tenants()] == [
        ("t1", "Mounted", ("CRONUS", "Fabrikam")), ("t2", "Mounted", ())]
    refused_unchanged(server, server.add_tenant, "ALC0542", "t1")
    with pytest.raises(DeployUsageError):
        server.add_tenant("../evil")


# ----------------------------------------------------------------- install --

def test_install_installs_dependencies_first_and_reports_them(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    report = server.install(REWARDS, "t1")
    actions = [(s.action, s.app.split(" by ")[0]) for s in report.steps]
    assert actions == [("synced", BASE), ("dependency-installed", BASE), ("synced", LOYALTY),
                       ("dependency-installed", LOYALTY), ("synced", REWARDS), ("installed", REWARDS)]
    assert _installed(server, "t1") == [BASE, LOYALTY, REWARDS]
    state = dump(server)
    assert len(state["t1/NAV App Installed App"]) == 3
    assert {dict(r)["Tenant ID"] for r in state["NAV App Tenant App"]} == {"t1"}


def test_install_refuses_a_conflict_naming_both_apps_the_element_and_values(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    server.install(LOYALTY, "t1")
    message = refused_unchanged(server, server.install, "ALC0511", SHIPPING, "t1")
    assert message.startswith("Cannot install the extension Demo Shipping by alc samples 2.0.0.0 on the tenant t1 "
                              "because it conflicts with Demo Loyalty by alc samples 1.2.0.0")
    for part in ("`Visible`", "`Balance`", "`false` by `Demo Loyalty`", "`true` by `Demo Shipping`"):
        assert part in message


def test_install_last_wins_reports_each_override(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    server.install(LOYALTY, "t1")
    report = server.install(SHIPPING, "t1", policy="last-wins")
    assert len(report.warnings) == 1 and "`Visible`" in report.warnings[0]
    assert _installed(server, "t1") == [BASE, LOYALTY, SHIPPING]


def test_no_conflict_when_the_extension_depends_on_the_other(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    server.install(LOYALTY, "t1")
    assert server.install(REWARDS, "t1").warnings == ()


def test_install_again_is_a_warning_and_changes_nothing(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    server.install(BASE, "t1")
    before = dump(server)
    report = server.install(BASE, "t1")
    assert report.warnings == ("Cannot install extension Demo Base by alc samples 1.0.0.0 for the tenant t1 because "
                               "it is already installed.",)
    assert dump(server) == before


def test_install_without_dependencies_refuses_a_missing_one(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    refused_unchanged(server, server.install, "ALC0514", LOYALTY, "t1", dependencies=False)
    server.install(BASE, "t1")
    server.install(LOYALTY, "t1", dependencies=False)
    assert _installed(server, "t1") == [BASE, LOYALTY]


def test_install_bad_input(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    with pytest.raises(DeployUsageError):
        server.install("No Such App", "t1")
    with pytest.raises(DeployUsageError):
        server.install(BASE, "no-such-tenant")
    with pytest.raises(DeployUsageError):
        server.install(BASE, "t1", version="1.0")
    with pytest.raises(DeployUsageError):
        server.install(BASE, "t1", version="9.0.0.0")


def test_installs_by_app_id(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    server.install("0D3E1F52-7A5C-4C1B-9E8A-6F2B3C4D5E61", "t1")
    assert _installed(server, "t1") == [BASE]


# --------------------------------------------------------------- uninstall --

def test_uninstall_is_refused_while_dependents_are_installed(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    server.install(REWARDS, "t1")
    message = refused_unchanged(server, server.uninstall, "ALC0515", BASE, "t1")
    assert message.startswith("The extension Demo Base by alc samples 1.0.0.0 is a dependency for one or more "
                              "extensions: ")
    assert "Demo Loyalty by alc samples 1.2.0.0" in message and "Demo Loyalty Rewards" in message


def test_uninstall_force_uninstalls_dependents_first_and_keeps_data(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    server.install(REWARDS, "t1")
    report = server.uninstall(BASE, "t1", force=True)
    assert [s.action for s in report.steps] == ["dependent-uninstalled", "dependent-uninstalled", "uninstalled"]
    assert [s.app.split(" by ")[0] for s in report.steps] == [REWARDS, LOYALTY, BASE]
    assert _installed(server, "t1") == []
    info = {i.app.name: i for i in server.info(tenant="t1")}
    assert str(info[LOYALTY].data_version) == "1.2.0.0" and info[LOYALTY].synced
    assert dump(server)["NAV App Tenant App"] == []
    # Reinstalling the same version is allowed; its data is there again.
    report = server.install(REWARDS, "t1")
    assert _installed(server, "t1") == [BASE, LOYALTY, REWARDS]
    assert not any(s.action == "synced" for s in report.steps)


def test_uninstall_of_an_app_that_is_not_installed(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    refused_unchanged(server, server.uninstall, "ALC0516", BASE, "t1")


# -------------------------------------------------------------------- info --

def test_info_json_is_exactly_the_agreed_shape(server, packages):
    _publish_samples(server, packages)
    server.add_tenant("t1")
    server.install(LOYALTY, "t1")
    doc = server.info_json()
    assert list(doc) == ["apps"] and [a["name"] for a in doc["apps"]] == [BASE, LOYALTY, REWARDS, SHIPPING]
    assert set(doc["apps"][0]) == {"id", "name", "publisher", "version", "package_id", "scope", "tenant",
                                   "runtime_package", "has_source"}
    doc = server.info_json(tenant="t1")
    by_name = {a["name"]: a for a in doc["apps"]}
    assert set(by_name[BASE]) == {"id", "name", "publisher", "version", "package_id", "scope", "tenant",
                                  "runtime_package", "has_source", "synced", "installed", "data_version"}
    assert (by_name[LOYALTY]["installed"], by_name[LOYALTY]["synced"], by_name[LOYALTY]["data_version"]) == \
        (True, True, "1.2.0.0")
    assert (by_name[SHIPPING]["installed"], by_name[SHIPPING]["synced"], by_name[SHIPPING]["data_version"]) == \
        (False, False, None)
    assert by_name[BASE]["scope"] == "global" and by_name[BASE]["tenant"] is None
