# cython: language_level=3, wraparound=False
"""The compiled accelerator of the parser's hot loop (optional).

Built from this file by Cython where a C compiler is present at install
time (pyproject.toml, ext-modules); parse.accelerator() finds it, and
``ALC_PURE_PYTHON=1`` leaves it unused. What it holds are twins of
pure-Python code, step for step:

- ``run``: ``Driver._run`` (parse.py), with ``Driver._viable``,
  ``_simulate`` and ``_resolve_name``, and the steps of the simple rule
  callbacks (callbacks.fast_shape) taken here instead of in Python;
- ``_scan``: the plain tokens of ``Lexer.next`` (ASCII words, quoted names,
  strings, numbers, punctuation, with blanks and comments before them);
  everything else is left to ``Lexer.next``: directives, non-ASCII text,
  unterminated strings and comments, the end of the text. What it leaves
  is decided by the text alone, so both paths read the same tokens;
- ``_skip_body``: ``Lexer.skip_body`` (directives still go through the lexer).

The same callbacks run in the same order, so the IR is the same;
tests/test_accel.py parses the same inputs both ways and compares.
"""

from cpython.dict cimport PyDict_GetItem
from cpython.list cimport PyList_GetSlice
from cpython.object cimport PyObject
from cpython.unicode cimport Py_UNICODE_ISALNUM

from .lexer import _ELEMENT_HEAD_RE, _SIMPLE_PROPERTY_RE
from .parse import SyntaxFailure


cdef extern from "Python.h":
    int PyList_SetSlice(object items, Py_ssize_t low, Py_ssize_t high, PyObject* replacement) except -1


cdef object _simple_property_match = _SIMPLE_PROPERTY_RE.match
cdef object _element_head_match = _ELEMENT_HEAD_RE.match

cdef inline bint _word_start(Py_UCS4 c):
    return (c >= u'a' and c <= u'z') or (c >= u'A' and c <= u'Z') or c == u'_'


cdef inline bint _word_char(Py_UCS4 c):
    return (c >= u'a' and c <= u'z') or (c >= u'A' and c <= u'Z') or c == u'_' or (c >= u'0' and c <= u'9')


cdef inline bint _digit(Py_UCS4 c):
    return c >= u'0' and c <= u'9'


cdef inline bint _blank(Py_UCS4 c):
    # Python's \s on ASCII: space, \t \n \v \f \r and \x1c-\x1f
    return c == u' ' or (c >= u'\t' and c <= u'\r') or (c >= u'\x1c' and c <= u'\x1f')


