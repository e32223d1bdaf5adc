"""NavxManifest.xml: written like real alc output, read back safely."""

import xml.etree.ElementTree as ET

import pytest

from alc.package.errors import Limits, PackageError
from alc.package.manifest import (NAMESPACE, ManifestBuild, NavxManifest, Prerequisite, RuntimePackageInfo,
                                  read_manifest, write_manifest)
from alc.appmodel import (AppManifest, BuildInfo, Dependency, IdRange, Module, ResourceExposurePolicy, SourceInfo,
                          Version)

NS = "{" + NAMESPACE + "}"
APP = AppManifest(
    id="0f3b2c1a-0000-4000-8000-000000000001", name="Loyalty & Co", publisher="Fabrikam <EU>",
    version=Version(2, 1, 0, 7), brief="Points", description="Line one\nline two", privacy_statement="p",
    eula="e", help="h", url="u", logo="logo/Logo.png", context_sensitive_help_url="csh", help_base_url="hb",
    application_insights_connection_string="InstrumentationKey=1",
    dependencies=(Dependency("63ca2fa4-4f03-4f2b-a480-172fef340d3f", "System Application", "Microsoft",
                             Version(24, 0, 0, 0)),),
    internals_visible_to=(Module("3556cc45-0000-4000-8000-000000000009", "Loyalty Tests", "Fabrikam"),),
    platform=Version(24, 0, 0, 0), application=Version(24, 0, 0, 0), runtime="13.0", target="Cloud",
    id_ranges=(IdRange(50100, 50149), IdRange(50200, 50200)), features=("NoImplicitWith", "TranslationFile"),
    preprocessor_symbols=("CLEAN24",), suppress_warnings=("AL0432",), supported_locales=("en-US", "da-DK"),
    screenshots=("shot1.png",), key_vault_urls=("https://vault.example.com",), resource_folders=("res",),
    show_my_code=False, resource_exposure_policy=ResourceExposurePolicy(True, False, True, False),
    propagate_dependencies=True, source=SourceInfo("https://example.com/repo", "abc123"),
    build=BuildInfo("ci", "https://example.com/build/1"))

FULL = NavxManifest(
    APP, capabilities=("schemaAdds", "uiChanges", "codeAdds"),
    prerequisites=(Prerequisite("Table", "Customer", 18), Prerequisite("Page", "Customer List")),
    runtime_package=RuntimePackageInfo(Version(24, 0, 0, 0), includes_source=True),
    build=ManifestBuild(compiler_version="0.1.0"))


def test_round_trip_of_every_field():
    assert read_manifest(write_manifest(FULL)) == FULL


def test_minimal_round_trip():
    m = NavxManifest(AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "A", "P", Version(1, 0, 0, 0)))
    assert read_manifest(write_manifest(m)) == m


def test_layout_matches_real_packages():
    data = write_manifest(FULL)
    assert not data.startswith(b"\xef\xbb\xbf") and not data.startswith(b"<?xml")
    root = ET.fromstring(data)
    assert root.tag == NS + "Package"
    tags = [el.tag.replace(NS, "") for el in root]
    assert tags == ["App", "IdRanges", "Dependencies", "InternalsVisibleTo", "ScreenShots", "SupportedLocales",
                    "Features", "PreprocessorSymbols", "SuppressWarnings", "ResourceExposurePolicy", "KeyVaultUrls",
                    "Source", "Build", "AlternateIds", "ResourceFolders", "Capabilities", "Prerequisites",
                    "RuntimePackage"]
    app = root.find(NS + "App")
    assert list(app.attrib)[:7] == ["Id", "Name", "Publisher", "Brief", "Description", "Version", "CompatibilityId"]
    assert app.get("CompatibilityId") == "0.0.0.0" and app.get("ShowMyCode") == "False"
    assert app.get("Runtime") == "13.0" and app.get("Target") == "Cloud" and app.get("Platform") == "24.0.0.0"
    assert [f.text for f in root.find(NS + "Features")] == ["NOIMPLICITWITH", "TRANSLATIONFILE"]
    dep = root.find(NS + "Dependencies")[0]
    assert dep.attrib == {"Id": "63ca2fa4-4f03-4f2b-a480-172fef340d3f", "Name": "System Application",
                          "Publisher": "Microsoft", "MinVersion": "24.0.0.0", "CompatibilityId": "0.0.0.0"}
    policy = root.find(NS + "ResourceExposurePolicy")
    assert policy.attrib == {"AllowDebugging": "true", "AllowDownloadingSource": "false",
                             "IncludeSourceInSymbolFile": "true", "ApplyToDevExtension": "false"}
    assert root.find(NS + "RuntimePackage").attrib == {"Platform": "24.0.0.0", "IncludesSource": "True"}
    assert b"Timestamp" not in data          # reproducible builds carry no clock


def test_writing_is_deterministic():
    assert write_manifest(FULL) == write_manifest(FULL)


