"""The system tables, named as in the platform (DEPLOY.md §5), as SQLAlchemy Core tables.

The application database holds the app catalog (`NAV App` with the package
bytes in `Blob`, its dependencies, capabilities, prerequisites and the
metadata of every published object, its XML permission sets in `NAV App
Resource`), which tenant runs which package (`NAV App Tenant App`) and the tenant list (`$ndo$tenants`). Each tenant
database holds what travels with the tenant: `NAV App Installed App` (keyed
by app id: one version per tenant), the sync tracking, the data versions of
uninstalled apps, the archive and permission tables and its companies.

Tenant tables carry the schema name ``tenant``: SQLite attaches the tenant's
file under that name; PostgreSQL maps it to the tenant's own schema.

>>> sorted(APP.tables)[:3]
['$ndo$dbproperty', '$ndo$tenants', 'NAV App']
>>> sorted(t.name for t in TENANT.tables.values())[:2]
['$ndo$navappschematracking', '$ndo$navappuninstalledapp']
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, LargeBinary, MetaData, String, Table, Text

__all__ = ["APP", "TENANT", "TENANT_SCHEMA", "nav_app", "dependencies", "capabilities", "prerequisites",
           "object_metadata", "resource", "tenant_app", "tenants", "dbproperty", "installed_app", "data_archive",
           "permission_set", "permission", "schema_tracking", "uninstalled_app", "company", "version_columns",
           "SCHEMA_VERSION"]

# The version of these tables' shape, kept in `$ndo$dbproperty` (`Schema Version`): 2 added
# `NAV App Resource`. A database of an earlier version gets the tables added since when opened
# (Server.upgrade_schema); one of a later alc is refused.
SCHEMA_VERSION = 2
TENANT_SCHEMA = "tenant"
GUID = String(36)

APP = MetaData()
TENANT = MetaData(schema=TENANT_SCHEMA)


def version_columns(prefix: str = "Version") -> list[Column]:
    """`Version Major`, `Version Minor`, `Version Build`, `Version Revision` (NOT NULL)."""
    return [Column(f"{prefix} {p}", Integer, nullable=False) for p in ("Major", "Minor", "Build", "Revision")]


nav_app = Table(
    "NAV App", APP,
    Column("Package ID", GUID, primary_key=True),
    Column("ID", GUID, nullable=False, index=True),
    Column("Name", String(250), nullable=False),
    Column("Publisher", String(250), nullable=False),
    *version_columns(),
    Column("Package Type", String(20), nullable=False, default="Extension"),
    Column("Published As", String(10), nullable=False),          # Global | PTE
    Column("Tenant ID", String(128), nullable=False, default=""),  # '' for a global app
    Column("Runtime Package", Boolean, nullable=False, default=False),
    Column("Runtime Platform", String(43), nullable=False, default=""),
    Column("Has Source", Boolean, nullable=False, default=False),
    Column("Runtime", String(20), nullable=False, default=""),
    Column("Content Hash", String(64), nullable=False),
    Column("Hash Algorithm", String(10), nullable=False, default="SHA256"),
    Column("Published On", String(32), nullable=False, default=""),
    Column("Manifest", LargeBinary, nullable=False),               # NavxManifest.xml of the package
    Column("Blob", LargeBinary, nullable=False),
)

dependencies = Table(
    "NAV App Dependencies", APP,
    Column("Package ID", GUID, primary_key=True),
    Column("Dependency App ID", GUID, primary_key=True),
    Column("Dependency Name", String(250), nullable=False),
    Column("Dependency Publisher", String(250), nullable=False),
    *version_columns(),
)

capabilities = Table(
    "NAV App Capabilities", APP,
    Column("Package ID", GUID, primary_key=True),
    Column("Capability ID", String(50), primary_key=True),
)

prerequisites = Table(
    "NAV App Object Prerequisites", APP,
    Column("Package ID", GUID, primary_key=True),
    Column("Type", String(30), primary_key=True),
    Column("Name", String(250), primary_key=True),
    Column("ID", Integer, nullable=True),
)

object_metadata = Table(
    "NAV App Object Metadata", APP,
    Column("Package ID", GUID, primary_key=True),
    Column("Object Type", String(30), primary_key=True),
    Column("Object ID", Integer, primary_key=True),              # 0 for kinds without ids
    Column("Object Name", String(250), primary_key=True),
    Column("Namespace", String(250), nullable=False, default=""),
    Column("Object Subtype", String(30), nullable=False, default=""),
    Column("Target", String(250), nullable=False, default=""),   # extension objects: what they extend
    Column("Moves Out", Boolean, nullable=False, default=True),    # the object or a field moved to another app
    Column("Metadata Format", String(10), nullable=False, default="Full"),
    Column("Metadata", LargeBinary, nullable=True),              # the object's alc IR (JSON), when the package has it
)

resource = Table(
    "NAV App Resource", APP,
    Column("Package ID", GUID, primary_key=True),
    Column("Type", String(30), primary_key=True),                # PermissionSet: a legacy XML permission set
    Column("Name", String(250), primary_key=True),               # its entry in the package (`perm/...`)
    Column("Content", LargeBinary, nullable=False),
)

tenant_app = Table(
    "NAV App Tenant App", APP,
    Column("Tenant ID", String(128), primary_key=True),
    Column("Package ID", GUID, primary_key=True, index=True),
    Column("App ID", GUID, nullable=False),
)

tenants = Table(
    "$ndo$tenants", APP,
    Column("Tenant ID", String(128), primary_key=True),
    Column("State", String(20), nullable=False),                 # Mounted | Dismounted
    Column("Database", String(512), nullable=False),             # SQLite file under tenants/, or PostgreSQL schema
    Column("Revision", Integer, nullable=False, default=0),      # bumped by every change of the tenant
)

dbproperty = Table(
    "$ndo$dbproperty", APP,
    Column("Key", String(50), primary_key=True),
    Column("Value", Text, nullable=False),
)

# ------------------------------------------------------------------ tenant --

installed_app = Table(
    "NAV App Installed App", TENANT,
    Column("App ID", GUID, primary_key=True),
    Column("Package ID", GUID, nullable=False),
    Column("Name", String(250), nullable=False),
    Column("Publisher", String(250), nullable=False),
    *version_columns(),
    Column("Content Hash", String(64), nullable=False),
    Column("Hash Algorithm", String(10), nullable=False, default="SHA256"),
    Column("Extension Type", String(20), nullable=False, default="ModernDev"),
    Column("Published As", String(10), nullable=False),
)

data_archive = Table(
    "NAV App Data Archive", TENANT,
    Column("App ID", GUID, primary_key=True),
    Column("Table ID", Integer, primary_key=True),
    Column("Company Name", String(30), primary_key=True),
    *version_columns(),
    Column("Archive Table Name", String(128), nullable=False),
    Column("Metadata", LargeBinary, nullable=True),
    Column("Table Blob Version", Integer, nullable=False, default=0),
)

permission_set = Table(
    "Tenant Permission Set", TENANT,
    Column("App ID", GUID, primary_key=True),
    Column("Role ID", String(20), primary_key=True),
    Column("Name", String(30), nullable=False),
    Column("Assignable", Boolean, nullable=False, default=True),
)

permission = Table(
    "Tenant Permission", TENANT,
    Column("App ID", GUID, primary_key=True),
    Column("Role ID", String(20), primary_key=True),
    Column("Object Type", String(30), primary_key=True),
    Column("Object ID", Integer, primary_key=True),
    Column("Role Name", String(30), nullable=False, default=""),
    Column("Object Name", String(250), nullable=False, default=""),
    Column("Read Permission", String(10), nullable=False, default=" "),     # ' ' | Yes | Indirect
    Column("Insert Permission", String(10), nullable=False, default=" "),
    Column("Modify Permission", String(10), nullable=False, default=" "),
    Column("Delete Permission", String(10), nullable=False, default=" "),
    Column("Execute Permission", String(10), nullable=False, default=" "),
    Column("Security Filter", Text, nullable=False, default=""),
    Column("Type", String(10), nullable=False, default="Include"),          # Include | Exclude
)

schema_tracking = Table(
    "$ndo$navappschematracking", TENANT,
    Column("appid", GUID, primary_key=True),
    Column("name", String(250), nullable=False),
    Column("publisher", String(250), nullable=False),
    Column("version", String(43), nullable=False),
    Column("baselineversion", String(43), nullable=False, default=""),
    Column("packageid", GUID, nullable=False),
)

uninstalled_app = Table(
    "$ndo$navappuninstalledapp", TENANT,
    Column("appid", GUID, primary_key=True),
    Column("name", String(250), nullable=False),
    Column("publisher", String(250), nullable=False),
    Column("version", String(43), nullable=False),           # the data version the app left
    Column("packageid", GUID, nullable=False),
)

company = Table(
    "Company", TENANT,
    Column("Name", String(30), primary_key=True),
)
