"""Reading and writing `.app` packages: container, manifest, symbols, metadata;
the package cache (folders of packages). Nothing here imports the compiler or the merge engine.

>>> from alc.package import read_package, write_package, NavxManifest, SymbolReference
"""

_WHERE = {"SymbolReference": "symbols", "read_symbols": "symbols", "symbols_from_ir": "symbols",
          "write_symbols": "symbols", "app_bytes": "container", "open_container": "container",
          "read_container": "container", "write_app": "container", "DEFAULT_LIMITS": "errors", "Limits": "errors",
          "TRUSTED_LIMITS": "errors",
          "PackageError": "errors", "RuntimePackageError": "errors", "NavxManifest": "manifest",
          "read_manifest": "manifest", "write_manifest": "manifest", "Package": "reader", "read_package": "reader",
          "write_package": "writer"}

__all__ = ["SymbolReference", "read_symbols", "write_symbols", "symbols_from_ir", "app_bytes", "write_app",
           "read_container", "open_container", "PackageError", "RuntimePackageError", "Limits", "DEFAULT_LIMITS",
           "TRUSTED_LIMITS", "NavxManifest", "read_manifest", "write_manifest", "Package", "read_package",
           "write_package"]


def __getattr__(name: str):
    """The names above from their modules, imported when first used: reading a manifest or a
    metadata entry (what `alc server` does) does not load the symbol model."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list:
    return sorted(set(globals()) | set(_WHERE))
