"""The one Diagnostic type, the code registry, and renderers.

Codes are ``ALC`` plus four digits, banded by phase: 01xx syntax, 02xx
semantic, 03xx merge, 04xx emit/package, 05xx deploy, 09xx usage. A code is
never renumbered or reused; retired codes stay in the registry.

>>> from alc.source import SourceFile
>>> src = SourceFile("t.al", "table 1 X\\n{ bad }")
>>> d = Diagnostic.error("ALC0101", "unexpected `bad`", src.span(12, 15))
>>> render_concise([d], cwd=".")
't.al(2,3): error ALC0101: unexpected `bad`'
"""

from __future__ import annotations

import enum
import json
import os
from typing import Iterable, Optional, Sequence

import attrs

from .source import Span

__all__ = ["Severity", "Label", "Diagnostic", "CODES", "Code", "explain",
           "render_concise", "render_json", "render_sarif", "sort_key", "has_errors", "to_dict"]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Code:
    code: str
    title: str
    explanation: str
    retired: bool = False


def _codes(*entries: Code) -> dict[str, Code]:
    table: dict[str, Code] = {}
    for entry in entries:
        if entry.code in table:
            raise AssertionError(f"duplicate diagnostic code {entry.code}")
        table[entry.code] = entry
    return table


CODES: dict[str, Code] = _codes(
    # 01xx: reading and syntax
    Code("ALC0100", "unreadable source",
         "The file could not be read or decoded. AL files are UTF-8 (with or without BOM) or UTF-16 with a BOM."),
    Code("ALC0101", "syntax error",
         "The parser met a token that AL does not allow at that place. The object containing it is skipped; "
         "the other objects of the file are still read."),
    Code("ALC0102", "unterminated construct",
         "A string, quoted identifier, comment or object body runs to the end of the file."),
    Code("ALC0103", "unexpected character",
         "A character that is not part of any AL token."),
    Code("ALC0104", "preprocessor directive error",
         "An `#if`, `#elif`, `#else` or `#endif` is unbalanced, or its condition is malformed. "
         "Conditions may use symbols, `not`, `and`, `or` and parentheses."),
    Code("ALC0105", "unknown preprocessor directive",
         "Only #if, #elif, #else, #endif, #define, #undef, #region, #endregion and #pragma are AL directives."),
    Code("ALC0106", "misplaced #define or #undef",
         "`#define` and `#undef` are allowed only before the first token of a file."),
    Code("ALC0107", "malformed declaration",
         "An element is not allowed where it stands (a `key` outside `keys`, a `field` without a type, "
         "an action inside `layout`) or lacks a required argument."),
    Code("ALC0108", "nesting too deep",
         "Declarations (groups, data items, TableRelation alternatives) or an expression nest deeper than alc "
         "reads back from a package (128 levels of its metadata; the deepest real object, in the Base "
         "Application, nests 35). The diagnostic points at the outermost element past the limit."),
    # 02xx: semantic rules (compile)
    Code("ALC0201", "duplicate object id",
         "Object ids are unique per object type, across the app and all its dependencies."),
    Code("ALC0202", "duplicate object name",
         "Object names are unique per object type (and namespace), across the app and its dependencies."),
    Code("ALC0203", "object id outside idRanges",
         "Every object id must lie in one of the ranges of `idRanges` (or `idRange`) in app.json."),
    Code("ALC0204", "object name too long",
         "Object names may have at most 30 characters."),
    Code("ALC0205", "extension target not found",
         "The object a tableextension, pageextension, reportextension, enumextension, permissionsetextension "
         "or profileextension extends is declared neither in the app nor in its dependencies."),
    Code("ALC0206", "duplicate field id in table extension",
         "A field a table extension adds must have an id that the target table and the extensions of it "
         "in the dependencies do not use."),
    Code("ALC0207", "duplicate field name in table extension",
         "A field a table extension adds must have a name that the target table and the extensions of it "
         "in the dependencies do not use."),
    Code("ALC0208", "modify of an unknown field",
         "`modify(Field)` in a table extension must name a field of the target table."),
    Code("ALC0209", "property not changeable by an extension",
         "A table extension may change only these field properties: AllowInCustomizations, BlankZero, "
         "Caption, CaptionClass, CaptionML, ClosingDates, DataCaptionFields, Description, DrillDownPageId, "
         "LookupPageId, MaskType, OptionCaption, OptionCaptionML, TableRelation, ToolTip, ToolTipML."),
    Code("ALC0210", "anchor not found",
         "`addfirst`, `addlast`, `addafter`, `addbefore` and the `move` operations of a page extension must "
         "name a control, group, area or action of the target page, or one that an extension adds."),
    Code("ALC0211", "modify of an unknown control or action",
         "`modify(Name)` in a page extension must name a control or action of the target page."),
    Code("ALC0212", "source table not found",
         "A page's `SourceTable` must name a table of the app or its dependencies."),
    Code("ALC0213", "unknown field in page control",
         "A field control whose source is `Rec.Field` must name a field (or method) of the page's source table."),
    Code("ALC0214", "unknown table in TableRelation or CalcFormula",
         "TableRelation and CalcFormula must name tables of the app or its dependencies."),
    Code("ALC0215", "unknown field in TableRelation or CalcFormula",
         "The fields a TableRelation or CalcFormula names (target field, where conditions, field(...) "
         "references to the current table) must exist."),
    Code("ALC0216", "duplicate enum value ordinal",
         "A value an enum extension adds must have an ordinal the enum and its other extensions do not use."),
    Code("ALC0217", "duplicate enum value name",
         "A value an enum extension adds must have a name the enum and its other extensions do not use."),
    Code("ALC0218", "event publisher not found",
         "`[EventSubscriber]` must name an object (by ObjectType and reference) that exists."),
    Code("ALC0219", "event not found",
         "`[EventSubscriber]` must name an event the object publishes: a procedure with [IntegrationEvent], "
         "[BusinessEvent] or [InternalEvent], or a platform event such as OnAfterInsertEvent."),
    Code("ALC0220", "unknown object in type",
         "A Record, Codeunit, Page, Report, Query, XmlPort, Enum or Interface type must name an existing object."),
    Code("ALC0221", "possible platform object",
         "A reference resolves to no object of the app or its dependencies, and no platform System package is "
         "in the package cache, so it may be a platform object (Company, User, system codeunits...). It is a "
         "warning; with the System package present it becomes an error with the rule's own code."),
    # 023x: code bodies (alc/semantic/code)
    Code("ALC0230", "unknown field of a record",
         "`X.Name` where `X` is a record: the table (with the table extensions of this app and of its "
         "dependencies) has no field `Name`, and the table declares no procedure and Record has no built-in "
         "method of that name."),
    Code("ALC0231", "undeclared identifier",
         "A name in a code body is declared nowhere in scope: not a local, parameter, return value, global, "
         "implicit variable (Rec, xRec, CurrPage...), field of the current record, procedure of the object or "
         "of the object it extends, nor a built-in method or type. Not reported where part of the scope is "
         "unknown (a `with` on a record of an unknown table, an extension of an unknown object)."),
    Code("ALC0232", "unknown method",
         "`X.Name(...)` where `X` is a record or codeunit: the object (a table with its extensions) has no "
         "procedure `Name`, and the type has no built-in method of that name."),
    Code("ALC0233", "wrong number of arguments",
         "A user procedure is called with a number of arguments that none of its overloads takes "
         "(AL has no optional parameters for user procedures), or a built-in method with a number that none "
         "of its documented overloads takes (alc/semantic/code/data/builtins.json, from the AL reference)."),
    Code("ALC0234", "local procedure of another object",
         "`X.Proc(...)` where every procedure `Proc` of X's object is declared `local`: a local procedure can "
         "only be called from the object that declares it."),
    Code("ALC0235", "value of the wrong type",
         "A value assigned with `:=` (or returned with `exit`) whose type AL does not convert to the target's: "
         "Text to a number, Boolean, Date, Time, DateTime, Option or Enum; a number, Boolean, date or Enum to Text "
         "or Code; anything but a Boolean to a Boolean; DateTime to Date (and the other date/time pairs); a "
         "Record of another table. Judged for literals and for every expression whose type alc knows (variables, "
         "fields, calls of procedures and documented built-in methods, arithmetic); Variant and types alc does "
         "not judge are never reported."),
    Code("ALC0236", "unknown enum value or option member",
         "`Enum::X::Value`, `X::Value` or `Rec.Field::Value` where X (or the field's type) is an enum whose "
         "values (with the enum extensions of this app and its dependencies) or an option whose members do "
         "not include Value."),
    Code("ALC0237", "argument of the wrong type",
         "An argument of a call whose type AL does not convert to its parameter's (the same conversions as "
         "ALC0235), against the user procedure's declared parameters or the documented parameters of a built-in "
         "method; where several overloads take that many arguments, reported only when none accepts them."),
    Code("ALC0238", "value passed to a var parameter",
         "A `var` parameter needs a variable, field or array element: a literal, an operation, a call or an "
         "enum value passed to it has nowhere to be written back."),
    Code("ALC0239", "condition is not a Boolean",
         "The condition of `if`, `while`, `repeat ... until` or `?:` must be a Boolean; a number, text, date or "
         "record is not converted (compare it: `X <> 0`, `X <> ''`)."),
    Code("ALC0250", "operator on operands of the wrong type",
         "Arithmetic on operands it does not apply to (`*`, `/`, `div`, `mod` and unary `-` need numbers; `+` "
         "numbers, texts, or a date/time and a number; `-` numbers, or a date/time and a number or the same "
         "date/time type), `and`/`or`/`xor`/`not` on non-Booleans, or a comparison between types neither of "
         "which converts to the other (Text and Integer, Boolean and Integer, Date and Time), also between `X` and "
         "the elements of `X in [...]`."),
    Code("ALC0251", "case label of the wrong type",
         "A label of `case X of` whose type neither converts to the selector's nor the selector's to it (a text "
         "label for an Integer selector, a Decimal label in `case true of`)."),
    Code("ALC0252", "exit with a value in a procedure without return type",
         "`exit(Value)` in a procedure that declares no return type: it can only `exit;`."),
    Code("ALC0433", "no metadata in package",
         "Merging and checking need the complete object metadata alc writes into its packages; symbol-only "
         "packages made by a server and packages from other compilers carry only symbols."),
    Code("ALC0434", "damaged metadata",
         "The package's metadata/ entries are not alc IR (the file was altered or written by another tool)."),
    Code("ALC0435", "package without source",
         "`alc unpack` turns a package back into a project, which needs the AL source the package carries "
         "under `src/`. Symbol-only packages (downloaded from a server) and runtime packages have none."),
    Code("ALC0436", "cannot unpack into the folder",
         "`alc unpack` writes a new project folder: the folder must not exist or be empty, and be writable. "
         "It is written under a temporary name and renamed, so a failure leaves nothing behind."),
    Code("ALC0450", "unreadable license file",
         "`--license` must name a JSON file: {\"ranges\": [{\"from\": 50000, \"to\": 99999}]} (an optional "
         "\"type\" per range restricts it to one object type)."),
    Code("ALC0451", "object outside the licensed ranges",
         "A runtime package may hold only objects whose ids the license covers."),
    Code("ALC0460", "layout file not found",
         "A report's `RDLCLayout`, `WordLayout` or `ExcelLayout` property, or a `LayoutFile` in its `rendering` "
         "section, names a file that does not exist (or cannot be read). Paths are relative to the project "
         "folder (the folder of app.json), not to the .al file. Microsoft's compiler packs each layout file "
         "as `layout/<path>`; a report without its layout cannot print."),
    Code("ALC0461", "layout file outside the project",
         "A layout path is absolute or leaves the project folder (`..`). Layout files are packed from the "
         "project folder, so the path must be relative to it and stay inside it."),
    Code("ALC0462", "invalid translation file",
         "A `.xlf` file in the project's Translations folder cannot be read or is not well-formed XML (DTDs and "
         "entity declarations are refused). Translation files are packed as they are, so a broken one would "
         "break the app's translations on the server."),
    Code("ALC0463", "logo file not found",
         "app.json's `logo` names a file (relative to the project folder) that does not exist or cannot be "
         "read. The compiler packs it as `logo/<file name>` and lists it in MediaIdListing.xml."),
    Code("ALC0464", "invalid XML permission set file",
         "A `.xml` file of the project that holds `PermissionSets` (the legacy XML permission sets, packed as "
         "`perm/file<N>_<name>.xml`) is not well-formed XML, or uses DTDs or entities."),
    Code("ALC0465", "control add-in file not found",
         "A control add-in's `Scripts`, `StartupScript`, `RecreateScript`, `RefreshScript`, `StyleSheets` or "
         "`Images` names a file (relative to the project folder) that does not exist or lies outside the "
         "project. URLs are not packed and need no file."),
    Code("ALC0466", "invalid resource folders",
         "app.json's `resourceFolders` names a folder that does not exist, two folders hold a file of the same "
         "name (a resource is named by its path from its folder, as NavApp.GetResource reads it), or the "
         "resources exceed Microsoft's limits: 16 MB per file, 256 MB in all, 256 files."),
    Code("ALC0199", "internal error",
         "alc met a condition it does not handle while reading this file. This is a bug in alc; "
         "the message names the exception. The other files are still read."),
    # 024x: dependency resolution and the package cache (alc/build/deps.py, alc/package/cache.py)
    Code("ALC0240", "dependency not in the package cache",
         "No package with the dependency's app id is in the package cache folder (`.alpackages` by default, "
         "or --packagecachepath). Dependencies are found by app id; download the symbols or copy the .app "
         "into the cache. For a dependency of a package rather than of the app, the notes show the chain "
         "of apps that needs it."),
    Code("ALC0241", "dependency version too old",
         "The package cache holds the dependency, but only versions lower than the minimum version asked "
         "for (`version` in app.json is a minimum: the highest version in the cache is chosen). The message "
         "names the versions found. For the implicit `application` and `platform` dependencies this is a "
         "warning and the older package is used."),
    Code("ALC0242", "dependency cycle",
         "Apps depend on each other in a circle, shown as `A --> B --> A` where `-->` reads \"depends on\". "
         "Business Central cannot publish such apps; move what they share into an app both depend on."),
    Code("ALC0243", "dependency id does not match the package cache",
         "No package has the dependency's id, but a package with the dependency's name and publisher has "
         "another id (the AL compiler's AL1042). Use the id of that package, or add the intended one."),
    Code("ALC0244", "dependency renamed",
         "The package with the dependency's id has another name or publisher than app.json says (the AL "
         "compiler's AL1076). Dependencies resolve by id, so this is information only; update the name "
         "and publisher in app.json."),
    Code("ALC0245", "same name, publisher and version with different ids",
         "Two packages in the package cache have the same name, publisher and version but different app "
         "ids. Dependencies resolve by id, but such a cache is almost always a mistake (a re-created app, "
         "a stale copy); keep the package the projects depend on."),
    Code("ALC0246", "package in the package cache skipped",
         "A .app file in the package cache could not be read and is left out: the message says why (the "
         "ALC042x code of the package reader in parentheses). Business Central runtime packages (`.NEA` "
         "payload, made by Get-NAVAppRuntimePackage) cannot be compiled against; use symbol packages."),
    Code("ALC0247", "package cache folder unreadable",
         "A package cache folder does not exist or cannot be listed; it contributes no packages."),
    Code("ALC0248", "package in the package cache twice",
         "Two .app files hold the same app id and version. The first by file name is used and the others "
         "are ignored; remove the extra copies."),
    # 03xx: merge (the apps installed together on one tenant)
    Code("ALC0301", "conflicting property modifications",
         "Two apps, neither depending on the other (directly or transitively), set the same property of the "
         "same element (object, field, control, action) to different values. Which value a tenant sees depends "
         "on the order the apps are applied in. With the same value there is no conflict; when one app "
         "depends on the other, the dependent's value wins. Policy `strict` (Dynamics NAV) reports an error; "
         "`last-wins` (Business Central) keeps the value of the app applied last and warns for each override."),
    Code("ALC0302", "duplicate field id",
         "Two apps add a field with the same id to one table, or an extension adds a field whose id the table "
         "already has (AL0206). Only the first field is kept."),
    Code("ALC0303", "duplicate field name",
         "Two apps add a field with the same name to one table, or an extension adds a field whose name the "
         "table already has (AL0155). Names compare case-insensitively. Only the first field is kept."),
    Code("ALC0304", "duplicate control or action",
         "Two apps add a control or an action with the same name to one page (or report request page), or an "
         "extension adds one whose name the page already has. Only the first is kept."),
    Code("ALC0305", "duplicate enum value",
         "Two apps add a value with the same ordinal or the same name to one enum, or an extension adds one "
         "the enum already has. Only the first is kept."),
    Code("ALC0306", "conflicting moves",
         "Two apps, neither depending on the other, move the same control or action to different places. "
         "Where it ends up depends on the order the apps are applied in; policies as for ALC0301."),
    Code("ALC0307", "anchor not found",
         "An add, move or modify names a control, action, field or data item that the merged object does not "
         "have, often because the app that adds it is not in the set. Business Central ignores such a move or "
         "modify (AL1416) and puts such an added control at a default location (AL1417): alc puts it at the "
         "end of the first area."),
    Code("ALC0308", "duplicate object id",
         "Two apps declare objects of the same kind with the same id (AL0264): they cannot be installed "
         "together. The object of the app applied first is kept."),
    Code("ALC0309", "duplicate object name",
         "Two apps declare objects of the same kind with the same name (AL0197; names compare "
         "case-insensitively, with their namespace): they cannot be installed together."),
    Code("ALC0310", "extension target not found",
         "An extension object extends an object that none of the apps in the set declares; its changes are "
         "not applied."),
    Code("ALC0311", "missing dependency",
         "An app depends on an app (or, through app.json `application`, on the Microsoft application) that is "
         "not in the set of apps."),
    Code("ALC0312", "dependency version too low",
         "An app depends on an app in the set whose version is below the declared minimum version."),
    Code("ALC0313", "dependency cycle",
         "Apps depend on each other in a cycle, `A --> B --> A`; no install order exists. The apps of the "
         "cycle are applied together, ordered by app id."),
    Code("ALC0314", "duplicate element",
         "Two apps add an element with the same name to one object: a key, field group, view, report data item "
         "or column, layout or label. Only the first is kept."),
    Code("ALC0315", "app given twice",
         "Two packages of one app (the same app id) are in the set; one tenant has one version of an app. The "
         "higher version is used."),
    # 04xx: project manifest (app.json), packages (.app) and emit
    Code("ALC0400", "app.json cannot be read",
         "The project's app.json is missing, unreadable, or not UTF-8 text."),
    Code("ALC0401", "app.json is not valid JSON",
         "app.json must be one JSON object. The position points at the first character the JSON reader "
         "could not accept (a missing comma or quote, a trailing comma, a comment)."),
    Code("ALC0402", "required app.json field missing",
         "`id`, `name`, `publisher` and `version` are required in app.json; each dependency needs "
         "`id` (or the legacy `appId`) and `version`, and each id range `from` and `to`."),
    Code("ALC0403", "app.json field has the wrong type",
         "A field holds a JSON value of the wrong kind: a number where a string is expected, an object "
         "where an array is expected, and so on."),
    Code("ALC0404", "malformed GUID",
         "App ids (`id`, dependency `id`/`appId`, `internalsVisibleTo` ids) are GUIDs written as "
         "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx with hexadecimal digits."),
    Code("ALC0405", "malformed version",
         "`version`, `platform`, `application` and dependency versions are four non-negative integers "
         "Major.Minor.Build.Revision (such as 1.0.0.0); `runtime` is Major.Minor (such as 13.0)."),
    Code("ALC0406", "invalid id range",
         "An id range needs 1 <= from <= to <= 2147483647."),
    Code("ALC0407", "overlapping id ranges",
         "Two entries of `idRanges` (or `idRange` and an entry of `idRanges`) share object ids. "
         "Merge them into one range."),
    Code("ALC0408", "both idRange and idRanges",
         "`idRange` is the legacy single range; a project gives either it or `idRanges`, not both."),
    Code("ALC0409", "showMyCode ignored",
         "`resourceExposurePolicy` replaced the legacy `showMyCode` flag. When both are present the policy "
         "applies and `showMyCode` is ignored."),
    Code("ALC0410", "invalid app.json value",
         "A field has a value the compiler does not accept: an empty `name` or `publisher`, a `target` "
         "other than Cloud or OnPrem, a preprocessor symbol that is not an identifier, or a dependency "
         "whose `id` and `appId` disagree."),
    Code("ALC0411", "unknown feature",
         "`features` lists a name the AL compiler does not know; it has no effect. Known features are "
         "ExcludeGeneratedTranslations, GenerateCaptions, GenerateLockedTranslations, NoImplicitWith, "
         "NoPromotedActionProperties and TranslationFile."),
    Code("ALC0412", "duplicate dependency",
         "Two entries of `dependencies` name the same app id. Keep one, with the higher minimum version."),
    Code("ALC0413", "app depends on itself",
         "A dependency names the app's own id."),
    Code("ALC0414", "ruleset file cannot be used",
         "The ruleset given by `--ruleset` or by `ruleSetPath` in app.json (or a file it includes through "
         "`includedRuleSets`) cannot be read, is not valid JSON, includes itself, or has a rule without an "
         "`id` or with an action other than Error, Warning, Info, Hidden, None or Default."),
    Code("ALC0415", "unknown app.json key",
         "app.json (or one of its entries: a dependency, an id range, resourceExposurePolicy ...) has a key "
         "that Business Central does not read, most often a misspelt one (`dependecies`); it is ignored. The "
         "help names the nearest known key."),
    Code("ALC0416", "empty idRanges",
         "`idRanges` is an empty array. Microsoft's compiler accepts it (and then checks no object id against a "
         "range), so alc warns instead of failing; give the app's ranges so that ids outside them are found."),
    Code("ALC0420", "package cannot be read",
         "The .app file could not be opened or read from disk."),
    Code("ALC0421", "not a .app package",
         "A .app file starts with a 40-byte header: `NAVX`, header size 40, header version 2, the package "
         "GUID, the payload length and `NAVX` again. This file's header does not match."),
    Code("ALC0422", "truncated or inconsistent package",
         "The payload length in the header does not match the file: the file was cut short, or has "
         "unexpected bytes after the payload (only a signature block, `NXSB`, may follow)."),
    Code("ALC0423", "runtime package",
         "The payload starts with `.NEA`: this is a runtime package made by a Business Central server "
         "(Get-NAVAppRuntimePackage). Its content is encrypted with Microsoft's proprietary scheme, which "
         "alc does not read. Use the app's ordinary package or its symbol package instead."),
    Code("ALC0424", "corrupt package payload",
         "The payload after the header is not a readable zip archive, or an entry is corrupt "
         "(bad checksum, unsupported compression, encryption)."),
    Code("ALC0425", "package exceeds limits",
         "alc refuses packages that would expand beyond safe limits (a zip bomb): too many entries, too "
         "much uncompressed data in total or in one entry, an entry with an extreme compression ratio, "
         "or a manifest or symbol file too large to parse."),
    Code("ALC0426", "unsafe entry name",
         "A zip entry name is absolute, contains `..` segments, backslashes, drive letters or control "
         "characters. Such names could write outside a folder when the package is extracted."),
    Code("ALC0427", "duplicate package entry",
         "Two zip entries have the same name (package part names compare case-insensitively)."),
    Code("ALC0428", "invalid manifest XML",
         "NavxManifest.xml is not well-formed XML, or its root is not a `Package` element."),
    Code("ALC0429", "forbidden XML construct",
         "Package XML must not contain a DOCTYPE, entity declarations or external references; "
         "alc rejects them to rule out entity-expansion and external-entity attacks."),
    Code("ALC0430", "invalid SymbolReference.json",
         "SymbolReference.json is not valid UTF-8 JSON of the expected shape. The message names the "
         "element path (such as `Tables[3].Fields[2].Id`) whose value has the wrong type."),
    Code("ALC0431", "missing package entry",
         "A required entry (NavxManifest.xml) is not in the package."),
    Code("ALC0432", "invalid manifest value",
         "A NavxManifest.xml attribute has a malformed value: an app id that is not a GUID, a version "
         "that is not Major.Minor.Build.Revision, an id range that is not a pair of integers."),
    Code("ALC0440", "package cannot be written",
         "The .app file could not be written: the target folder is missing or not writable, or the "
         "disk is full. No partial package is left behind."),
    # 05xx: deploy (`alc server`: publish, sync, install, upgrade, uninstall, unpublish per tenant)
    Code("ALC0501", "dependency not published",
         "Publishing compiles the app against the apps published on the server (Business Central's AL1024: \"A "
         "package with publisher ..., name ..., and a version compatible with ... could not be loaded\"). Every "
         "dependency must be published first, visible to the scope being published to (a global app sees global "
         "apps; a tenant-scope app also sees that tenant's apps), at or above the version app.json asks for. "
         "Packages given to one `publish` command are published in dependency order."),
    Code("ALC0502", "app already published",
         "A global app is identified by its app id and version, a per-tenant app by app id, version and tenant; "
         "no two published apps may also share publisher, name and version. Publish a new version (raise "
         "`version` in app.json) or unpublish the old one first."),
    Code("ALC0503", "scope conflict",
         "A global app and a per-tenant (tenant scope) app cannot share an app id, and an application published "
         "into the global scope cannot depend on applications published into the tenant scope (\"Global apps can "
         "only depend on other global apps\")."),
    Code("ALC0504", "wrong runtime or platform",
         "The server runs one platform version; runtime N.x ships with Business Central N+11 (runtime 15.0 is "
         "26.0). An app whose `runtime` is newer than the server's, or whose `platform` is higher, is refused. A "
         "runtime package works only on the platform version it was made for (`alc server runtime-package` on a "
         "server of that platform makes a new one)."),
    Code("ALC0505", "the app does not compile against the published apps",
         "Publishing checks the app's objects (from the compiled metadata in its package) against the symbols "
         "of the published apps it depends on, as a compile would: object ids and names unique, extension "
         "targets, fields, controls, events and types resolve. The message gives the first error; `--skip-"
         "verification` skips this check (dependencies, scope and runtime are still checked)."),
    Code("ALC0506", "unpublish refused: installed",
         "\"The Extension cannot be unpublished because it is in use by the following tenants\": uninstall the "
         "app version from those tenants first. Unpublishing never touches tenant data."),
    Code("ALC0507", "unpublish refused: required by other apps",
         "\"The Extension cannot be unpublished because it is required by the following apps\": another published "
         "app depends on this version and no other published version satisfies it. Unpublish in reverse "
         "dependency order."),
    Code("ALC0510", "unsatisfied dependencies",
         "Installing an app installs its missing dependencies first, each the highest published version visible "
         "to the tenant at or above the version asked for. The install is refused when a dependency is not "
         "published at a high enough version, or is installed on the tenant at a lower version (upgrade it "
         "first)."),
    Code("ALC0511", "install conflict",
         "The merge engine found a conflict between the app being installed and an app already installed on the "
         "tenant (the ALC03xx code is in the notes): both set the same property to different values, add "
         "elements with the same id or name, or declare objects with the same id or name. Under the default "
         "`--policy strict` the install is refused; under `last-wins` it proceeds and each override is reported."),
    Code("ALC0512", "another version is installed or has data on the tenant",
         "Only one version of an app is installed per tenant. Installing another version while one is installed, "
         "or while the data of an earlier, uninstalled version is on the tenant, is refused with the advice to "
         "upgrade (`alc server upgrade`, Start-NAVAppDataUpgrade); an older version than the one the tenant has is "
         "refused too. Reinstalling the same version is allowed."),
    Code("ALC0513", "prerequisites missing",
         "The package lists the objects it needs (NAV App Object Prerequisites: the targets of its extension "
         "objects); some of them are declared by no app installed on the tenant."),
    Code("ALC0514", "dependency not installed",
         "`--no-dependencies` installs only the app itself; its dependencies must already be installed."),
    Code("ALC0515", "uninstall refused: dependents installed",
         "Apps installed on the tenant depend on the app. Uninstall them first, or use `--force`, which "
         "uninstalls the dependents first (each reported) and then the app. Data stays in every case."),
    Code("ALC0516", "not installed",
         "The app is not installed on the tenant, so there is nothing to uninstall."),
    Code("ALC0520", "nothing to upgrade",
         "Start-NAVAppDataUpgrade needs an earlier version installed on the tenant, or its data left by an "
         "uninstall; otherwise install the app."),
    Code("ALC0521", "upgrade to an older or equal version",
         "An upgrade needs a version strictly newer than the version installed (or of the data left) on the "
         "tenant; downgrades are refused."),
    Code("ALC0522", "upgrade: unsatisfied dependencies",
         "The new version's dependencies must be installed on the tenant at or above the versions it asks for "
         "before its data is upgraded."),
    Code("ALC0530", "sync: dependency not synchronized",
         "\"Cannot synchronize the extension because no synchronized extension could be found to satisfy the "
         "dependency definition\": sync (or install) the dependencies first, in dependency order."),
    Code("ALC0531", "sync Clean refused while installed",
         "Clean mode removes the schema and data of every version of the app from the tenant; it is refused "
         "while any version is installed. Uninstall the app first."),
    Code("ALC0532", "sync Development needs one published version",
         "Development mode re-syncs the same version; it requires that exactly one version of the app is "
         "published."),
    Code("ALC0533", "sync ForceSync refused while installed",
         "ForceSync allows destructive schema changes; the app must first be uninstalled from the tenant."),
    Code("ALC0534", "sync: destructive schema change",
         "Add and Development mode refuse a change that loses data, judged against every version of the app "
         "synchronized on the tenant since the last Clean: a table or field removed, a data type changed, a "
         "length decreased, the primary key changed, a field id changed, a table renamed, DataPerCompany "
         "changed, a field turned into a FlowField or FlowFilter, or disabled. Each is named as the platform "
         "names it (`Table Customer :: The field 'X' cannot be located. Removing fields is not allowed.`). "
         "ForceSync applies them and reports what it dropped; ObsoleteState = Removed keeps a field."),
    Code("ALC0535", "sync Clean refused: extended by another synchronized app",
         "Clean drops the app's tables; it is refused while another synchronized app extends them (its fields "
         "live in the companion tables of these tables). Clean that app first."),
    Code("ALC0536", "sync: the table an extension extends is not synchronized",
         "A table extension's fields go into the companion table of the table it extends; that table must be "
         "synchronized on the tenant (sync or install the app that declares it first)."),
    Code("ALC0537", "sync: the database cannot hold the sync in one transaction",
         "A sync creates and alters every table of the apps, for every company, in one transaction. PostgreSQL "
         "locks each new table, its primary key and its TOAST table until the transaction ends, and holds "
         "max_locks_per_transaction x (max_connections + max_prepared_transactions) locks in all: a base app "
         "of thousands of tables on a tenant with several companies needs more than the default 64 per "
         "connection. Nothing is written; raise max_locks_per_transaction (postgresql.conf, then restart the "
         "server) to the value the message gives."),
    Code("ALC0560", "data: a value does not fit its field",
         "`alc server data insert|import`: each value is checked against its field's type (a string for Code and "
         "Text, within the length; an integer in range; a number; true or false; an Option or Enum value by name; "
         "dates YYYY-MM-DD, times HH:MM:SS, ISO 8601 date-times; a GUID). One bad row refuses the whole command: "
         "nothing is written."),
    Code("ALC0561", "data: the record already exists",
         "A row with the same primary key exists in the table (or twice in the rows given): the platform's "
         "\"The record in table X already exists\"; nothing is written."),
    Code("ALC0570", "compare: table removed",
         "`alc compare`: a table of the old version is gone. Sync in Add mode refuses it (the platform: \"Removing "
         "tables is not allowed unless they are temporary or are being moved by migration to another app\"), "
         "and apps that use the table break (AppSourceCop AS0001)."),
    Code("ALC0571", "compare: field removed",
         "`alc compare`: a field with a column is gone (also from a table extension). Refused by sync in Add mode "
         "(\"Removing fields is not allowed\"); breaks dependents (AS0002). Mark it ObsoleteState = Removed instead: "
         "the column and its data stay."),
    Code("ALC0572", "compare: field type changed",
         "`alc compare`: a field's data type changed (Integer to BigInteger, Option to Enum and back excepted). "
         "Refused by sync in Add mode; breaks dependents (AS0004)."),
    Code("ALC0573", "compare: field length decreased",
         "`alc compare`: a Code or Text field got shorter: refused by sync in Add mode (AS0080)."),
    Code("ALC0574", "compare: primary key changed",
         "`alc compare`: the fields of the primary key changed: refused by sync in Add mode (AS0009); ForceSync "
         "recreates the table without its rows."),
    Code("ALC0575", "compare: field id changed",
         "`alc compare`: a field kept its name and changed its id: refused by sync in Add mode (AS0136/AS0137)."),
    Code("ALC0576", "compare: table renamed",
         "`alc compare`: a table kept its id and changed its name: refused by sync in Add mode (AS0006)."),
    Code("ALC0577", "compare: DataPerCompany changed",
         "`alc compare`: DataPerCompany changed, which changes the number of tables per company: refused by sync "
         "in Add mode."),
    Code("ALC0578", "compare: field turned into a FlowField or FlowFilter",
         "`alc compare`: a Normal field became a FlowField or FlowFilter (its column would go): refused by sync in "
         "Add mode (AS0036)."),
    Code("ALC0579", "compare: field disabled",
         "`alc compare`: a field got Enabled = false (its column would go): refused by sync in Add mode (AS0036)."),
    Code("ALC0580", "compare: object removed",
         "`alc compare`: an object of the old version is gone (or changed its id): apps that use it break."),
    Code("ALC0581", "compare: object renamed",
         "`alc compare`: an object kept its id and changed its name: apps that name it break."),
    Code("ALC0582", "compare: field renamed",
         "`alc compare`: a field kept its id and changed its name. Sync keeps the data (alc renames the column), "
         "but apps that name the field break (AS0005)."),
    Code("ALC0583", "compare: key removed",
         "`alc compare`: a secondary key is gone or renamed: apps that sort or filter on it break (AS0010)."),
    Code("ALC0584", "compare: public procedure removed",
         "`alc compare`: a public procedure is gone: apps that call it break."),
    Code("ALC0585", "compare: public procedure signature changed",
         "`alc compare`: a public procedure's parameters or return type changed: apps that call it break."),
    Code("ALC0586", "compare: event removed or changed",
         "`alc compare`: an integration or business event is gone or its signature changed: the apps that "
         "subscribe to it break."),
    Code("ALC0587", "compare: enum value removed or renumbered",
         "`alc compare`: an enum value is gone or has another ordinal: stored values and apps that name it break."),
    Code("ALC0588", "compare: page control removed",
         "`alc compare`: a page (or request page) control is gone: page extensions that anchor on it or modify it "
         "break."),
    Code("ALC0589", "compare: page action removed",
         "`alc compare`: a page action is gone: page extensions that anchor on it or modify it break."),
    Code("ALC0590", "compare: addition",
         "`alc compare`: a table, field, object, procedure, event or enum value was added: nothing breaks."),
    Code("ALC0591", "compare: field length increased",
         "`alc compare`: a Code or Text field got longer: sync allows it (the platform's documentation says so; "
         "AppSourceCop AS0086 flags it for dependents' runtime)."),
    Code("ALC0592", "compare: field type widened",
         "`alc compare`: Integer became BigInteger, or Option became Enum (or back) with the same storage: sync "
         "keeps the data (AS0146, AS0069)."),
    Code("ALC0540", "mount refused: apps missing",
         "A tenant database carries its list of installed apps. Mounting it checks that every one is published "
         "on this server with matching content (the same content hash) and synchronized on the tenant; the "
         "refusal names each app that is missing, differs, or has a higher version than what is published."),
    Code("ALC0541", "wrong tenant state",
         "Tenant commands (sync, install, upgrade, uninstall) need a mounted tenant; remove-apps needs a "
         "dismounted one (Remove-NAVAppsForTenant); a mounted tenant cannot be dismounted twice."),
    Code("ALC0542", "tenant exists",
         "A tenant id is unique on a server; remove the tenant first or choose another id."),
    Code("ALC0543", "company exists",
         "Company names are unique per tenant."),
    Code("ALC0545", "platform cannot change",
         "`alc server init --platform` on an existing server database must give the platform it was made with."),
    Code("ALC0550", "repair needs source",
         "Repair-NAVApp compiles the app again against what is published now, so it needs the app's source: a "
         "runtime package without source cannot be repaired (make a new runtime package instead)."),
    Code("ALC0551", "repair: the app no longer compiles",
         "Checked against the apps published now (for instance a new version of its base app), the app's "
         "objects no longer resolve; the message gives the first error."),
    Code("ALC0552", "object outside the licensed ranges",
         "A runtime package may hold only objects whose ids the license file covers (as ALC0451 for "
         "`alc compile --runtime`)."),
)


