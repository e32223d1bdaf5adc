"""Per-rule reduce callbacks, precomputed from the grammar.

They follow Lark's tree-shaping rules (literals dropped, `_rule` spliced into
its parent, `?rule` with one child passed through, `[x]` giving None when
absent) but are specialised per rule once, instead of going through Lark's
generic wrappers on every reduction; spliced rules hand their parent a plain
list rather than a Tree.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable, Optional

import lark

__all__ = ["make_callbacks", "is_passthrough", "fast_shape"]

# How the compiled loop (_accel.pyx) may build a rule's value itself, with the
# same result as the rule's callback (see fast_shape).
OUT_CALLBACK, OUT_LIST, OUT_CALL, OUT_CALL_OR_SINGLE = 0, 1, 2, 3
SELECT_ALL, SELECT_PICK, SELECT_PLAN, SELECT_APPEND = 0, 1, 2, 3


def _spliced(sym: Any) -> bool:
    return not sym.is_term and sym.name.startswith("_")


def is_passthrough(rule: Any) -> bool:
    """`?rule: child` with exactly one kept, non-spliced child: its value is the child's."""
    if len(rule.expansion) != 1 or not rule.options.expand1 or rule.alias:
        return False
    sym = rule.expansion[0]
    return not (sym.is_term and sym.filter_out) and not _spliced(sym)


def _plan(rule: Any) -> tuple[list, int]:
    """(index, splice, nones_before) for each kept child, and the trailing Nones."""
    expansion = rule.expansion
    empty = rule.options.empty_indices
    if empty:
        runs = "".join(str(int(b)) for b in empty).split("0")
        nones = [len(r) for r in runs]
    else:
        nones = [0] * (len(expansion) + 1)
    keep_all = rule.options.keep_all_tokens
    plan, pending = [], 0
    for i, sym in enumerate(expansion):
        pending += nones[i]
        if keep_all or not (sym.is_term and sym.filter_out):
            plan.append((i, _spliced(sym), pending))
            pending = 0
    return plan, pending + nones[len(expansion)]


def _filter(rule: Any) -> Callable[[list], list]:
    plan, trailing = _plan(rule)
    n = len(rule.expansion)
    simple = not trailing and all(not splice and not nones for _, splice, nones in plan)
    if simple:
        if len(plan) == n:
            return lambda children: children
        if not plan:
            return lambda children: []
        if len(plan) == 1:
            i = plan[0][0]
            return lambda children: [children[i]]
        getter = itemgetter(*(i for i, _, _ in plan))
        return lambda children: list(getter(children))

    if plan and plan[0][1] and plan[0][0] == 0 and not plan[0][2]:
        # A left-recursive list (`x*` helpers: `__x_star: __x_star x`): the
        # first child is the list so far; extend it in place (LALR values are
        # never shared), so a list of n items costs O(n), not O(n^2).
        rest = plan[1:]

        def accumulate(children: list) -> list:
            out = children[0]
            for i, splice, nones in rest:
                if nones:
                    out.extend([None] * nones)
                if splice:
                    out.extend(children[i])
                else:
                    out.append(children[i])
            if trailing:
                out.extend([None] * trailing)
            return out
        return accumulate

    def general(children: list) -> list:
        out: list = []
        for i, splice, nones in plan:
            if nones:
                out.extend([None] * nones)
            if splice:
                out.extend(children[i])
            else:
                out.append(children[i])
        if trailing:
            out.extend([None] * trailing)
        return out
    return general


def make_callback(rule: Any, transformer: Any) -> Callable[[list], Any]:
    name = str(rule.alias or rule.origin.name)
    select = _filter(rule)
    if str(rule.origin.name).startswith("_") and not rule.alias:
        return select  # spliced into the parent: a plain list
    method: Optional[Callable] = getattr(transformer, name, None) if transformer is not None else None
    expand1 = rule.options.expand1 and not rule.alias
    if method is None:
        def build(children: list) -> Any:
            kept = select(children)
            if expand1 and len(kept) == 1:
                return kept[0]
            return lark.Tree(name, kept)
        return build
    if expand1:
        def single_or_call(children: list) -> Any:
            kept = select(children)
            return kept[0] if len(kept) == 1 else method(kept)
        return single_or_call
    if select is not None and getattr(select, "__name__", "") == "<lambda>" and len(_plan(rule)[0]) == len(rule.expansion) \
            and not _plan(rule)[1] and all(not s and not k for _, s, k in _plan(rule)[0]):
        return method  # every child kept as is: call the method directly
    return lambda children: method(select(children))


def fast_shape(rule: Any, transformer: Any) -> tuple:
    """``(out, select, method, data, trailing)``: the steps of the rule's
    callback, for the compiled loop to take without calling it.

    ``select``: SELECT_ALL keeps every child, SELECT_PICK the children at
    ``data`` (positions), SELECT_PLAN follows ``data`` (``_plan``: position,
    splice, Nones before) and adds ``trailing`` Nones, SELECT_APPEND appends
    the children at ``data`` to the list that is the first child (left-recursive
    list helpers). ``out``: OUT_LIST gives the kept children (a spliced
    `_rule`), OUT_CALL ``method(kept)``, OUT_CALL_OR_SINGLE the same but
    one kept child passes through (`?rule`), OUT_CALLBACK: call the callback.

    >>> from alc.syntax.grammar import load_grammar
    >>> def shapes(name): return sorted({fast_shape(r, None)[:2] for _, _, r in load_grammar().rules
    ...                                  if str(r.origin.name) == name})
    >>> shapes("_exprs"), shapes("object")
    ([(1, 0), (1, 2)], [(0, 0)])
    """
    plan, trailing = _plan(rule)
    n = len(rule.expansion)
    simple = not trailing and all(not splice and not nones for _, splice, nones in plan)
    if simple:
        select, data = (SELECT_ALL, None) if len(plan) == n else (SELECT_PICK, tuple(i for i, _, _ in plan))
    elif plan and plan[0][1] and plan[0][0] == 0 and not plan[0][2]:
        select, data = SELECT_APPEND, tuple(plan[1:])
    else:
        select, data = SELECT_PLAN, tuple(plan)
    if str(rule.origin.name).startswith("_") and not rule.alias:
        return OUT_LIST, select, None, data, trailing
    name = str(rule.alias or rule.origin.name)
    method = getattr(transformer, name, None) if transformer is not None else None
    if method is None:
        return OUT_CALLBACK, SELECT_ALL, None, None, 0
    expand1 = rule.options.expand1 and not rule.alias
    return (OUT_CALL_OR_SINGLE if expand1 else OUT_CALL), select, method, data, trailing


def make_callbacks(rules: list, transformer: Any) -> list:
    return [make_callback(rule, transformer) for rule in rules]


def _nothing(children: list) -> None:
    return None


def recognizer_callbacks(rules: list) -> list:
    """Callbacks that build nothing: for checking syntax only (code bodies at compile time)."""
    return [_nothing for _ in rules]
