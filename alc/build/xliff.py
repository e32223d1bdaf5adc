"""`alc xliff`: a project's generated translation file from its app.json and
sources alone (translators and CI refresh the `.g.xlf` with it)."""

from __future__ import annotations

import os
from typing import Iterable, Optional

from ..diagnostics import Diagnostic
from ..emit.resources import TRANSLATIONS_FOLDER, _feature, generated_translation
from ..emit.xliff import keyed_units
from .compiler import project_sources
from .project import load_app_json

__all__ = ["project_xliff"]


def project_xliff(project: str, defines: Iterable[str] = ()) -> tuple[Optional[str], Optional[bytes], list]:
    """`alc xliff`: the generated translation file of a project, from its
    app.json and sources alone (no dependencies needed). Returns the file's
    default path (`<project>/Translations/<App name>.g.xlf`), its bytes, and
    the diagnostics; bytes are None when app.json or a source has errors."""
    from ..diagnostics import has_errors
    from ..syntax.files import parse_unit
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
    keyed = keyed_units(objects, locked=_feature(manifest, "GenerateLockedTranslations"),
                        captions=_feature(manifest, "GenerateCaptions"))
    return target, generated_translation(manifest, keyed)[1], diagnostics
