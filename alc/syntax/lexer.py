"""alc's lexer: one master regex, AL's preprocessor, raw-text captures.

The lexer is pulled one token at a time by the LALR driver (parse.py), which
knows the parser state and so decides whether a word is a keyword. Tokens are
plain tuples ``(kind, text, start, end)``; ``kind`` is a terminal name of
grammar/al.lark (``WORD`` for every identifier-shaped word, resolved later).

Preprocessing happens here, before parsing: ``#if``/``#elif``/``#else``/
``#endif`` are evaluated against the symbol set and inactive branches are
skipped as disabled text, so a branch that splits a construct (an opening
brace in one branch, its closing brace after ``#endif``) parses as the active
configuration reads. ``#region``, ``#endregion`` and ``#pragma`` are kept as
trivia. Offsets always point into the original text.

>>> from alc.source import SourceFile
>>> lx = Lexer(SourceFile("x.al", "#if not CLEAN\\nx := 'a''b';\\n#else\\ny\\n#endif"), frozenset())
>>> [t[:2] for t in lx.tokens()]
[('WORD', 'x'), (':=', ':='), ('STRING', "'a''b'"), (';', ';')]
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from ..diagnostics import Diagnostic
from ..source import SourceFile, Span

__all__ = ["Lexer", "Token", "Trivia", "evaluate_condition", "PUNCTUATION"]

Token = tuple  # (kind: str, text: str, start: int, end: int)

# Group numbers of the master regex, most frequent first.
_WORD, _QIDENT, _PUNCT, _STRING, _NUMBER, _LINE_COMMENT, _BLOCK_COMMENT, _HASH = range(1, 9)
_BAD_STRING, _BAD_QIDENT, _BAD_COMMENT, _BAD_CHAR = range(9, 13)

_TOKEN_RE = re.compile(
    r"""(?:\s+|//[^\n]*|/\*[\s\S]*?\*/)*(?:    # whitespace and comments, skipped in C
      ([^\W\d]\w*)                                  # 1 word
    | ("[^"\n]*(?:""[^"\n]*)*")                     # 2 quoted identifier
    | (:=|\+=|-=|\*=|/=|::|\.\.|<>|<=|>=|[-+*=<>()\[\]{},;:.?|&@]|/(?![/*]))  # 3
    | ('[^']*(?:''[^']*)*')                         # 4 string
    | (\d+(?:\.\d+)?(?:[Dd][Tt]|[DdTtLl])?)         # 5 number, date, time
    | (//[^\n]*)                                    # 6 (never reached: skipped above)
    | (/\*[\s\S]*?\*/)                              # 7 (idem)
    | (\#)                                          # 8 directive
    | ('[^\n]*)                                     # 9 unterminated string
    | ("[^\n]*)                                     # 10 unterminated identifier
    | (/\*[\s\S]*)                                  # 11 unterminated comment
    | (.)                                           # 12
    )?""",
    re.VERBOSE,
)

# Scans a code body for its matching `end` without making tokens: one match
# per word, string, comment or directive; everything else is skipped in C.
_BODY_RE = re.compile(
    r"""[^\w'"/\#]*(?:
      (\w+)
    | ('[^']*(?:''[^']*)*')
    | ("[^"\n]*(?:""[^"\n]*)*")
    | (//[^\n]*)
    | (/\*[\s\S]*?\*/)
    | (\#)
    | (/)
    | (['"])
    )""",
    re.VERBOSE,
)

_WS = r"[ \t\r\n]*"
_SIMPLE_PROPERTY_RE = re.compile(
    r"""([^\W\d]\w*)""" + _WS + "=" + _WS + r"""(?:
      ('[^']*(?:''[^']*)*')                         # 2 string
    | ("[^"\n]*(?:""[^"\n]*)*")                     # 3 quoted name
    | (\d+(?:\.\d+)?(?:[Dd][Tt]|[DdTtLl])?)         # 4 number
    | ([^\W\d]\w*)                                  # 5 word
    )((?:""" + _WS + "," + _WS + r"""(?i:comment|locked|maxlength)""" + _WS + "=" + _WS +
    r"""(?:'[^']*(?:''[^']*)*'|(?i:true|false)|\d+))*)""" + _WS + ";",
    re.VERBOSE,
)
SIMPLE_OPTION_RE = re.compile(r"([^\W\d]\w*)" + _WS + "=" + _WS + r"('[^']*(?:''[^']*)*'|[^\W\d]\w*|\d+)")

_ARG_ITEM = r"""(?:"[^"\n]*(?:""[^"\n]*)*"|[^\W\d]\w*|\d+)(?:\.(?:"[^"\n]*(?:""[^"\n]*)*"|[^\W\d]\w*))?(?:\[\d+\])?"""
_ELEMENT_HEAD_RE = re.compile(
    r"([^\W\d]\w*)" + _WS + r"\(" + _WS + "((?:" + _ARG_ITEM + "(?:" + _WS + "[,;]" + _WS + _ARG_ITEM + ")*)?)"
    + _WS + r"\)")
ELEMENT_ARG_RE = re.compile(
    r"""([,;])|("[^"\n]*(?:""[^"\n]*)*"|[^\W\d]\w*|\d+)(?:\.("[^"\n]*(?:""[^"\n]*)*"|[^\W\d]\w*))?(?:\[(\d+)\])?""")

_FILTER_RE = re.compile(r"""[^()'";{}]*(?:(\()|(\))|('[^']*(?:''[^']*)*')|("[^"\n]*")|([;{}'"])|$)""")

_PREAMBLE_RE = re.compile(r"(?:\s+|//[^\n]*|/\*[\s\S]*?\*/|\#[^\n]*)*")
_DIRECTIVE_RE = re.compile(r"#[ \t]*([A-Za-z]*)([^\n]*)")
_INACTIVE_RE = re.compile(r"^[ \t]*#[ \t]*(if|elif|else|endif)\b([^\n]*)", re.MULTILINE | re.IGNORECASE)
_COND_TOKEN_RE = re.compile(r"\s*(?:(\()|(\))|([^\W\d]\w*)|(\S))")

PUNCTUATION = (":=", "+=", "-=", "*=", "/=", "::", "..", "<>", "<=", ">=", "-", "+", "*", "/",
               "=", "<", ">", "(", ")", "[", "]", "{", "}", ",", ";", ":", ".", "?", "|", "&", "@")

_NUMBER_KINDS = {"d": "DATE", "t": "TIME", "dt": "DATETIME", "l": "BIGINT"}


class Trivia:
    """A directive kept out of the token stream: #region, #endregion, #pragma, #if..."""

    __slots__ = ("kind", "text", "span")

    def __init__(self, kind: str, text: str, span: Span):
        self.kind, self.text, self.span = kind, text, span

    def __repr__(self) -> str:
        return f"Trivia({self.kind!r}, {self.text!r})"


class ConditionError(ValueError):
    pass


MAX_CONDITION_DEPTH = 64
"""`not` and parentheses an `#if` condition may nest (real conditions nest two or three)."""


def evaluate_condition(text: str, symbols: frozenset[str] | set[str]) -> bool:
    """Evaluate an ``#if`` condition: symbols, ``not``, ``and``, ``or``, parentheses.

    >>> evaluate_condition("not CLEAN27", {"CLEAN26"})
    True
    >>> evaluate_condition("(A or B) and not C", {"B"})
    True
    """
    toks = []
    for m in _COND_TOKEN_RE.finditer(text):
        if m.group(1):
            toks.append("(")
        elif m.group(2):
            toks.append(")")
        elif m.group(3):
            toks.append(m.group(3))
        elif m.group(4):
            raise ConditionError(f"unexpected `{m.group(4)}` in condition")
    pos = 0

    def peek() -> Optional[str]:
        return toks[pos] if pos < len(toks) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(toks):
            raise ConditionError("condition ends too early")
        pos += 1
        return toks[pos - 1]

    def disjunction(depth: int) -> bool:
        value = conjunction(depth)
        while (peek() or "").lower() == "or":
            take()
            value = conjunction(depth) or value
        return value

    def conjunction(depth: int) -> bool:
        value = negation(depth)
        while (peek() or "").lower() == "and":
            take()
            value = negation(depth) and value
        return value

    def negation(depth: int) -> bool:
        if depth > MAX_CONDITION_DEPTH:
            raise ConditionError(f"nested more than {MAX_CONDITION_DEPTH} levels deep")
        tok = take()
        if tok.lower() == "not":
            return not negation(depth + 1)
        if tok == "(":
            value = disjunction(depth + 1)
            if take() != ")":
                raise ConditionError("expected `)`")
            return value
        if tok == ")" or tok.lower() in ("and", "or"):
            raise ConditionError(f"unexpected `{tok}` in condition")
        return tok in symbols

    if not toks:
        raise ConditionError("missing condition")
    result = disjunction(0)
    if pos != len(toks):
        raise ConditionError(f"unexpected `{toks[pos]}` in condition")
    return result


class Lexer:
    """Tokens of one source file (or of a range of it, for a lazy code body).

    ``depth`` counts open braces, so the driver can tell where an object ends.
    ``pp_depth`` counts open ``#if`` groups; a lazy body records it so that it
    can be lexed again later from the same preprocessor state.
    """

    __slots__ = ("source", "text", "pos", "end", "symbols", "diagnostics", "trivia",
                 "depth", "pp_depth", "open_ifs", "_peeked", "_peek_state", "_match", "_punct", "_preamble")

    def __init__(self, source: SourceFile, symbols: frozenset[str] | set[str],
                 start: int = 0, end: Optional[int] = None, pp_depth: int = 0,
                 diagnostics: Optional[list] = None, punctuation: Optional[dict] = None):
        self.source = source
        self._punct = punctuation or {p: p for p in PUNCTUATION}
        self._preamble = -1
        self.text = source.text
        self.pos = start
        self.end = len(self.text) if end is None else end
        self.symbols = set(symbols)
        self.diagnostics: list[Diagnostic] = [] if diagnostics is None else diagnostics
        self.trivia: list[Trivia] = []
        self.depth = 0
        self.pp_depth = pp_depth
        self.open_ifs: list[int] = []   # where the open #if groups start (for errors)
        self._peeked: Optional[Token] = None
        self._peek_state: tuple = ()
        self._match = _TOKEN_RE.match

    # -- public API -------------------------------------------------------
    def tokens(self) -> Iterator[Token]:
        """All remaining tokens (for tests and tools; the parser pulls with next())."""
        while True:
            tok = self.next()
            if tok[0] == "$END":
                return
            yield tok

    def peek(self) -> Token:
        if self._peeked is None:
            self._peek_state = (self.pos, self.depth, self.pp_depth, len(self.trivia), tuple(self.open_ifs))
            self._peeked = self.next()
        return self._peeked

    def next(self) -> Token:
        tok = self._peeked
        if tok is not None:
            self._peeked = None
            return tok
        text, match, end = self.text, self._match, self.end
        while True:
            m = match(text, self.pos, end)
            i = m.lastindex
            if i is None:
                self.pos = end
                return ("$END", "", end, end)
            s = m.group(i)
            self.pos = stop = m.end()
            if i == _WORD:
                return ("WORD", s, stop - len(s), stop)
            if i == _PUNCT:
                if s == "{":
                    self.depth += 1
                elif s == "}":
                    self.depth -= 1
                return (self._punct[s], s, stop - len(s), stop)
            if i == _QIDENT:
                return ("QIDENT", s, stop - len(s), stop)
            if i == _STRING:
                return ("STRING", s, stop - len(s), stop)
            if i == _NUMBER:
                return (self._number_kind(s), s, stop - len(s), stop)
            start = stop - len(s)
            if i == _HASH and self._at_line_start(start):
                self.pos = self._directive(start)
                continue
            self._bad_token(i, start, stop)

    def skip_body(self, begin: Token) -> Token:
        """After a ``begin`` word: find its matching ``end`` in the raw text.

        Returns a CODE_BODY token whose text slot holds the ``#if`` depth at
        ``begin`` (to lex the body again later) and whose span covers
        ``begin`` .. ``end``. Strings, comments and directives are honoured;
        nothing in between becomes a token.
        """
        self._unpeek()
        pp_depth = self.pp_depth
        text, end = self.text, self.end
        match = _BODY_RE.match
        nesting = 1
        pos = self.pos
        while nesting:
            m = match(text, pos, end)
            if m is None:
                self.pos = end
                self._error("ALC0102", "code body has no matching `end`", begin[2], begin[3])
                return ("CODE_BODY", pp_depth, begin[2], end)
            pos = m.end()
            i = m.lastindex
            if i == 1:
                w = m.group(1)
                if 3 <= len(w) <= 5:
                    w = w.lower()
                    if w == "end":
                        nesting -= 1
                    elif w == "begin" or w == "case":
                        nesting += 1
            elif i == 6:
                hash_pos = m.start(6)
                if self._at_line_start(hash_pos):
                    pos = self._directive(hash_pos)
            elif i == 8:
                self.pos = end
                self._error("ALC0102", "code body has no matching `end`", begin[2], begin[3])
                return ("CODE_BODY", pp_depth, begin[2], end)
        self.pos = pos
        return ("CODE_BODY", pp_depth, begin[2], pos)

    def simple_property(self, name: Token) -> Optional[Token]:
        """At a property name: the whole property when it is of the simple
        form, as one SIMPLE_PROPERTY token carrying the regex match; else None
        (and nothing is consumed)."""
        m = _SIMPLE_PROPERTY_RE.match(self.text, name[2], self.end)
        if m is None:
            return None
        self._peeked = None
        self.pos = m.end()
        return ("SIMPLE_PROPERTY", m, name[2], m.end())

    def element_head(self, keyword: Token) -> Optional[Token]:
        """At an element keyword: the keyword with its arguments as one
        ELEMENT_HEAD token when they are all plain (names, numbers, `A.B`,
        `A[n]`), carrying the regex match; else None (nothing consumed)."""
        m = _ELEMENT_HEAD_RE.match(self.text, keyword[2], self.end)
        if m is None:
            return None
        self._unpeek()
        self.pos = m.end()
        return ("ELEMENT_HEAD", m, keyword[2], m.end())

    def raw_filter(self) -> Token:
        """After ``const(`` or ``filter(``: the raw text up to the matching ``)``."""
        self._unpeek()
        text, end = self.text, self.end
        start = pos = self.pos
        nesting = 0
        while True:
            m = _FILTER_RE.match(text, pos, end)
            if m.group(1):
                nesting += 1
            elif m.group(2):
                if nesting == 0:
                    stop = m.start(2)
                    break
                nesting -= 1
            elif m.group(3) or m.group(4):
                pass
            else:  # `;`, a brace, an unterminated quote or the end: stop here
                stop = m.start(5) if m.group(5) else m.end()
                break
            pos = m.end()
        self.pos = stop
        return ("FILTER_TEXT", text[start:stop], start, stop)

    def _unpeek(self) -> None:
        """Give back a token the driver peeked at, before a raw-text scan:
        back to where the peek started, directives included."""
        if self._peeked is not None:
            self._peeked = None
            self.pos, self.depth, self.pp_depth, n_trivia, open_ifs = self._peek_state
            self.open_ifs[:] = open_ifs
            del self.trivia[n_trivia:]

    # -- the scanner ------------------------------------------------------
    @staticmethod
    def _number_kind(s: str) -> str:
        last = s[-1]
        if last.isdigit():
            return "DECIMAL" if "." in s else "INTEGER"
        suffix = s[-2:].lower() if s[-2:].lower() == "dt" else last.lower()
        return _NUMBER_KINDS[suffix]

    def _bad_token(self, i: int, start: int, stop: int) -> None:
        if i == _BAD_STRING:
            self._error("ALC0102", "string has no closing `'`", start, stop)
        elif i == _BAD_QIDENT:
            self._error("ALC0102", "quoted identifier has no closing `\"`", start, stop)
        elif i == _BAD_COMMENT:
            self._error("ALC0102", "comment has no closing `*/`", start, start + 2)
        else:
            ch = self.text[start:stop]
            self._error("ALC0103", f"unexpected character `{ch}` (U+{ord(ch):04X})", start, stop)

    def _error(self, code: str, message: str, start: int, stop: int) -> None:
        self.diagnostics.append(Diagnostic.error(code, message, Span(self.source, start, stop)))

    # -- the preprocessor -------------------------------------------------
    def _at_line_start(self, pos: int) -> bool:
        line_start = self.text.rfind("\n", 0, pos) + 1
        return not self.text[line_start:pos].strip()

    def _directive(self, start: int) -> int:
        """Handle the directive at ``start``; return where lexing goes on."""
        m = _DIRECTIVE_RE.match(self.text, start, self.end)
        stop = m.end()
        name = m.group(1).lower()
        arg = m.group(2).split("//", 1)[0].strip()
        span = Span(self.source, start, stop)
        if name == "if":
            self.pp_depth += 1
            self.open_ifs.append(start)
            self.trivia.append(Trivia(name, arg, span))
            return stop if self._condition(arg, start, stop) else self._skip_inactive(stop, start)
        if name in ("elif", "else"):
            self.trivia.append(Trivia(name, arg, span))
            if self.pp_depth == 0:
                self._error("ALC0104", f"`#{name}` without `#if`", start, stop)
                return stop
            # The branch we are in was taken, so every later branch is inactive.
            return self._skip_to_endif(stop, start)
        if name == "endif":
            self.trivia.append(Trivia(name, arg, span))
            if self.pp_depth == 0:
                self._error("ALC0104", "`#endif` without `#if`", start, stop)
            else:
                self._close_if()
            return stop
        if name in ("region", "endregion", "pragma"):
            self.trivia.append(Trivia(name, arg, span))
            return stop
        if name in ("define", "undef"):
            self.trivia.append(Trivia(name, arg, span))
            if self._token_before(start):
                self._error("ALC0106", f"`#{name}` must come before the first token of the file", start, stop)
            elif not re.fullmatch(r"[^\W\d]\w*", arg):
                self._error("ALC0104", f"`#{name}` needs one symbol name", start, stop)
            elif name == "define":
                self.symbols.add(arg)
            else:
                self.symbols.discard(arg)
            return stop
        self._error("ALC0105", f"unknown preprocessor directive `#{m.group(1)}`", start, stop)
        return stop

    def _token_before(self, pos: int) -> bool:
        """Is there a token (not a comment, blank or directive line) before ``pos``?
        (Where the preamble ends is found once: thousands of `#define` lines stay linear.)"""
        if self._preamble < 0:
            self._preamble = _PREAMBLE_RE.match(self.text, 0).end()
        return self._preamble < pos

    def _condition(self, arg: str, start: int, stop: int) -> bool:
        try:
            return evaluate_condition(arg, self.symbols)
        except ConditionError as exc:
            self._error("ALC0104", f"malformed `#if` condition: {exc}", start, stop)
            return False

    def _skip_inactive(self, pos: int, if_start: int) -> int:
        """Skip disabled text after a false condition; stop after the directive
        that makes a branch active (#elif true, #else) or closes the group."""
        nesting = 0
        for m in _INACTIVE_RE.finditer(self.text, pos, self.end):
            name = m.group(1).lower()
            span = Span(self.source, m.start(), m.end())
            if name == "if":
                nesting += 1
            elif name == "endif":
                if nesting == 0:
                    self.trivia.append(Trivia("endif", "", span))
                    self._close_if()
                    return m.end()
                nesting -= 1
            elif nesting == 0:
                arg = m.group(2).split("//", 1)[0].strip()
                self.trivia.append(Trivia(name, arg, span))
                if name == "else" or self._condition(arg, m.start(), m.end()):
                    return m.end()
        self._error("ALC0104", "`#if` has no matching `#endif`", if_start, if_start + 3)
        self._close_if()
        return self.end

    def _skip_to_endif(self, pos: int, start: int) -> int:
        nesting = 0
        for m in _INACTIVE_RE.finditer(self.text, pos, self.end):
            name = m.group(1).lower()
            if name == "if":
                nesting += 1
            elif name == "endif":
                if nesting == 0:
                    self.trivia.append(Trivia("endif", "", Span(self.source, m.start(), m.end())))
                    self._close_if()
                    return m.end()
                nesting -= 1
        if_start = self.open_ifs[-1] if self.open_ifs else start
        self._error("ALC0104", "`#if` has no matching `#endif`", if_start, if_start + 3)
        self._close_if()
        return self.end

    def _close_if(self) -> None:
        self.pp_depth -= 1
        if self.open_ifs:
            self.open_ifs.pop()
