"""Reading published packages' rows outside the command's transactions.

A merge decodes an object when it first needs it, in the middle of a
command; :class:`DbSource` reads those rows on one long-lived connection,
each read its own short transaction (so no lock is held between reads). While
a publish transaction is under way, reads go through its connection
(``bound``): the packages published earlier in the same batch are visible
only there.
"""

from __future__ import annotations

import sqlalchemy as sa

from . import schema
from .errors import DeployUsageError
from .packages import ObjectSource
from .store import Store

__all__ = ["DbSource"]


class DbSource(ObjectSource):
    """Package rows read on one long-lived connection, each read its own short transaction
    (a lazy object is decoded in the middle of a merge, outside the command's transactions)."""

    def __init__(self, store: Store):
        self.store = store
        self._conn = None
        self._pending: dict = {}       # (package id, key) -> metadata read ahead, until taken
        self._asked: set = set()       # what was read ahead once (objects stay decoded in the process)

    bound = None  # the connection of the transaction under way (publish), whose rows others cannot see yet

    def _rows(self, query) -> list:
        if self.bound is not None:
            return self.bound.execute(query).all()
        if self._conn is None:
            self._conn = self.store.reader()
        try:
            return self._conn.execute(query).all()
        finally:
            self._conn.rollback()

    def manifest(self, package_id: str) -> bytes:
        t = schema.nav_app
        rows = self._rows(sa.select(t.c.Manifest).where(t.c["Package ID"] == package_id))
        if not rows:
            raise DeployUsageError(f"the package {package_id} is no longer published")
        return bytes(rows[0][0])

    def objects(self, package_id: str) -> list:
        m = schema.object_metadata
        return self._rows(sa.select(m.c["Object Type"], m.c["Object ID"], m.c["Object Name"], m.c.Namespace,
                                    m.c.Target, m.c["Moves Out"]).where(m.c["Package ID"] == package_id))

    def metadata(self, package_id: str, keys: list) -> dict:
        m = schema.object_metadata
        out = {}
        for i in range(0, len(keys), 300):
            chunk = keys[i:i + 300]
            cond = sa.tuple_(m.c["Object Type"], m.c["Object ID"], m.c["Object Name"]).in_(chunk) \
                if len(chunk) > 1 else sa.and_(m.c["Object Type"] == chunk[0][0], m.c["Object ID"] == chunk[0][1],
                                               m.c["Object Name"] == chunk[0][2])
            for kind, ident, name, data in self._rows(
                    sa.select(m.c["Object Type"], m.c["Object ID"], m.c["Object Name"], m.c.Metadata)
                    .where(m.c["Package ID"] == package_id, cond)):
                out[(kind, ident, name)] = bytes(data) if data is not None else None
        return out

    def prefetch(self, package_id: str, keys: list) -> None:
        todo = [k for k in keys if (package_id, k) not in self._asked]
        if todo:
            self._asked.update((package_id, k) for k in todo)
            for key, data in self.metadata(package_id, todo).items():
                self._pending[(package_id, key)] = data

    def take(self, package_id: str, key: tuple):
        data = self._pending.pop((package_id, key), None)
        return data if data is not None else self.metadata(package_id, [key]).get(key)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
