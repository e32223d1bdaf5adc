"""Load grammar/al.lark once and expose its LALR table in a form the driver
can run fast: per state a dict from terminal or rule name to an int (a shift
target when >= 0, ``~rule_index`` for a reduce)."""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path
from typing import Any, Callable

import attrs
import lark
from lark.lexer import Lexer as _LarkLexer
from lark.parse_tree_builder import ParseTreeBuilder
from lark.parsers.lalr_analysis import Shift

from .lexer import PUNCTUATION

__all__ = ["Grammar", "load_grammar", "START_SYMBOLS"]

START_SYMBOLS = ("item", "block", "expr")


class _ExternalLexer(_LarkLexer):
    """Placeholder: alc's own lexer feeds the table (see parse.py)."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, lexer_state: Any, parser_state: Any):  # pragma: no cover - never used
        raise RuntimeError("alc drives the LALR table itself")


@attrs.frozen
class Grammar:
    """The compiled grammar: LALR actions, rules, keyword and punctuation maps."""

    lark: lark.Lark
    actions: tuple[dict[str, int], ...]
    rules: tuple[tuple[str, int, Any], ...]     # (origin name, length, rule object)
    start_states: dict[str, int]
    end_states: dict[str, int]
    keywords: dict[str, str]                    # lowercase word -> terminal name
    punctuation: dict[str, str]                 # text -> terminal name

    def callbacks(self, transformer: Any) -> tuple[Callable, ...]:
        """Per rule, the function that builds its value (Lark's tree shaping
        applied: `?rule` inlining, `_rule` flattening, dropped literals)."""
        builder = ParseTreeBuilder(self.lark.rules, lark.Tree, maybe_placeholders=True)
        by_rule = builder.create_callback(transformer)
        return tuple(by_rule[rule] for _, _, rule in self.rules)

    def expected(self, state: int) -> list[str]:
        return sorted(name for name in self.actions[state] if name.isupper() or name == "$END")


def grammar_text() -> str:
    """The text of al.lark: from the installed package, or from the checkout."""
    try:
        return importlib.resources.files("alc.grammar").joinpath("al.lark").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        path = Path(__file__).resolve().parents[2] / "grammar" / "al.lark"
        return path.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def load_grammar() -> Grammar:
    """Build (once per process) the LALR table of grammar/al.lark."""
    text = grammar_text()
    parser = lark.Lark(text, parser="lalr", lexer=_ExternalLexer, start=list(START_SYMBOLS),
                       maybe_placeholders=True, cache=True)
    table = parser.parser.parser._parse_table
    rules = list(parser.rules)
    rule_index = {id(rule): i for i, rule in enumerate(rules)}
    actions = []
    for state in range(len(table.states)):
        row = {}
        for name, (action, arg) in table.states[state].items():
            # Lark's names are Token objects; plain str keys keep lookups in C.
            row[str(name)] = arg if action is Shift else ~rule_index[id(arg)]
        actions.append(row)
    keywords: dict[str, str] = {}
    punctuation: dict[str, str] = {}
    for term in parser.terminals:
        pattern = term.pattern
        if pattern.type != "str":
            continue
        value = pattern.value
        if value.isalpha():
            keywords[value.lower()] = str(term.name)
        else:
            punctuation[value] = str(term.name)
    for p in PUNCTUATION:  # punctuation the grammar never uses still needs a name
        punctuation.setdefault(p, p)
    return Grammar(
        lark=parser,
        actions=tuple(actions),
        rules=tuple((str(rule.origin.name), len(rule.expansion), rule) for rule in rules),
        start_states={str(k): v for k, v in table.start_states.items()},
        end_states={str(k): v for k, v in table.end_states.items()},
        keywords=keywords,
        punctuation=punctuation,
    )
