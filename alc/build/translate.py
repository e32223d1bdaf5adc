"""`alc xliff`: the generated translation file of a project from its
app.json and sources alone (no dependencies, no compile), the same bytes a
compile packs as `Translations/<App name>.g.xlf` (see emit.xliff)."""

from __future__ import annotations

import os
from typing import Iterable, Optional

from ..diagnostics import Diagnostic, has_errors
from ..emit.resources import TRANSLATIONS_FOLDER, generated_translation, translation_features
from ..emit.xliff import keyed_units
from ..syntax.files import parse_unit
from .compiler import project_sources
from .project import load_app_json

__all__ = ["project_xliff"]


def project_xliff(project: str, defines: Iterable[str] = ()) -> tuple[Optional[str], Optional[bytes], list]:
    """The file's default path (`<project>/Translations/<App name>.g.xlf`),
    its bytes, and the diagnostics; the path is None when app.json is
    missing or unusable, the bytes None when a source has errors."""
    app_json = os.path.join(project, "app.json")
    if not os.path.isfile(app_json):
        return None, None, [Diagnostic.error("ALC0400", f"no app.json in `{project}`")]
    manifest, diagnostics = load_app_json(app_json)
    if manifest is None:
        return None, None, diagnostics
    symbols = frozenset(manifest.preprocessor_symbols) | frozenset(defines)
    objects = []
    for path in project_sources(project):
        parsed = parse_unit(path, symbols)
        diagnostics.extend(parsed.diagnostics)
        if parsed.unit is not None:
            objects.extend(parsed.unit.objects)
    target = os.path.join(project, TRANSLATIONS_FOLDER, f"{manifest.name}.g.xlf")
    if has_errors(diagnostics):
        return target, None, diagnostics
    locked, captions = translation_features(manifest)
    return target, generated_translation(manifest, keyed_units(objects, locked, captions))[1], diagnostics
