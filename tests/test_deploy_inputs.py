"""The server's front door applies the package reader's rules to what it is given
(issue 14, item 8): special files are refused without being read."""

import os

import pytest

from alc.deploy import DeployUsageError, open_server


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