def explain(code: str) -> Optional[str]:
    """The explanation of a diagnostic code, or None when the code is unknown.

    >>> print(explain("ALC0101").splitlines()[0])
    ALC0101: syntax error
    """
    entry = CODES.get(code.upper())
    return None if entry is None else f"{entry.code}: {entry.title}\n\n{entry.explanation}"


@attrs.frozen
class Label:
    span: Span
    text: str = ""


@attrs.frozen
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Optional[Span] = None
    labels: tuple[Label, ...] = attrs.field(default=(), converter=tuple)
    notes: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    help: Optional[str] = None

    @classmethod
    def error(cls, code: str, message: str, span: Optional[Span] = None, **kw) -> "Diagnostic":
        return cls(code, Severity.ERROR, message, span, **kw)

    @classmethod
    def warning(cls, code: str, message: str, span: Optional[Span] = None, **kw) -> "Diagnostic":
        return cls(code, Severity.WARNING, message, span, **kw)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self, cwd: Optional[str] = None) -> tuple[str, int, int]:
        if self.span is None or self.span.source is None:
            return ("", 0, 0)
        line, col = self.span.source.line_col(self.span.start)
        return (self.span.display_path(cwd), line, col)


def sort_key(d: Diagnostic):
    path = d.span.file if d.span is not None else ""
    start = d.span.start if d.span is not None else -1
    return (path, start, d.code, d.message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def render_concise(diagnostics: Sequence[Diagnostic], cwd: Optional[str] = None) -> str:
    """One line per diagnostic, in alc.exe's ``path(line,col): error CODE: message`` form."""
    lines = []
    for d in sorted(diagnostics, key=sort_key):
        path, line, col = d.location(cwd)
        prefix = f"{path}({line},{col}): " if path else ""
        lines.append(f"{prefix}{d.severity} {d.code}: {d.message}")
    return "\n".join(lines)


def to_dict(d: Diagnostic, cwd: Optional[str] = None) -> dict:
    path, line, col = d.location(cwd)
    out = {"code": d.code, "severity": str(d.severity), "message": d.message,
           "file": path, "line": line, "column": col}
    if d.help:
        out["help"] = d.help
    return out


def render_json(diagnostics: Sequence[Diagnostic], cwd: Optional[str] = None) -> str:
    return json.dumps([to_dict(d, cwd) for d in sorted(diagnostics, key=sort_key)], indent=2)


def render_sarif(diagnostics: Sequence[Diagnostic], cwd: Optional[str] = None) -> str:
    """SARIF 2.1.0, for code-scanning tools (alc compile --errorlog)."""
    from .version import __version__
    rules = sorted({d.code for d in diagnostics})
    results = []
    for d in sorted(diagnostics, key=sort_key):
        result: dict = {"ruleId": d.code, "level": {"error": "error", "warning": "warning"}.get(str(d.severity), "note"),
                        "message": {"text": d.message}}
        if d.span is not None and d.span.source is not None:
            result["locations"] = [_sarif_location(d.span, cwd)]
            related = [dict(_sarif_location(label.span, cwd), id=i, message={"text": label.text or "related"})
                       for i, label in enumerate(d.labels) if label.span is not None and label.span.source is not None]
            if related:
                result["relatedLocations"] = related
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "alc", "version": __version__,
                                "rules": [{"id": code, "shortDescription": {"text": CODES[code].title if code in CODES else code},
                                           "fullDescription": {"text": CODES[code].explanation if code in CODES else code}}
                                          for code in rules]}},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2)


def _sarif_location(span: Span, cwd: Optional[str]) -> dict:
    line, col = span.source.line_col(span.start)
    end_line, end_col = span.source.line_col(span.end)
    return {"physicalLocation": {"artifactLocation": {"uri": span.display_path(cwd).replace(os.sep, "/")},
                                 "region": {"startLine": line, "startColumn": col, "endLine": end_line,
                                            "endColumn": end_col}}}
