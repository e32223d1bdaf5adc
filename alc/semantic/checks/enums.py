"""Enum extension rules: a new value's ordinal and name are free in the
target enum and in the extensions of it that dependencies declare."""

from __future__ import annotations

from ..context import CheckContext
from ..model import fold


def check_enums(ctx: CheckContext) -> None:
    for obj in ctx.objects:
        targets = ctx.table.find("enum", obj.target) if obj.kind == "enumextension" else None
        if not targets:
            continue
        shown = targets[0].obj.name  # the enum's name, also when the extension gives its id
        names: dict = {}
        ordinals: dict = {}
        for entry in targets + ctx.table.extensions_of("enum", obj.target):
            if entry.app.is_project and entry.obj.kind == "enumextension":
                continue
            for v in entry.obj.values:
                names.setdefault(fold(v.name), entry.app)
                ordinals.setdefault(v.ordinal, entry.app)
        for value in obj.values:
            if value.id in ordinals:
                ctx.error("ALC0216", f"enum `{shown}` already has a value with ordinal `{value.id}`"
                          f"{_by(ordinals[value.id])}", value.span)
            if fold(value.name) in names:
                ctx.error("ALC0217", f"enum `{shown}` already has a value named `{value.name}`"
                          f"{_by(names[fold(value.name)])}", value.span)


def _by(app) -> str:
    return "" if app.is_project else f" (declared by `{app.name}`)"