cdef object _scan(object lexer, str text, Py_ssize_t end, dict punct):
    """The next plain token at ``lexer.pos`` (lexer state updated), or None:
    then ``Lexer.next`` reads it (nothing has changed)."""
    cdef Py_ssize_t pos = lexer.pos
    cdef Py_ssize_t start
    cdef Py_UCS4 c, d
    cdef bint dot
    while pos < end:
        c = text[pos]
        if _blank(c):
            pos += 1
        elif c == u'/' and pos + 1 < end:
            d = text[pos + 1]
            if d == u'/':
                pos += 2
                while pos < end and text[pos] != u'\n':
                    pos += 1
            elif d == u'*':
                start = text.find(u"*/", pos + 2, end)
                if start < 0:
                    return None
                pos = start + 2
            else:
                break
        else:
            break
    if pos >= end:
        return None
    start = pos
    c = text[pos]
    if _word_start(c):
        pos += 1
        while pos < end:
            c = text[pos]
            if _word_char(c):
                pos += 1
            elif c >= 128:
                return None     # a word may go on in Unicode: the regex decides
            else:
                break
        lexer.pos = pos
        return ("WORD", text[start:pos], start, pos)
    if c == u'"' or c == u"'":
        pos += 1
        while True:
            if pos >= end:
                return None
            d = text[pos]
            if d == c:
                if pos + 1 < end and text[pos + 1] == c:
                    pos += 2
                    continue
                pos += 1
                break
            if d == u'\n' and c == u'"':
                return None
            pos += 1
        lexer.pos = pos
        return ("QIDENT" if c == u'"' else "STRING", text[start:pos], start, pos)
    if _digit(c):
        pos += 1
        dot = False
        while pos < end and _digit(text[pos]):
            pos += 1
        if pos < end:
            c = text[pos]
            if c >= 128:
                return None
            if c == u'.' and pos + 1 < end:
                d = text[pos + 1]
                if d >= 128:
                    return None
                if _digit(d):
                    dot = True
                    pos += 2
                    while pos < end and _digit(text[pos]):
                        pos += 1
                    if pos < end and text[pos] >= 128:
                        return None
        kind = "DECIMAL" if dot else "INTEGER"
        if pos < end:
            c = text[pos]
            if c == u'd' or c == u'D':
                if pos + 1 < end and (text[pos + 1] == u't' or text[pos + 1] == u'T'):
                    pos += 2
                    kind = "DATETIME"
                else:
                    pos += 1
                    kind = "DATE"
            elif c == u't' or c == u'T':
                pos += 1
                kind = "TIME"
            elif c == u'l' or c == u'L':
                pos += 1
                kind = "BIGINT"
        lexer.pos = pos
        return (kind, text[start:pos], start, pos)
    # punctuation
    if pos + 1 < end:
        d = text[pos + 1]
        if (d == u'=' and (c == u':' or c == u'+' or c == u'-' or c == u'*' or c == u'/' or c == u'<' or c == u'>')) \
                or (c == u':' and d == u':') or (c == u'.' and d == u'.') or (c == u'<' and d == u'>'):
            s = text[start:pos + 2]
            lexer.pos = pos + 2
            return (punct[s], s, start, pos + 2)
    if c == u'{':
        lexer.depth += 1
    elif c == u'}':
        lexer.depth -= 1
    elif not (c == u';' or c == u'(' or c == u')' or c == u',' or c == u'.' or c == u':' or c == u'='
              or c == u'[' or c == u']' or c == u'-' or c == u'+' or c == u'*' or c == u'<' or c == u'>'
              or c == u'?' or c == u'|' or c == u'&' or c == u'@' or c == u'/'):
        return None
    s = text[start:pos + 1]
    lexer.pos = pos + 1
    return (punct[s], s, start, pos + 1)


cdef inline bint _body_word(Py_UCS4 c):
    # Python's \w: what _BODY_RE (lexer.py) reads as part of a word
    if c < 128:
        return _word_char(c)
    return Py_UNICODE_ISALNUM(c)


cdef inline Py_UCS4 _lower(Py_UCS4 c):
    return <Py_UCS4>(<unsigned int>c + 32) if c >= u'A' and c <= u'Z' else c


