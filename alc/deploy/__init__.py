"""The server: an application database, tenants and the extension lifecycle.

Publish, sync, install, upgrade, uninstall and unpublish per tenant, with the
state kept in real system tables (SQLite by default, PostgreSQL when several
server instances share one application database). Stands on ``package/`` and
``merge/``; nothing below it imports it.

Modules: ``store`` (SQLite folder or PostgreSQL URL, transactions), ``schema``
(the system tables), ``catalog`` (published apps, name resolution), ``tenantdb``
(a tenant's state in and out), ``rules`` (the lifecycle rules, pure), ``check``
(prerequisites and the merge engine's conflict check), ``publish``, ``tenants``
(add, mount, dismount, remove-apps), ``tenanttables`` (the permission sets and
data archive rows an install or uninstall writes), ``views`` (AllObj, merged, permissions),
``artifacts`` (runtime packages, repair), ``packages`` and ``rows`` (published
packages decoded per process from their rows), ``server`` (the commands), ``cli``;
``tables`` (an app's schema from its compiled metadata, and the per-tenant,
per-company table layout), ``sync`` (the schema diff in the platform's words and
the sync engine, run in the command's transaction), ``data`` (business data as
merged records), ``archive`` (what uninstall keeps: `NAV App Data Archive`,
--do-not-save-data), ``compare`` (`alc compare OLD.app NEW.app`).

Choices where the platform's behaviour is not documented (DEPLOY.md's INFERRED
and UNCONFIRMED): installing over the data of an earlier, uninstalled version is
refused like an installed one; PerCompany triggers run for every company before
the PerDatabase trigger in each phase, codeunits by id; the mount check asks for
the same app id, version and content hash, visible to the tenant, and a synced
version at least the installed one; `--skip-verification` skips the compile
check (alc does not check signatures); an app without dependencies is not
checked again at publish; several versions matching a name is unusable input
(exit 2), not a refusal. Schema sync (sync.py's docstring): fields are identified
by id (a rename keeps the column and its data), only fields with a column count,
Integer may become BigInteger and Option Enum, Clean waits for the apps extending
the app's tables; --do-not-save-data forgets the data version.

>>> import tempfile, os
>>> server = open_server(os.path.join(tempfile.mkdtemp(), "srv"), platform=Version(26, 0, 0, 0))
>>> str(server.platform), server.add_tenant("t1", ["CRONUS"]).companies
('26.0.0.0', ('CRONUS',))
>>> server.info_json(tenant="t1")
{'apps': []}
"""

from ..appmodel import Version
from .errors import DeployError, DeployUsageError
from .model import AppInfo, ObjectRow, Report, Step, TenantInfo, TriggerRun
from .server import DEFAULT_PLATFORM, Server, open_server

__all__ = ["open_server", "Server", "DeployError", "DeployUsageError", "AppInfo", "TenantInfo", "ObjectRow",
           "Report", "Step", "TriggerRun", "DEFAULT_PLATFORM", "Version"]
