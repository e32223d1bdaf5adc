"""Reading and writing `.app` packages: container, manifest, symbols, metadata;
the package cache (folders of packages). Nothing here imports the compiler or the merge engine.

>>> from alc.package import read_package, write_package, NavxManifest, SymbolReference
"""

# symbols first: its submodules (symbols_json, symbols_ir) import the model from it.
from .symbols import SymbolReference, read_symbols, symbols_from_ir, write_symbols  # noqa: F401
from .container import app_bytes, open_container, read_container, write_app  # noqa: F401
from .errors import DEFAULT_LIMITS, Limits, PackageError, RuntimePackageError  # noqa: F401
from .manifest import NavxManifest, read_manifest, write_manifest  # noqa: F401
from .reader import Package, read_package  # noqa: F401
from .writer import write_package  # noqa: F401

__all__ = ["SymbolReference", "read_symbols", "write_symbols", "symbols_from_ir", "app_bytes", "write_app",
           "read_container", "open_container", "PackageError", "RuntimePackageError", "Limits", "DEFAULT_LIMITS",
           "NavxManifest", "read_manifest", "write_manifest", "Package", "read_package", "write_package"]