cdef object _skip_body(object lexer, object begin, str text, Py_ssize_t end):
    """``lexer.skip_body(begin)``: the same scan of words, strings, comments
    and directives, in C (directives still go through the lexer)."""
    lexer._unpeek()
    cdef object pp_depth = lexer.pp_depth
    cdef Py_ssize_t pos = lexer.pos, start, n
    cdef Py_ssize_t nesting = 1
    cdef Py_UCS4 c, c0, c1, c2, c3, c4
    while nesting:
        # blanks and other characters that are neither word, quote, `/` nor `#`
        while pos < end:
            c = text[pos]
            if c == u"'" or c == u'"' or c == u'/' or c == u'#' or _body_word(c):
                break
            pos += 1
        if pos >= end:
            break   # no token left: the body has no `end`
        c = text[pos]
        if c == u"'" or c == u'"':
            start = pos
            pos += 1
            while pos < end:
                c1 = text[pos]
                if c1 == c:
                    break
                if c1 == u'\n' and c == u'"':
                    pos = end   # an unterminated quoted name: the body has no `end`
                    break
                pos += 1
            if pos >= end:
                break
            pos += 1
        elif c == u'/':
            if pos + 1 < end and text[pos + 1] == u'/':
                pos += 2
                while pos < end and text[pos] != u'\n':
                    pos += 1
            elif pos + 1 < end and text[pos + 1] == u'*':
                start = text.find(u"*/", pos + 2, end)
                pos = start + 2 if start >= 0 else pos + 1
            else:
                pos += 1
        elif c == u'#':
            if lexer._at_line_start(pos):
                pos = lexer._directive(pos)
            else:
                pos += 1
        else:
            start = pos
            pos += 1
            while pos < end and _body_word(text[pos]):
                pos += 1
            n = pos - start
            if n == 3:
                if _lower(text[start]) == u'e' and _lower(text[start + 1]) == u'n' and _lower(text[start + 2]) == u'd':
                    nesting -= 1
            elif n == 4:
                if _lower(text[start]) == u'c' and _lower(text[start + 1]) == u'a' \
                        and _lower(text[start + 2]) == u's' and _lower(text[start + 3]) == u'e':
                    nesting += 1
            elif n == 5:
                if _lower(text[start]) == u'b' and _lower(text[start + 1]) == u'e' and _lower(text[start + 2]) == u'g' \
                        and _lower(text[start + 3]) == u'i' and _lower(text[start + 4]) == u'n':
                    nesting += 1
    if nesting:
        lexer.pos = end
        lexer._error("ALC0102", "code body has no matching `end`", begin[2], begin[3])
        return ("CODE_BODY", pp_depth, begin[2], end)
    lexer.pos = pos
    return ("CODE_BODY", pp_depth, begin[2], pos)


def skip_body(lexer, begin):
    """``lexer.skip_body(begin)`` (for tests: both give the same token)."""
    return _skip_body(lexer, begin, lexer.text, lexer.end)


def next_token(lexer):
    """``lexer.next()``, with plain tokens read here."""
    if lexer._peeked is None:
        tok = _scan(lexer, lexer.text, lexer.end, lexer._punct)
        if tok is not None:
            return tok
    return lexer.next()


cdef inline object _next(object lexer, str text, Py_ssize_t end, dict punct):
    cdef object tok
    if lexer._peeked is None:
        tok = _scan(lexer, text, end, punct)
        if tok is not None:
            return tok
    return lexer.next()


cdef object _peek(object lexer, str text, Py_ssize_t end, dict punct):
    """``lexer.peek()``, with plain tokens read here."""
    cdef object tok = lexer._peeked
    if tok is None:
        lexer._peek_state = (lexer.pos, lexer.depth, lexer.pp_depth, len(lexer.trivia), tuple(lexer.open_ifs))
        tok = _scan(lexer, text, end, punct)
        if tok is None:
            tok = lexer.next()
        lexer._peeked = tok
    return tok


cdef object _select(list children, Py_ssize_t select, object data, Py_ssize_t trailing):
    """The kept children of a reduction (callbacks._filter, step by step)."""
    cdef list out
    cdef tuple step
    cdef Py_ssize_t k, nones
    if select == 0:
        return children
    if select == 1:
        return [children[i] for i in <tuple>data]
    if select == 3:
        out = children[0]
    else:
        out = []
    for step in <tuple>data:
        nones = step[2]
        for k in range(nones):
            out.append(None)
        if step[1]:
            out.extend(children[<Py_ssize_t>step[0]])
        else:
            out.append(children[<Py_ssize_t>step[0]])
    for k in range(trailing):
        out.append(None)
    return out


cdef object _reduce(tuple rule, list children):
    """The value of a reduction: callbacks.fast_shape's steps, or the callback."""
    cdef Py_ssize_t out_mode = rule[3]
    cdef object kept
    if out_mode == 0:
        return rule[2](children)
    kept = _select(children, rule[4], rule[6], rule[7])
    if out_mode == 1:
        return kept
    if out_mode == 3 and len(kept) == 1:
        return kept[0]
    return rule[5](kept)


