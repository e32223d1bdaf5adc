"""alc's version, at the ground: the SARIF log, the symbol cache and `alc --version` name it."""

__version__ = "0.1.0"
