"""The server: an application database, tenants and the extension lifecycle.

Publish, sync, install, upgrade, uninstall and unpublish per tenant, with the
state kept in real system tables (SQLite by default, PostgreSQL when several
server instances share one application database). Stands on ``package/`` and
``merge/``; nothing below it imports it.
"""