cdef object _word_kind(dict words, dict keywords, str word):
    """``keywords.get(word.lower())``, remembered per spelling (words repeat: one
    lookup instead of a lowercase copy and a lookup)."""
    cdef PyObject* found = PyDict_GetItem(words, word)
    if found != NULL:
        return <object>found
    kw = keywords.get(word.lower())
    if len(words) < 200000:
        words[word] = kw
    return kw


cdef object _simulate(tuple actions, tuple rules, list states, object kind):
    """Driver._simulate: the state stack after shifting ``kind``, or None."""
    cdef list stack = states[len(states) - 40:] if len(states) > 40 else list(states)
    cdef PyObject* found
    cdef Py_ssize_t ia, size, n
    cdef tuple rule
    while True:
        found = PyDict_GetItem(<dict>actions[stack[len(stack) - 1]], kind)
        if found == NULL:
            return None
        ia = <object>found
        if ia >= 0:
            stack.append(<object>found)
            return stack
        rule = rules[-1 - ia]
        size = rule[1]
        if size:
            n = len(stack)
            if size >= n:
                return None
            PyList_SetSlice(stack, n - size, n, NULL)
        stack.append((<dict>actions[stack[len(stack) - 1]])[rule[0]])


cdef bint _viable(self, tuple actions, tuple rules, dict keywords, list states, object kind, tuple nxt) except -1:
    """Driver._viable: would the parser accept ``kind`` and then ``nxt``?"""
    cdef PyObject* found = PyDict_GetItem(<dict>actions[states[len(states) - 1]], kind)
    cdef dict follow
    cdef object kw, b, stack, k
    cdef list hits
    if found == NULL:
        return False
    cdef Py_ssize_t a = <object>found
    nkind = nxt[0]
    if a >= 0 and nkind != "$END":
        follow = actions[a]
        if nkind == "WORD":
            kw = keywords.get(nxt[1].lower())
            hits = [follow[k] for k in (kw, "IDENT", "PROP_NAME") if k in follow]
            if not hits:
                return False
            for b in hits:
                if b >= 0:
                    return True
        else:
            b = follow.get(nkind)
            if b is None or b >= 0:
                return b is not None
    stack = _simulate(actions, rules, states, kind)
    if stack is None:
        return False
    if nkind == "$END":
        return True
    if nkind != "WORD":
        return _simulate(actions, rules, stack, nkind) is not None
    kw = keywords.get(nxt[1].lower())
    for k in (kw, "IDENT", "PROP_NAME"):
        if k and _simulate(actions, rules, stack, k) is not None:
            return True
    return False


cdef object _resolve_name(self, tuple actions, tuple rules, dict keywords, list states, dict acts, tuple nxt,
                          object equal):
    """Driver._resolve_name: a word that is not a keyword here."""
    if "PROP_NAME" in acts and nxt[0] == equal and _viable(self, actions, rules, keywords, states, "PROP_NAME", nxt):
        return "PROP_NAME"
    return "IDENT" if "IDENT" in acts else "PROP_NAME"