REAL_SHAPED = b"""<Package xmlns="http://schemas.microsoft.com/navx/2015/manifest"><App Id="5ECFC871-5D82-43F1-9C54-59685E82318D" Name="Kinetic Wizard" Publisher="Contoso" Brief="" Description="" Version="18.0.0.2" CompatibilityId="0.0.0.0" PrivacyStatement="" EULA="" Help="" HelpBaseUrl="" Url="" Logo="" Platform="1.0.0.0" Application="18.0.0.0" Runtime="7.0" Target="Extension" ShowMyCode="True" /><IdRanges><IdRange MinObjectId="50200" MaxObjectId="51050" /></IdRanges><Dependencies /><InternalsVisibleTo /><ScreenShots /><SupportedLocales /><Features><Feature>NOIMPLICITWITH</Feature><Feature>TRANSLATIONFILE</Feature></Features><PreprocessorSymbols /><SuppressWarnings /><KeyVaultUrls /><Source /><Build By="AL Language Extension,7.4.502459" Timestamp="2021-06-10T05:36:35.5851660Z" CompilerVersion="7.4.7.43721" /><AlternateIds /></Package>"""


def test_reads_a_real_shaped_manifest():
    m = read_manifest(REAL_SHAPED)
    a = m.app
    assert a.id == "5ecfc871-5d82-43f1-9c54-59685e82318d"
    assert (a.name, a.publisher, str(a.version), a.runtime, a.target) == (
        "Kinetic Wizard", "Contoso", "18.0.0.2", "7.0", "Extension")
    assert a.platform == Version(1, 0, 0, 0) and a.application == Version(18, 0, 0, 0)
    assert a.features == ("NoImplicitWith", "TranslationFile")
    assert a.id_ranges == (IdRange(50200, 51050),)
    # no ResourceExposurePolicy element: the legacy flag decides
    assert a.show_my_code and a.resource_exposure_policy == ResourceExposurePolicy(True, True, True, False)
    assert a.build.by == "AL Language Extension,7.4.502459"
    assert m.build == ManifestBuild("2021-06-10T05:36:35.5851660Z", "7.4.7.43721")
    assert m.runtime_package is None and m.capabilities == ()


def test_manifest_without_namespace_is_read_too():
    m = read_manifest(b'<Package><App Id="5ecfc871-5d82-43f1-9c54-59685e82318d" Name="X" Publisher="P" '
                      b'Version="1.0.0.0" /></Package>')
    assert m.app.name == "X"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Package><App Id="5ecfc871-5d82-43f1-9c54-59685e82318d" Name="&lol3;" Version="1.0.0.0" /></Package>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Package><App Id="5ecfc871-5d82-43f1-9c54-59685e82318d" Name="&x;" Version="1.0.0.0" /></Package>"""

DOCTYPE_ONLY = b"""<!DOCTYPE Package><Package><App Id="5ecfc871-5d82-43f1-9c54-59685e82318d" Version="1.0.0.0" />
</Package>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, XXE, DOCTYPE_ONLY], ids=["entities", "external", "doctype"])
def test_doctype_and_entities_are_rejected(data):
    with pytest.raises(PackageError) as info:
        read_manifest(data)
    assert info.value.code == "ALC0429"


@pytest.mark.parametrize("data, code, text", [
    (b"<Package><App", "ALC0428", "not well-formed"),
    (b"", "ALC0428", "not well-formed"),
    (b"<Manifest />", "ALC0428", "root `Manifest`"),
    (b"<Package><IdRanges /></Package>", "ALC0428", "no `App`"),
    (b'<Package><App Id="nope" Version="1.0.0.0" /></Package>', "ALC0432", "`App/@Id` is not a GUID"),
    (b'<Package><App Version="1.0.0.0" /></Package>', "ALC0432", "`App` has no `Id`"),
    (b'<Package><App Id="5ecfc871-5d82-43f1-9c54-59685e82318d" /></Package>', "ALC0432", "`App` has no `Version`"),
    (b'<Package><App Id="5ecfc871-5d82-43f1-9c54-59685e82318d" Version="1.0" /></Package>', "ALC0432",
     "`App/@Version` is not a version"),
    (b'<Package><App Id="5ecfc871-5d82-43f1-9c54-59685e82318d" Version="1.0.0.0" /><IdRanges>'
     b'<IdRange MinObjectId="a" MaxObjectId="2" /></IdRanges></Package>', "ALC0432", "is not an integer"),
    (b'<Package><App Id="5ecfc871-5d82-43f1-9c54-59685e82318d" Version="1.0.0.0" /><Dependencies>'
     b'<Dependency Id="x" /></Dependencies></Package>', "ALC0432", "`Dependency/@Id` is not a GUID"),
])
def test_malformed_manifests(data, code, text):
    with pytest.raises(PackageError) as info:
        read_manifest(data)
    assert info.value.code == code and text in info.value.message


def test_manifest_size_limit():
    with pytest.raises(PackageError) as info:
        read_manifest(write_manifest(FULL), Limits(max_xml_size=100))
    assert info.value.code == "ALC0425"
