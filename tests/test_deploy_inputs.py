"""The server's front door applies the package reader's rules to what it is given
(issue 14, item 8): special files are refused without being read."""

import os

import pytest

from alc.deploy import DeployUsageError, open_server
from test_deploy_common import db  # noqa: F401


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_publish_refuses_a_special_file_unread(tmp_path, special):
    if special == "fifo":
        special = str(tmp_path / "x.app")
        os.mkfifo(special)             # opening it for reading would block for ever
    server = open_server(str(tmp_path / "srv"))
    try:
        with pytest.raises(DeployUsageError, match="cannot read"):
            server.publish([special])
    finally:
        server.close()


def _set_schema_version(server, value: str, drop_resource: bool) -> None:
    import sqlalchemy as sa
    from alc.deploy import schema
    with server.store.begin(True) as conn:
        if drop_resource:
            schema.resource.drop(conn)
        conn.execute(sa.update(schema.dbproperty).where(schema.dbproperty.c.Key == "Schema Version")
                     .values(Value=value))


def test_a_database_of_an_earlier_alc_gets_the_tables_added_since(db):
    """A server database made before `NAV App Resource` existed (schema version 1) is brought up to
    date when opened, in one transaction; a database of a later alc is refused, unchanged."""
    import sqlalchemy as sa
    from alc.deploy import schema
    server = open_server(db)
    _set_schema_version(server, "1", drop_resource=True)
    server.close()
    server = open_server(db, create=False)
    try:
        with server.store.begin(False) as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(schema.resource)).scalar() == 0
            assert conn.execute(sa.select(schema.dbproperty.c.Value)
                                .where(schema.dbproperty.c.Key == "Schema Version")).scalar() == "2"
        _set_schema_version(server, "3", drop_resource=False)
    finally:
        server.close()
    with pytest.raises(DeployUsageError, match="schema version 3, made by a later alc"):
        open_server(db, create=False)