def run(self, lexer, tok, Py_ssize_t start_state, Py_ssize_t end_state, bint lazy_bodies, bint item_mode):
    """``Driver._run`` (see parse.py, which documents each step)."""
    cdef tuple actions = self.actions
    cdef tuple rules = self.fast_rules
    cdef tuple all_rules = self.rules
    cdef dict words = self._word_kinds
    cdef dict keywords = self.keywords
    cdef frozenset filter_states = self.filter_states
    cdef object rbrace = self.rbrace, semicolon = self.semicolon
    cdef dict unit_chains = self._unit_chains
    cdef frozenset reserved = self.reserved
    cdef object equal = self.equal
    cdef frozenset element_kinds = self.element_kinds
    cdef bint simple_property = self.simple_properties
    cdef str text = lexer.text
    cdef Py_ssize_t end = lexer.end
    cdef dict punct = lexer._punct
    cdef list states = [start_state]
    cdef list values = []
    cdef dict acts = actions[start_state]
    cdef object kind, kw, a, origin, callback, goto, key, match, stop
    cdef list children
    cdef tuple rule
    cdef PyObject* found
    cdef Py_ssize_t size, ia, n
    while True:
        kind = tok[0]
        if kind == "WORD":
            kw = _word_kind(words, keywords, tok[1])
            if kw is not None and kw in acts:
                if kw not in reserved and ("IDENT" in acts or "PROP_NAME" in acts) \
                        and ("IDENT" in acts or _peek(lexer, text, end, punct)[0] == equal) \
                        and not _viable(self, actions, all_rules, keywords, states, kw,
                                        _peek(lexer, text, end, punct)):
                    kind = _resolve_name(self, actions, all_rules, keywords, states, acts,
                                         _peek(lexer, text, end, punct), equal)
                elif kw == "BEGIN" and lazy_bodies and "CODE_BODY" in acts:
                    kind = "CODE_BODY"
                    tok = _skip_body(lexer, tok, text, lexer.end)
                else:
                    kind = kw
            elif "PROP_NAME" in acts:
                kind = "PROP_NAME" if "IDENT" not in acts else _resolve_name(
                    self, actions, all_rules, keywords, states, acts, _peek(lexer, text, end, punct), equal)
            else:
                kind = "IDENT"
            if kind == "PROP_NAME" and simple_property and "SIMPLE_PROPERTY" in acts:
                # Lexer.simple_property
                match = _simple_property_match(text, tok[2], end)
                if match is not None:
                    lexer._peeked = None
                    stop = match.end()
                    lexer.pos = stop
                    tok, kind = ("SIMPLE_PROPERTY", match, tok[2], stop), "SIMPLE_PROPERTY"
            elif kind in element_kinds and simple_property and "ELEMENT_HEAD" in acts:
                # Lexer.element_head
                match = _element_head_match(text, tok[2], end)
                if match is not None:
                    if lexer._peeked is not None:
                        lexer._unpeek()
                    stop = match.end()
                    lexer.pos = stop
                    tok, kind = ("ELEMENT_HEAD", match, tok[2], stop), "ELEMENT_HEAD"
        elif kind == "$END":
            return self._finish(lexer, states, values, tok, tok, end_state), tok
        while True:
            found = PyDict_GetItem(acts, kind)
            if found == NULL:
                raise SyntaxFailure(self._error(lexer, tok, states[len(states) - 1]), tok)
            a = <object>found
            ia = a
            if ia >= 0:
                break
            rule = rules[-1 - ia]
            origin = rule[0]
            callback = rule[2]
            if callback is None:
                n = len(states)
                key = (states[n - 2], states[n - 1], kind)
                found = PyDict_GetItem(unit_chains, key)
                if found == NULL:
                    goto = self._unit_chain(states[n - 2], origin, kind)
                    unit_chains[key] = goto
                else:
                    goto = <object>found
                states[n - 1] = goto
            else:
                size = rule[1]
                if size:
                    n = len(values)
                    children = PyList_GetSlice(values, n - size, n)
                    PyList_SetSlice(values, n - size, n, NULL)
                    n = len(states)
                    PyList_SetSlice(states, n - size, n, NULL)
                else:
                    children = []
                values.append(_reduce(rule, children))
                goto = <object>PyDict_GetItem(<dict>actions[states[len(states) - 1]], origin)
                states.append(goto)
            acts = actions[goto]
        states.append(a)
        values.append(tok)
        acts = actions[ia]
        if a in filter_states:
            tok = lexer.raw_filter()
        elif (kind == rbrace or kind == semicolon) and item_mode and lexer.depth <= 0:
            nxt = _next(lexer, text, end, punct)
            return self._finish(lexer, states, values, tok, nxt, end_state), nxt
        else:
            tok = _next(lexer, text, end, punct)
