"""`alc server COMMAND`: argparse -> alc.deploy -> printed result -> exit code.

Every command takes ``--db DB`` after its command words (default:
``$ALC_SERVER_DB``, else the folder ``.alc-server`` in the current folder).
Exit codes: 0 success, 1 a refusal by a rule (printed ``error ALC05xx:
message``), 2 unusable input (one line).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Optional, Sequence

from .errors import DeployError, DeployUsageError

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class _ArgError(DeployUsageError):
    """Bad arguments of one command: printed as `alc server COMMAND: error: ...`."""

    def __init__(self, prog: str, message: str):
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    """Bad arguments are one line (and exit 2), not a usage block."""

    def error(self, message: str):  # type: ignore[override]
        raise _ArgError(self.prog, message)


def _default_db() -> str:
    return os.environ.get("ALC_SERVER_DB") or ".alc-server"


def _cmd(sub, name: str, help: str, run, **kw) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help, description=help, **kw)
    p.add_argument("--db", default=None, metavar="DB",
                   help="the server database: a folder (SQLite) or a postgresql:// URL "
                        "(default: $ALC_SERVER_DB, else .alc-server)")
    p.set_defaults(run=run)
    return p


def _format(p, choices=("text", "json")) -> None:
    p.add_argument("--format", choices=choices, default=choices[0])


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="alc server", description="An offline Business Central server: publish, sync, install, "
                     "upgrade, uninstall and unpublish extensions per tenant, on a real database.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = _cmd(sub, "init", "create the server database", cmd_init)
    p.add_argument("--platform", metavar="VERSION", help="the server's platform version (default 29.0.0.0)")

    p = _cmd(sub, "publish", "publish .app packages (Publish-NAVApp), dependencies first", cmd_publish)
    p.add_argument("apps", nargs="+", metavar="APP")
    p.add_argument("--scope", choices=("global", "tenant"), default="global")
    p.add_argument("--tenant", metavar="T", help="the tenant of a --scope tenant app")
    p.add_argument("--skip-verification", action="store_true",
                   help="skip the compile check of the app's objects against the published apps")
    _format(p)

    p = _cmd(sub, "unpublish", "unpublish an app version (Unpublish-NAVApp)", cmd_unpublish)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--version", metavar="V")
    p.add_argument("--tenant", metavar="T", help="the tenant of a --scope tenant app")
    _format(p)

    tenant = sub.add_parser("tenant", help="add, remove, list, dismount and mount tenants")
    tsub = tenant.add_subparsers(dest="tenant_command", metavar="COMMAND", parser_class=_Parser)
    tenant.set_defaults(run=None)
    p = _cmd(tsub, "add", "add a tenant (a copy of the template tenant database)", cmd_tenant_add)
    p.add_argument("tenant", metavar="T")
    p.add_argument("--company", action="append", default=[], metavar="C", help="a company (repeatable)")
    p = _cmd(tsub, "remove", "remove a tenant and its database", cmd_tenant_remove)
    p.add_argument("tenant", metavar="T")
    p = _cmd(tsub, "list", "list the tenants", cmd_tenant_list)
    _format(p)
    p = _cmd(tsub, "dismount", "dismount a tenant (its database keeps its installed list)", cmd_tenant_dismount)
    p.add_argument("tenant", metavar="T")
    p = _cmd(tsub, "mount", "mount a tenant database, checked against what is published here", cmd_tenant_mount)
    p.add_argument("tenant", metavar="T")
    p.add_argument("--from", dest="source", required=True, metavar="PATH_OR_URL",
                   help="the tenant database: a SQLite file, a schema of this PostgreSQL database, or "
                        "postgresql://.../db#SCHEMA (another database: its rows are copied)")

    company = sub.add_parser("company", help="add and list the companies of a tenant")
    csub = company.add_subparsers(dest="company_command", metavar="COMMAND", parser_class=_Parser)
    company.set_defaults(run=None)
    p = _cmd(csub, "add", "add a company to a tenant", cmd_company_add)
    p.add_argument("company", metavar="C")
    p.add_argument("--tenant", required=True, metavar="T")
    p = _cmd(csub, "list", "list a tenant's companies", cmd_company_list)
    p.add_argument("--tenant", required=True, metavar="T")

    p = _cmd(sub, "remove-apps", "remove all apps from a dismounted tenant (Remove-NAVAppsForTenant)",
             cmd_remove_apps)
    p.add_argument("--tenant", required=True, metavar="T")

    data = sub.add_parser("data", help="business data: insert, select, delete, import, export rows of a table")
    dsub = data.add_subparsers(dest="data_command", metavar="COMMAND", parser_class=_Parser)
    data.set_defaults(run=None)
    for name, text in (("insert", "insert rows (all or none)"), ("select", "print rows"),
                       ("delete", "delete rows"), ("import", "insert the rows of a JSON file (all or none)"),
                       ("export", "write rows to a JSON file")):
        p = _cmd(dsub, name, text, cmd_data)
        p.add_argument("--tenant", required=True, metavar="T")
        p.add_argument("--company", metavar="C", help="the company (needed when the tenant has several)")
        p.add_argument("--table", required=True, metavar="NAME|ID")
        if name == "insert":
            group = p.add_mutually_exclusive_group(required=True)
            group.add_argument("--json", metavar="ROW_OR_ROWS", help="a JSON object or a list of them")
            group.add_argument("--file", metavar="F", help="a JSON file of rows")
        if name in ("import", "export"):
            p.add_argument("--file", required=True, metavar="F")
        if name in ("select", "delete", "export"):
            p.add_argument("--where", action="append", default=[], metavar="FIELD=VALUE", help="repeatable (AND)")
        if name == "select":
            _format(p)

    p = _cmd(sub, "sync", "synchronize an app's schema to a tenant (Sync-NAVApp)", cmd_sync)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--tenant", required=True, metavar="T")
    p.add_argument("--mode", choices=("add", "clean", "development", "forcesync"), default="add")
    p.add_argument("--version", metavar="V")
    _format(p)

    p = _cmd(sub, "install", "install an app on a tenant (Install-NAVApp)", cmd_install)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--tenant", required=True, metavar="T")
    p.add_argument("--version", metavar="V")
    p.add_argument("--no-dependencies", action="store_true", help="do not install missing dependencies")
    p.add_argument("--policy", choices=("strict", "last-wins"), default="strict",
                   help="strict: a conflict refuses the install; last-wins: install and report each override")
    _format(p)

    p = _cmd(sub, "upgrade", "upgrade an app on a tenant to a newer version (Start-NAVAppDataUpgrade)", cmd_upgrade)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--version", required=True, metavar="V")
    p.add_argument("--tenant", required=True, metavar="T")
    p.add_argument("--policy", choices=("strict", "last-wins"), default="strict")
    _format(p)

    p = _cmd(sub, "uninstall", "uninstall an app from a tenant, keeping its data (Uninstall-NAVApp)", cmd_uninstall)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--tenant", required=True, metavar="T")
    p.add_argument("--force", action="store_true", help="also uninstall the apps that depend on it")
    p.add_argument("--do-not-save-data", action="store_true", help="delete the app's rows (its tables stay)")
    p.add_argument("--clear-schema", action="store_true",
                   help="drop the tables of the app and of the apps that depend on it (Clean)")
    _format(p)

    p = _cmd(sub, "repair", "check a published app again against what is published now (Repair-NAVApp)", cmd_repair)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--version", metavar="V")

    p = _cmd(sub, "runtime-package", "write the runtime package of a published app (Get-NAVAppRuntimePackage)",
             cmd_runtime_package)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--version", required=True, metavar="V")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--license", metavar="FILE", help="licensed object id ranges (JSON)")
    p.add_argument("--include-source", action="store_true")

    p = _cmd(sub, "info", "published apps, or the apps of a tenant (Get-NAVAppInfo)", cmd_info)
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--tenant", metavar="T")
    _format(p)

    p = _cmd(sub, "allobj", "the objects a tenant runs, with their package (AllObj)", cmd_allobj)
    p.add_argument("--tenant", required=True, metavar="T")
    _format(p)

    p = _cmd(sub, "merged", "an object as a tenant sees it: base plus installed extensions", cmd_merged)
    p.add_argument("object", metavar="KIND:ID|KIND:NAME")
    p.add_argument("--tenant", required=True, metavar="T")
    _format(p, ("al", "json"))

    p = _cmd(sub, "permissions", "export an app's permission sets as XML (Export-NAVAppPermissionSet)",
             cmd_permissions)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--version", metavar="V")
    p.add_argument("--out", metavar="FILE")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        if argv and argv[0] in ("-h", "--help"):
            parser.print_help()
            return EXIT_OK
        if not argv:
            raise _ArgError("alc server", "a COMMAND is required (alc server --help lists them)")
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help of a command
            return int(exc.code or 0)
        if args.run is None:
            raise _ArgError(f"alc server {args.command}",
                            f"a COMMAND is required (alc server {args.command} --help lists them)")
        return args.run(args)
    except DeployError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED
    except DeployUsageError as exc:
        text = str(exc).splitlines()[0] if str(exc) else "bad input"
        print(f"{getattr(exc, 'prog', 'alc server')}: error: {text}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the database refused or failed (locked, unreachable, not a server database)
        import sqlalchemy as sa
        if not isinstance(exc, sa.exc.SQLAlchemyError) or os.environ.get("ALC_DEBUG"):
            raise
        text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        print(f"alc server: error: database error: {text[0] if text else type(exc).__name__}", file=sys.stderr)
        return EXIT_USAGE


def _server(args, create: bool = True, platform=None):
    from . import open_server
    return open_server(args.db or _default_db(), create=create, platform=platform)


def _print_report(report, args) -> int:
    if getattr(args, "format", "text") == "json":
        print(json.dumps(report.to_json(), indent=2))
    else:
        for line in report.lines():
            print(line)
    return EXIT_OK


def _write(path: str, data: bytes) -> None:
    from ..package.container import write_bytes
    try:
        write_bytes(path, data)
    except OSError as exc:
        raise DeployUsageError(f"cannot write {path}: {exc.strerror or exc}") from None


# ---------------------------------------------------------------- commands --

def cmd_init(args) -> int:
    from .catalog import parse_version
    platform = parse_version(args.platform)
    server = _server(args, create=False) if _exists(args) else None
    if server is None:
        server = _server(args, platform=platform)
        print(f"created the server database {args.db or _default_db()} (platform {server.platform})")
    else:
        server.init(platform)
        print(f"the server database {args.db or _default_db()} exists (platform {server.platform})")
    return EXIT_OK


def _exists(args) -> bool:
    from .store import open_store
    return open_store(args.db or _default_db()).exists()


def cmd_publish(args) -> int:
    for path in args.apps:
        if not os.path.isfile(path):
            raise DeployUsageError(f"no such package: {path}")
    infos = _server(args).publish(args.apps, scope=args.scope, tenant=args.tenant,
                                  skip_verification=args.skip_verification)
    if args.format == "json":
        print(json.dumps({"apps": [i.to_json() for i in infos]}, indent=2))
    else:
        for i in infos:
            where = f"tenant {i.app.tenant}" if i.app.tenant else "global"
            print(f"Published {i.app.label} ({where} scope, package {i.app.package_id})")
    return EXIT_OK


def cmd_unpublish(args) -> int:
    return _print_report(_server(args, create=False).unpublish(args.name, args.version, args.tenant), args)


def cmd_tenant_add(args) -> int:
    info = _server(args).add_tenant(args.tenant, args.company)
    companies = f" with companies {', '.join(info.companies)}" if info.companies else ""
    print(f"Added tenant {info.tenant}{companies}")
    return EXIT_OK


def cmd_tenant_remove(args) -> int:
    _server(args, create=False).remove_tenant(args.tenant)
    print(f"Removed tenant {args.tenant}")
    return EXIT_OK


def cmd_tenant_list(args) -> int:
    tenants = _server(args).tenants()
    if args.format == "json":
        print(json.dumps({"tenants": [t.to_json() for t in tenants]}, indent=2))
    else:
        for t in tenants:
            print(f"{t.tenant}  {t.state}  {t.apps} apps  companies: {', '.join(t.companies) or '-'}")
    return EXIT_OK


def cmd_tenant_dismount(args) -> int:
    return _print_report(_server(args, create=False).dismount_tenant(args.tenant), args)


def cmd_tenant_mount(args) -> int:
    return _print_report(_server(args, create=False).mount_tenant(args.tenant, args.source), args)


def cmd_company_add(args) -> int:
    _server(args, create=False).add_company(args.tenant, args.company)
    print(f"Added company {args.company} to tenant {args.tenant}")
    return EXIT_OK


def cmd_company_list(args) -> int:
    for c in _server(args, create=False).companies(args.tenant):
        print(c)
    return EXIT_OK


def cmd_remove_apps(args) -> int:
    return _print_report(_server(args, create=False).remove_apps(args.tenant), args)


def cmd_data(args) -> int:
    from .data import run
    action = args.data_command
    rows = None
    if action in ("insert", "import"):
        text = getattr(args, "json", None)
        if text is None:
            try:
                with open(args.file, encoding="utf-8") as f:
                    text = f.read()
            except OSError as exc:
                raise DeployUsageError(f"cannot read {args.file}: {exc.strerror or exc}") from None
        try:
            rows = json.loads(text)
        except ValueError as exc:
            raise DeployUsageError(f"not JSON: {exc}") from None
    server = _server(args, create=False)
    result = run(server, args.tenant, "insert" if action == "import" else
                 "select" if action == "export" else action, args.table, args.company, rows,
                 getattr(args, "where", ()))
    if action in ("insert", "import"):
        print(f"Inserted {result} rows into {args.table}")
    elif action == "delete":
        print(f"Deleted {result} rows from {args.table}")
    elif action == "export":
        from ..package.container import write_bytes
        from ..package.errors import PackageError
        try:
            write_bytes(args.file, json.dumps({"rows": result}, indent=1).encode("utf-8"))
        except (OSError, PackageError) as exc:
            raise DeployUsageError(f"cannot write {args.file}: {exc}") from None
        print(f"Exported {len(result)} rows of {args.table} to {args.file}")
    elif args.format == "json":
        print(json.dumps({"rows": result}, indent=2))
    else:
        for r in result:
            print("  ".join(f"{k}={v}" for k, v in r.items()))
        print(f"{len(result)} rows")
    return EXIT_OK


def cmd_sync(args) -> int:
    return _print_report(_server(args, create=False).sync(args.name, args.tenant, args.mode, args.version), args)


def cmd_install(args) -> int:
    report = _server(args, create=False).install(args.name, args.tenant, args.version,
                                                 dependencies=not args.no_dependencies, policy=args.policy)
    return _print_report(report, args)


def cmd_upgrade(args) -> int:
    return _print_report(_server(args, create=False).upgrade(args.name, args.version, args.tenant,
                                                             policy=args.policy), args)


def cmd_uninstall(args) -> int:
    return _print_report(_server(args, create=False).uninstall(
        args.name, args.tenant, force=args.force, save_data=not args.do_not_save_data,
        clear_schema=args.clear_schema), args)


def cmd_repair(args) -> int:
    return _print_report(_server(args, create=False).repair(args.name, args.version), args)


def cmd_runtime_package(args) -> int:
    if args.license and not os.path.isfile(args.license):
        what = "is not a regular file" if os.path.exists(args.license) else "does not exist"
        raise DeployUsageError(f"license file {args.license} {what}")
    report = _server(args, create=False).runtime_package(args.name, args.version, args.out, license=args.license,
                                                        include_source=args.include_source)
    return _print_report(report, args)


def cmd_info(args) -> int:
    server = _server(args, create=False)
    if args.format == "json":
        print(json.dumps(server.info_json(args.name, args.tenant), indent=2))
        return EXIT_OK
    infos = server.info(args.name, args.tenant)
    if not infos:
        print("no published apps" + (f" visible to tenant {args.tenant}" if args.tenant else ""))
    for i in infos:
        a = i.app
        scope = f"tenant {a.tenant}" if a.tenant else "global"
        flags = [scope] + (["runtime package"] if a.runtime_package else []) + ([] if a.has_source else ["no source"])
        if not i.published:
            flags = [scope, "not published"]
        line = f"{a.name} {a.version} by {a.publisher}  [{', '.join(flags)}]  id {a.id}  package {a.package_id}"
        if args.tenant:
            state = ("installed" if i.installed else "not installed") + (", synced" if i.synced else "")
            data = f", data version {i.data_version}" if i.data_version is not None else ""
            line += f"\n    on {args.tenant}: {state}{data}"
        print(line)
    return EXIT_OK


def cmd_allobj(args) -> int:
    server = _server(args, create=False)
    if args.format == "json":
        print(json.dumps(server.allobj_json(args.tenant), indent=2))
        return EXIT_OK
    for o in server.allobj(args.tenant):
        ident = o.id if o.id is not None else ""
        print(f"{o.type:<22} {ident!s:>10}  {o.name:<30}  {o.app_package_id}")
    return EXIT_OK


def cmd_merged(args) -> int:
    out = _server(args, create=False).merged(args.object, args.tenant, fmt=args.format)
    print(json.dumps(out, indent=2) if args.format == "json" else out)
    return EXIT_OK


def cmd_permissions(args) -> int:
    data = _server(args, create=False).permissions(args.name, version=args.version)
    if args.out:
        _write(args.out, data)
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(data.decode("utf-8"))
    return EXIT_OK
