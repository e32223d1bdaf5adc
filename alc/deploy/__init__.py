"""The server: an application database, tenants and the extension lifecycle.

Publish, sync, install, upgrade, uninstall and unpublish per tenant, with the
state kept in real system tables (SQLite by default, PostgreSQL when several
server instances share one application database). Stands on ``package/`` and
``merge/``; nothing below it imports it.

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
