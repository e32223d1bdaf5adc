"""The app model: an app's identity, version, dependencies and manifest fields.

The ground every stage stands on: `app.json` reading (:mod:`alc.build.project`),
`NavxManifest.xml` reading and writing (:mod:`alc.package.manifest`), the
merge engine and the server all speak of apps in these terms. It imports
nothing of alc.

>>> Version.parse("26.0.0.0") > Version.parse("25.5.0.0")
True
>>> normalize_guid("{63CA2FA4-4F03-4F2B-A480-172FEF340D3F}")
'63ca2fa4-4f03-4f2b-a480-172fef340d3f'
"""

from __future__ import annotations

import re
from typing import Optional

import attrs

__all__ = ["Version", "IdRange", "Dependency", "Module", "ResourceExposurePolicy", "SourceInfo", "BuildInfo",
           "AppManifest", "normalize_guid", "guid_from_hex", "KNOWN_FEATURES", "TARGETS", "MAX_INT32"]

MAX_INT32 = 2_147_483_647
_GUID_RE = re.compile(r"^\{?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}?$")
_HEX32_RE = re.compile(r"^[0-9a-fA-F]{32}$")
_VERSION_RE = re.compile(r"^([0-9]{1,10})\.([0-9]{1,10})\.([0-9]{1,10})\.([0-9]{1,10})$")  # ASCII digits only

KNOWN_FEATURES = ("ExcludeGeneratedTranslations", "GenerateCaptions", "GenerateLockedTranslations",
                  "NoImplicitWith", "NoPromotedActionProperties", "TranslationFile")
"""`features` values the AL compiler knows (canonical spelling)."""

TARGETS = ("Cloud", "OnPrem", "Internal", "Extension")
"""`target` values; `Extension` is what older compilers write for no target."""


def normalize_guid(text: str) -> str:
    """A GUID in lowercase 8-4-4-4-12 form; ValueError when malformed.

    >>> normalize_guid("{63CA2FA4-4F03-4F2B-A480-172FEF340D3F}")
    '63ca2fa4-4f03-4f2b-a480-172fef340d3f'
    """
    m = _GUID_RE.match(text) if isinstance(text, str) else None
    if m is None or (text.startswith("{") != text.endswith("}")):
        raise ValueError(f"not a GUID: {text!r}")
    return "-".join(m.groups()).lower()


def guid_from_hex(text: str) -> str:
    """A GUID written as 32 hex digits (as in `#appid#name` targets), normalized.

    >>> guid_from_hex("5ECFC8715D8243F19C5459685E82318D")
    '5ecfc871-5d82-43f1-9c54-59685e82318d'
    """
    if not _HEX32_RE.match(text):
        raise ValueError(f"not a GUID: {text!r}")
    t = text.lower()
    return f"{t[:8]}-{t[8:12]}-{t[12:16]}-{t[16:20]}-{t[20:]}"



def is_id_text(text: str) -> bool:
    """Whether ``text`` names an object by id: ASCII digits that ``int`` takes
    (`isdigit` alone lets `²` and 5,000-digit strings through).

    >>> is_id_text("18"), is_id_text("²"), is_id_text("9" * 30)
    (True, False, False)
    """
    return 0 < len(text) <= 18 and text.isascii() and text.isdigit()

@attrs.frozen(order=True)
class Version:
    """`Major.Minor.Build.Revision`, compared numerically.

    >>> Version.parse("1.10.0.0") > Version.parse("1.9.9.9")
    True
    """
    major: int
    minor: int
    build: int
    revision: int

    @classmethod
    def parse(cls, text: str) -> "Version":
        m = _VERSION_RE.match(text) if isinstance(text, str) else None
        if m is None:
            raise ValueError(f"not a version: {text!r}")
        parts = [int(p) for p in m.groups()]
        if any(p > MAX_INT32 for p in parts):
            raise ValueError(f"version part too large: {text!r}")
        return cls(*parts)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.build}.{self.revision}"


@attrs.frozen
class IdRange:
    """An allowed object id range, both ends included."""
    start: int
    end: int

    def contains(self, object_id: int) -> bool:
        return self.start <= object_id <= self.end

    def overlaps(self, other: "IdRange") -> bool:
        return self.start <= other.end and other.start <= self.end


@attrs.frozen
class Dependency:
    """A dependency; ``version`` is the minimum version."""
    id: str
    name: str
    publisher: str
    version: Version


@attrs.frozen
class Module:
    """An `internalsVisibleTo` entry."""
    id: str
    name: str = ""
    publisher: str = ""


@attrs.frozen
class ResourceExposurePolicy:
    allow_debugging: bool = False
    allow_downloading_source: bool = False
    include_source_in_symbol_file: bool = False
    apply_to_dev_extension: bool = False


@attrs.frozen
class SourceInfo:
    repository_url: str = ""
    commit: str = ""


@attrs.frozen
class BuildInfo:
    by: str = ""
    url: str = ""


@attrs.frozen
class AppManifest:
    """The validated app.json. GUIDs are lowercase; absent strings are ``""``.

    ``show_my_code`` and ``resource_exposure_policy`` hold effective values:
    a legacy ``showMyCode: true`` without a policy allows debugging,
    downloading source and source in symbols (alc's reading of the legacy
    flag, which those three settings replaced)."""
    id: str
    name: str
    publisher: str
    version: Version
    brief: str = ""
    description: str = ""
    privacy_statement: str = ""
    eula: str = ""
    help: str = ""
    url: str = ""
    logo: str = ""
    context_sensitive_help_url: str = ""
    help_base_url: str = ""
    application_insights_key: str = ""
    application_insights_connection_string: str = ""
    dependencies: tuple[Dependency, ...] = attrs.field(default=(), converter=tuple)
    internals_visible_to: tuple[Module, ...] = attrs.field(default=(), converter=tuple)
    platform: Optional[Version] = None
    application: Optional[Version] = None
    runtime: Optional[str] = None
    target: Optional[str] = None
    id_ranges: tuple[IdRange, ...] = attrs.field(default=(), converter=tuple)
    features: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    preprocessor_symbols: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    suppress_warnings: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    rule_set_path: str = ""            # `ruleSetPath`: a ruleset file, relative to the project folder
    supported_locales: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    screenshots: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    key_vault_urls: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    resource_folders: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    show_my_code: bool = False
    resource_exposure_policy: ResourceExposurePolicy = ResourceExposurePolicy()
    propagate_dependencies: bool = False
    source: SourceInfo = SourceInfo()
    build: BuildInfo = BuildInfo()

    def in_id_ranges(self, object_id: int) -> bool:
        return any(r.contains(object_id) for r in self.id_ranges)

    @property
    def default_package_name(self) -> str:
        """alc.exe's default output name: `<Publisher>_<Name>_<Version>.app`."""
        return f"{self.publisher}_{self.name}_{self.version}.app"
