"""Reading source: every encoding AL files come in gives the same IR, and
line/column positions are right whatever the line endings."""

import codecs

import pytest

from alc import parse_source
from alc.source import DecodeError, SourceFile, decode

AL = """\
codeunit 50100 "Größen Rechner"
{
    var
        KøbenhavnLbl: Label 'København ''centrum''';

    procedure Berechne(Menge: Decimal) Ergebnis: Decimal
    begin
        // Grüße
        Ergebnis := Menge * 2;
    end;
}
"""

ENCODINGS = {
    "utf-8": AL.encode("utf-8"),
    "utf-8 with BOM": codecs.BOM_UTF8 + AL.encode("utf-8"),
    "utf-8 with a doubled BOM": codecs.BOM_UTF8 * 2 + AL.encode("utf-8"),
    "utf-16-le with BOM": codecs.BOM_UTF16_LE + AL.encode("utf-16-le"),
    "utf-16-be with BOM": codecs.BOM_UTF16_BE + AL.encode("utf-16-be"),
    "utf-8 CRLF": AL.replace("\n", "\r\n").encode("utf-8"),
    "utf-8 with BOM CRLF": codecs.BOM_UTF8 + AL.replace("\n", "\r\n").encode("utf-8"),
    "utf-16-le CRLF": codecs.BOM_UTF16_LE + AL.replace("\n", "\r\n").encode("utf-16-le"),
}


def parse_bytes(data: bytes, path: str = "Rechner.Codeunit.al"):
    return parse_source(SourceFile.from_bytes(path, data))


@pytest.fixture(scope="module")
def reference():
    result = parse_bytes(ENCODINGS["utf-8"])
    assert result.diagnostics == []
    return result.unit


@pytest.mark.parametrize("name", ENCODINGS)
def test_every_encoding_gives_the_same_ir(name, reference):
    result = parse_bytes(ENCODINGS[name])
    assert result.diagnostics == []
    assert result.unit == reference
    obj = result.unit.objects[0]
    assert obj.name == "Größen Rechner"
    assert obj.variables[0].type.text == "København 'centrum'"


@pytest.mark.parametrize("name", ENCODINGS)
def test_spans_agree_across_encodings(name, reference):
    """The same token is on the same line and column in every encoding."""
    result = parse_bytes(ENCODINGS[name])
    proc = result.unit.objects[0].procedures[0]
    (stmt,) = proc.body.statements
    assert (proc.span.line, proc.span.col) == (6, 5)
    assert (stmt.span.line, stmt.span.col, stmt.span.end_line, stmt.span.end_col) == (9, 9, 9, 30)
    assert stmt.span.text == "Ergebnis := Menge * 2"


@pytest.mark.parametrize("name", ENCODINGS)
def test_files_on_disk_read_the_same(name, tmp_path, reference):
    path = tmp_path / "Rechner.Codeunit.al"
    path.write_bytes(ENCODINGS[name])
    result = parse_source(SourceFile.read(str(path)))
    assert result.diagnostics == [] and result.unit.objects == reference.objects


def test_bom_is_not_part_of_the_text():
    for name, data in ENCODINGS.items():
        assert not decode(data).startswith("\ufeff"), name
        assert decode(data).startswith("codeunit"), name


def test_crlf_line_and_column():
    text = "table 50100 T\r\n{\r\n    fields\r\n    {\r\n        field(1; \"No.\"; Code[20]) { }\r\n    }\r\n}\r\n"
    result = parse_source(SourceFile("T.al", text))
    assert result.diagnostics == []
    table = result.unit.objects[0]
    field = table.fields[0]
    assert (table.span.line, table.span.col, table.span.end_line, table.span.end_col) == (1, 1, 7, 2)
    assert (field.span.line, field.span.col, field.span.end_line, field.span.end_col) == (5, 9, 5, 38)
    assert "\r" not in field.span.text
    assert result.lines == 8


def test_crlf_diagnostic_position():
    text = "codeunit 50100 C\r\n{\r\n    procedure P()\r\n    begin\r\n        X := ;\r\n    end;\r\n}\r\n"
    result = parse_source(SourceFile("C.al", text))
    (d,) = result.diagnostics
    assert (d.code, d.span.line, d.span.col) == ("ALC0101", 5, 14)


def test_mixed_line_endings_count_lines_by_newline():
    text = "codeunit 50100 C\r\n{\n    trigger OnRun()\r\n    begin\n        X := 1;\r\n    end;\n}\n"
    result = parse_source(SourceFile("C.al", text))
    stmt = result.unit.objects[0].triggers[0].body.statements[0]
    assert (stmt.span.line, stmt.span.col) == (5, 9)


def test_windows_1252_without_bom_is_accepted():
    data = "codeunit 50100 C { var X: Label 'Grüße'; }".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = parse_bytes(data)
    assert result.diagnostics == []
    assert result.unit.objects[0].variables[0].type.text == "Grüße"


def test_broken_utf16_is_a_decode_error():
    with pytest.raises(DecodeError):
        decode(codecs.BOM_UTF16_LE + b"a\x00b")  # odd byte count


def test_unreadable_file_becomes_alc0100(tmp_path):
    from alc.syntax.files import parse_files
    path = tmp_path / "Broken.al"
    path.write_bytes(codecs.BOM_UTF16_LE + b"a\x00b")
    summary = parse_files([str(path)], jobs=1)
    assert summary.files_with_errors == 1
    assert [d["code"] for d in summary.diagnostics] == ["ALC0100"]
