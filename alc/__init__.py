"""alc: a toolchain for AL, the language of Microsoft Dynamics 365 Business Central.

The public API is a handful of plain functions:

>>> from alc import parse_text
>>> unit = parse_text("enum 50100 Color { value(0; Red) { } }").unit
>>> unit.objects[0].values[0].name
'Red'

The stages below flow one way (ground, ir, syntax, package, merge, semantic, emit,
build, deploy, generate, then this API and the CLI): see "How it works" in README.md.
"""

from .version import __version__

__all__ = ["__version__", "ParseResult", "parse_source", "parse_text", "parse_body", "parse_expression"]

_PARSER_API = frozenset(("ParseResult", "parse_source", "parse_text", "parse_body", "parse_expression"))


def __getattr__(name: str):
    """The parser's API, imported when first used: commands that do not parse (`alc server`)
    start without loading the grammar and the parser."""
    if name in _PARSER_API:
        from .syntax import api
        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'alc' has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | _PARSER_API)
