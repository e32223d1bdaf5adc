"""The LALR driver: alc's lexer feeding Lark's LALR(1) table.

Why not ``Lark.parse``: the driver needs the parser state to resolve
contextual keywords, to capture code bodies and filter texts as raw text,
and to end an item when its closing brace is read (error recovery per
object). Running Lark's table in a loop of our own also avoids making a Lark
``Token`` per token, which costs more than the LALR step itself.

Values on the stack are whatever the rule callbacks build: Lark trees for
``parse_tree`` (tests and debugging), alc IR for ``lower.py``.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Callable, Optional

from ..diagnostics import Diagnostic
from ..source import SourceFile, Span
from .callbacks import fast_shape, is_passthrough, make_callbacks, recognizer_callbacks
from .grammar import Grammar, load_grammar
from .lexer import Lexer, Token

__all__ = ["Driver", "SyntaxFailure", "describe_token", "accelerator", "PURE_PYTHON_ENV"]

PURE_PYTHON_ENV = "ALC_PURE_PYTHON"
"""Set to 1 to parse in pure Python even where the compiled accelerator is built."""

# Words that open an item at the top level of a file (used to resynchronise).
_ITEM_WORDS = frozenset((
    "namespace", "using", "table", "tableextension", "page", "pageextension", "pagecustomization",
    "codeunit", "report", "reportextension", "query", "xmlport", "enum", "enumextension",
    "interface", "permissionset", "permissionsetextension", "entitlement", "profile",
    "profileextension", "controladdin", "dotnet",
))

# AL's reserved words: never identifiers, wherever they stand.
RESERVED_WORDS = frozenset((
    "begin", "end", "if", "then", "else", "case", "of", "while", "do", "repeat", "until", "for",
    "to", "downto", "foreach", "in", "with", "and", "or", "xor", "not", "div", "mod", "true",
    "false", "var", "exit",
))


class SyntaxFailure(Exception):
    """Raised inside the driver to abandon an item; carries its diagnostic."""

    def __init__(self, diagnostic: Diagnostic, token: Token, skip: bool = True):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.token = token
        self.skip = skip  # False: resume parsing at `token` itself


def describe_token(tok: Token) -> str:
    kind, text = tok[0], tok[1]
    if kind == "$END":
        return "end of file"
    if kind == "CODE_BODY":
        return "`begin`"
    if kind in ("SIMPLE_PROPERTY", "ELEMENT_HEAD"):  # the text slot holds a regex match
        return f"`{text.group(1)}`"
    if not isinstance(text, str):
        return kind.lower()
    if len(text) > 40:
        text = text[:37] + "..."
    return f"`{text}`"


def accelerator() -> Any:
    """The compiled twin of the hot loop (alc/syntax/_accel.pyx), or None
    where it was not built (no C compiler at install time) or where
    ``ALC_PURE_PYTHON=1`` asks for pure Python."""
    if os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0"):
        return None
    try:
        from . import _accel
    except ImportError:
        return None
    return _accel


class Driver:
    """Runs the LALR table over a lexer, with rule callbacks from a transformer.

    One driver serves many files: it holds no per-file state between calls.
    ``accelerated``: None uses the compiled loop where it is built, False
    never, True insists (RuntimeError where it is not built).
    """

    def __init__(self, transformer: Any = None, grammar: Optional[Grammar] = None,
                 simple_properties: bool = True, recognize_only: bool = False,
                 accelerated: Optional[bool] = None):
        accel = accelerator() if accelerated is not False else None
        if accelerated and accel is None:
            raise RuntimeError("the parser's compiled accelerator is not built (or ALC_PURE_PYTHON is set)")
        self.accelerated = accel is not None
        if accel is not None:  # the compiled loop, same steps (instance attribute shadows the method)
            self._run = functools.partial(accel.run, self)
        self.grammar = grammar or load_grammar()
        self.transformer = transformer
        # The one-regex path for `Name = value;` properties (off: every property through the table).
        self.simple_properties = simple_properties and transformer is not None and not recognize_only
        g = self.grammar
        lark_rules = [rule for _, _, rule in g.rules]
        # recognize_only: the parse builds nothing and only its diagnostics count.
        self.callbacks = tuple(recognizer_callbacks(lark_rules) if recognize_only
                               else make_callbacks(lark_rules, transformer))
        self.actions = g.actions
        self.rules = tuple((origin, size, None if is_passthrough(rule) else cb)
                           for (origin, size, rule), cb in zip(g.rules, self.callbacks))
        if accel is not None:
            self._word_kinds: dict = {}     # word as written -> its keyword terminal or None (a memo)
            # The compiled loop takes the simple callbacks' steps itself (callbacks.fast_shape).
            self.fast_rules = tuple(
                (origin, size, cb) + ((0, 0, None, None, 0) if recognize_only or cb is None
                                      else fast_shape(rule, transformer))
                for (origin, size, rule), (_, _, cb) in zip(g.rules, self.rules))
        self.keywords = g.keywords
        self.punctuation = g.punctuation
        self._names = {v: k for k, v in g.punctuation.items()}
        # States right after `const(` / `filter(`: the lexer captures raw text.
        self.filter_states = frozenset(s for s, row in enumerate(g.actions) if "FILTER_TEXT" in row)
        p = g.punctuation
        self.rbrace, self.semicolon = p["}"], p[";"]
        self._unit_chains: dict[tuple[int, int, str], int] = {}
        self.equal = p["="]
        # The terminals that open an element (`field`, `area`, `addafter`, ...).
        self.element_kinds = frozenset(str(sym.name) for r in g.lark.rules if str(r.origin.name) == "element_kind"
                                       for sym in r.expansion)
        # Reserved words are never names, so they need no lookahead: `end;`.
        self.reserved = frozenset(k for w, k in g.keywords.items() if w in RESERVED_WORDS)

    def _unit_chain(self, below: int, origin: str, kind: str) -> int:
        """The state reached by a chain of passthrough reductions over ``below``."""
        actions, rules = self.actions, self.rules
        top = actions[below][origin]
        while True:
            a = actions[top].get(kind)
            if a is None or a >= 0 or rules[~a][2] is not None:
                return top
            top = actions[below][rules[~a][0]]

    # -- two-token lookahead for words ------------------------------------
    def _viable(self, states: list, kind: str, nxt: Token) -> bool:
        """Would the parser accept ``kind`` here and then the token ``nxt``?

        Simulates both tokens on a copy of the state stack, so the answer is
        exact (canonical LR), not LALR's merged lookahead. Used only where a
        word could be a keyword, a property name or a plain name: `Type =
        RDLC;`, `continue := true;`, `Continue(Entry);`, `Permissions: List of [...];`.
        """
        a = self.actions[states[-1]].get(kind)
        if a is None:
            return False
        if a >= 0 and nxt[0] != "$END":
            # Shifting `kind` needs no reduction; if the next token then shifts
            # too (or has no action at all), the answer needs no simulation.
            follow = self.actions[a]
            if nxt[0] == "WORD":
                kw = self.keywords.get(nxt[1].lower())
                found = [follow[k] for k in (kw, "IDENT", "PROP_NAME") if k in follow]
                if not found:
                    return False
                if any(b >= 0 for b in found):
                    return True
            else:
                b = follow.get(nxt[0])
                if b is None or b >= 0:
                    return b is not None
        stack = self._simulate(states, kind)
        if stack is None:
            return False
        if nxt[0] == "$END":
            return True  # the end of a fragment: nothing left to contradict `kind`
        if nxt[0] != "WORD":
            return self._simulate(stack, nxt[0]) is not None
        kw = self.keywords.get(nxt[1].lower())
        return any(self._simulate(stack, k) is not None for k in (kw, "IDENT", "PROP_NAME") if k)

    def _simulate(self, states: list, kind: str) -> Optional[list]:
        """The state stack after shifting ``kind`` (with its reductions), or None."""
        actions, rules = self.actions, self.rules
        stack = list(states[-40:]) if len(states) > 40 else list(states)
        while True:
            a = actions[stack[-1]].get(kind)
            if a is None:
                return None
            if a >= 0:
                stack.append(a)
                return stack
            origin, size, _ = rules[~a]
            if size:
                if size >= len(stack):
                    return None  # deeper than the copy: give up, treat as not viable
                del stack[-size:]
            stack.append(actions[stack[-1]][origin])

    def _resolve_name(self, states: list, acts: dict, nxt: Token) -> str:
        """A word that is not a keyword here: a property name or a plain name."""
        if "PROP_NAME" in acts and nxt[0] == self.equal and self._viable(states, "PROP_NAME", nxt):
            return "PROP_NAME"
        return "IDENT" if "IDENT" in acts else "PROP_NAME"

    def new_lexer(self, source: SourceFile, symbols, diagnostics: list, **kw) -> Lexer:
        return Lexer(source, symbols, diagnostics=diagnostics, punctuation=self.punctuation, **kw)

    # -- entry points -------------------------------------------------------
    def parse_items(self, lexer: Lexer, lazy_bodies: bool = False) -> list:
        """Parse every item of a file; a broken item yields a diagnostic and is skipped."""
        items = []
        start, end = self.grammar.start_states["item"], self.grammar.end_states["item"]
        tok = lexer.next()
        while tok[0] != "$END":
            try:
                value, tok = self._run(lexer, tok, start, end, lazy_bodies, item_mode=True)
                items.append(value)
            except SyntaxFailure as failure:
                lexer.diagnostics.append(failure.diagnostic)
                tok = self._resynchronise(lexer, failure.token) if failure.skip else failure.token
        return items

    def parse_fragment(self, lexer: Lexer, symbol: str):
        """Parse the whole lexer range as one ``symbol`` (``block`` or ``expr``).

        Raises SyntaxFailure on the first error.
        """
        start, end = self.grammar.start_states[symbol], self.grammar.end_states[symbol]
        value, tok = self._run(lexer, lexer.next(), start, end, False, item_mode=False)
        return value

    # -- the loop -----------------------------------------------------------
    def _run(self, lexer: Lexer, tok: Token, start_state: int, end_state: int,
             lazy_bodies: bool, item_mode: bool):
        actions, rules, keywords = self.actions, self.rules, self.keywords
        filter_states = self.filter_states
        rbrace, semicolon = self.rbrace, self.semicolon
        unit_chains, reserved, equal = self._unit_chains, self.reserved, self.equal
        element_kinds = self.element_kinds
        simple_property = self.simple_properties
        next_token = lexer.next
        states = [start_state]
        values: list = []
        acts = actions[start_state]
        while True:
            kind = tok[0]
            if kind == "WORD":
                kw = keywords.get(tok[1].lower())
                if kw is not None and kw in acts:
                    if kw not in reserved and ("IDENT" in acts or "PROP_NAME" in acts) \
                            and ("IDENT" in acts or lexer.peek()[0] == equal) \
                            and not self._viable(states, kw, lexer.peek()):
                        # (Where only a property name competes, the word is the
                        # keyword unless `=` follows: `field(`, `local procedure`.)
                        kind = self._resolve_name(states, acts, lexer.peek())
                    elif kw == "BEGIN" and lazy_bodies and "CODE_BODY" in acts:
                        kind = "CODE_BODY"
                        tok = lexer.skip_body(tok)
                    else:
                        kind = kw
                elif "PROP_NAME" in acts:
                    kind = "PROP_NAME" if "IDENT" not in acts else self._resolve_name(states, acts, lexer.peek())
                else:
                    kind = "IDENT"
                if kind == "PROP_NAME" and simple_property and "SIMPLE_PROPERTY" in acts:
                    # `Caption = 'x', Comment = 'y';` in one regex match (see lexer.simple_property)
                    prop = lexer.simple_property(tok)
                    if prop is not None:
                        tok, kind = prop, "SIMPLE_PROPERTY"
                elif kind in element_kinds and simple_property and "ELEMENT_HEAD" in acts:
                    # `field("No."; Rec."No.")` in one regex match (see lexer.element_head)
                    head = lexer.element_head(tok)
                    if head is not None:
                        tok, kind = head, "ELEMENT_HEAD"
            elif kind == "$END":
                return self._finish(lexer, states, values, tok, tok, end_state), tok
            while True:
                a = acts.get(kind)
                if a is None:
                    raise SyntaxFailure(self._error(lexer, tok, states[-1]), tok)
                if a >= 0:
                    break
                origin, size, callback = rules[~a]
                if callback is None:
                    # A unit rule that passes its one child through (`?rule`):
                    # the value stays, only the state changes. A chain of them
                    # (an operand climbing the precedence ladder) depends only
                    # on the state below, the top state and the lookahead.
                    key = (states[-2], states[-1], kind)
                    goto = unit_chains.get(key)
                    if goto is None:
                        goto = unit_chains[key] = self._unit_chain(states[-2], origin, kind)
                    states[-1] = goto
                else:
                    if size:
                        children = values[-size:]
                        del values[-size:]
                        del states[-size:]
                    else:
                        children = []
                    values.append(callback(children))
                    goto = actions[states[-1]][origin]
                    states.append(goto)
                acts = actions[goto]
            # shift (tokens keep the lexer's kind, WORD for every word; callbacks use the text)
            states.append(a)
            values.append(tok)
            acts = actions[a]
            if a in filter_states:
                tok = lexer.raw_filter()
            elif (kind == rbrace or kind == semicolon) and item_mode and lexer.depth <= 0:
                # The item is complete: finish it with $END, keep the real next token.
                nxt = next_token()
                value = self._finish(lexer, states, values, tok, nxt, end_state)
                return value, nxt
            else:
                tok = next_token()

    def _finish(self, lexer: Lexer, states: list, values: list, last: Token, nxt: Token, end_state: int):
        actions, rules = self.actions, self.rules
        while True:
            a = actions[states[-1]].get("$END")
            if a is None or a >= 0:
                expected = self._expected(states[-1])
                at_eof = last[0] == "$END"
                message = "unexpected end of file" if at_eof else "object ends too early"
                if expected and len(expected) <= 6:
                    message += "; expected " + (expected[0] if len(expected) == 1 else "one of " + ", ".join(expected))
                diag = Diagnostic.error("ALC0101", message, Span(lexer.source, last[2], last[3]))
                raise SyntaxFailure(diag, nxt, skip=False)
            origin, size, callback = rules[~a]
            if callback is None:
                del states[-1]
            else:
                children = values[-size:] if size else []
                if size:
                    del values[-size:]
                    del states[-size:]
                values.append(callback(children))
            goto = actions[states[-1]][origin]
            if goto == end_state:
                return values[-1]
            states.append(goto)

    # -- errors -------------------------------------------------------------
    def _expected(self, state: int) -> list[str]:
        names = []
        for name in self.grammar.expected(state):
            if name in ("CODE_BODY", "FILTER_TEXT"):
                continue
            if name in self._names:
                names.append(f"`{self._names[name]}`")
            elif name in ("IDENT", "QIDENT", "PROP_NAME"):
                names.append("identifier")
            elif name in ("STRING", "INTEGER", "DECIMAL", "BIGINT", "DATE", "TIME", "DATETIME"):
                names.append(name.lower() if name != "STRING" else "string")
            elif name == "$END":
                names.append("end of file")
            else:
                names.append(f"`{name.lower()}`")
        return sorted(set(names))

    def _error(self, lexer: Lexer, tok: Token, state: int) -> Diagnostic:
        expected = self._expected(state)
        message = f"unexpected {describe_token(tok)}"
        if expected and len(expected) <= 6:
            message += "; expected " + (expected[0] if len(expected) == 1 else "one of " + ", ".join(expected))
        start = tok[2]
        end = tok[3] if tok[0] != "CODE_BODY" else tok[2] + 5
        return Diagnostic.error("ALC0101", message, Span(lexer.source, start, end))

    def _resynchronise(self, lexer: Lexer, tok: Token) -> Token:
        """Skip to the end of the broken item: its closing brace at depth 0,
        or the next word that opens an item at the top level."""
        first = True
        while tok[0] != "$END":
            if lexer.depth <= 0:
                if tok[1] == "}" or tok[1] == ";":
                    return lexer.next()
                if not first and tok[0] == "WORD" and tok[1].lower() in _ITEM_WORDS:
                    return tok
            first = False
            tok = lexer.next()
        return tok
