"""Code analysis: binding and checking the code inside procedures and triggers
(see ``bind``), run by the compile workers on the IR they hold."""

from __future__ import annotations

__all__ = ["analyze_code"]


def analyze_code(ctx, bodies=()) -> dict:
    """Bind the code bodies of ``ctx.objects`` (their syntax checked as they are parsed); report into
    ``ctx.diagnostics``. ``bodies`` are the share's lazy bodies: any the object walk does not reach is
    still syntax-checked. Returns the counts (bodies, references)."""
    import sys
    from ...syntax.api import check_body
    from .bind import check_code
    seen: set = set()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 8000))   # long `a + b + ...` chains nest deep
    try:
        diagnostics, stats = check_code(ctx.objects, ctx.table, seen=seen)
    finally:
        sys.setrecursionlimit(limit)
    ctx.diagnostics.extend(diagnostics)
    for body in bodies:
        if id(body) not in seen:
            ctx.diagnostics.extend(check_body(body))
    return {"bodies": stats.bodies, "references": stats.references, "skipped": stats.skipped}
