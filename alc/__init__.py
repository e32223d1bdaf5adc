"""alc: a toolchain for AL, the language of Microsoft Dynamics 365 Business Central.

The public API is a handful of plain functions:

>>> from alc import parse_text
>>> unit = parse_text("enum 50100 Color { value(0; Red) { } }").unit
>>> unit.objects[0].values[0].name
'Red'

The stages below flow one way (ground, ir, syntax, package, merge, semantic, emit,
build, deploy, generate, then this API and the CLI): see "How it works" in README.md.
"""

from .syntax.api import ParseResult, parse_body, parse_expression, parse_source, parse_text
from .version import __version__

__all__ = ["__version__", "ParseResult", "parse_source", "parse_text", "parse_body", "parse_expression"]
