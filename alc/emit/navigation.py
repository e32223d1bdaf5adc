"""`navigation.xml`: the pages and reports an app adds to search (Tell Me) and
the departments, and the pages its page extensions change, in the shape of
real packages (Coval BC18, ALProject1):

- one `ActionDefinition` per page or report with a `UsageCategory` (other
  than `None`), in an `ActionGroupDefinition` captioned with the app's name:
  the object's id and name, caption (its name when it has none), application
  area, additional search terms (when it has none: its name, or nothing in
  an app with the `GenerateCaptions` feature, as the System Application 21
  and Business Foundation 24-27 packages show; partner apps without the
  feature show the name), department (`DepartmentCategory`, UsageCategory
  spelled as words), the id of a page's source table, the object's
  `AccessByPermission` (`AccessByObjectType` after the name,
  `AccessByObjectID` and `AccessByPermissionMask`, R=1 I=2 M=4 D=8 X=16,
  after the caption, as in the System Application 21 package; left out when
  the object's id is unknown, such as a `System` permission named by its
  name: INFERRED), and the translation keys of the caption and search terms;
- one `ActionChange` per page a page extension changes; when that page is
  the app's own, with its `CaptionML` and `AdditionalSearchTermsML`
  (Business Foundation 25.2: its page
  extension of its own `No. Series` page; Coval BC18's of the Base
  Application's page 31 has none).

The caption and the search terms carry, besides `ENU=` and the text of the
source, the translations the project's `Translations/*.xlf` files give the
unit of the same id, each under its Windows language code, all sorted by
code (`CSY=...;DAN=...;...;ENU=...;...;SVE=...`, as in the Business
Foundation 25.2-27.2 packages; a culture without a known code is left out).

Real compilers draw the `ControlGUID`s at random on every build; alc derives
them from the app and the object, so that builds are reproducible.

>>> from alc import parse_text
>>> objs = parse_text("report 50100 \\"Top Items\\" { UsageCategory = ReportsAndAnalysis; "
...                   "ApplicationArea = All; }").objects
>>> [(i.kind, i.id, i.caption, i.category) for i in navigation_items(objs)[0]]
[('report', 50100, 'Top Items', 'Reports and Analysis')]
"""

from __future__ import annotations

import uuid
from typing import Callable, Iterable, Optional

import attrs

from ..appmodel import is_id_text
from ..ir import nodes as ir
from .xliff import name_hash

__all__ = ["NavItem", "NavChange", "navigation_items", "navigation_xml", "NAVIGATION", "DEPARTMENTS",
           "page_captions", "translated_texts", "LANGUAGE_CODES"]

NAVIGATION = "navigation.xml"
DEPARTMENTS = {"lists": "Lists", "tasks": "Tasks", "reportsandanalysis": "Reports and Analysis",
               "documents": "Documents", "history": "History", "administration": "Administration"}
_NAMESPACE = uuid.UUID("3f0b8d52-6c1e-5a47-9d2b-7e4f1c8a0b93")
_CAPTION_KEY, _SEARCH_KEY = name_hash("Caption"), name_hash("AdditionalSearchTerms")


@attrs.frozen
class NavItem:
    """A page or report in search and the departments; ``order`` places it in the project."""
    order: tuple
    kind: str
    id: int
    name: str
    caption: str
    application_area: str
    search_terms: str
    category: str
    source_table: Optional[str] = None
    access: Optional[tuple] = None     # AccessByPermission: (object kind, target, rights)


@attrs.frozen
class NavChange:
    """A page a page extension changes (its name; the id is resolved later)."""
    order: tuple
    target: str


def _text(prop) -> str:
    from ..package.symbols_ir import property_text
    return property_text(prop)


def _prop(obj, name: str):
    return obj.get_property(name)


def navigation_items(objects: Iterable) -> tuple[list, list]:
    """The NavItems and NavChanges of ``objects``."""
    items, changes = [], []
    for obj in objects:
        span = getattr(obj, "span", None)
        order = (span.file, span.start) if span is not None else ("", 0)
        if isinstance(obj, ir.PageExtension):
            changes.append(NavChange(order, obj.target))
            continue
        if not isinstance(obj, (ir.Page, ir.Report)):
            continue
        usage = _prop(obj, "UsageCategory")
        category = DEPARTMENTS.get(_text(usage).casefold()) if usage is not None else None
        if category is None:
            continue
        caption = _prop(obj, "Caption")
        area = _prop(obj, "ApplicationArea")
        terms = _prop(obj, "AdditionalSearchTerms")
        source = _prop(obj, "SourceTable") if isinstance(obj, ir.Page) else None
        access = _prop(obj, "AccessByPermission")
        perms = getattr(getattr(access, "value", None), "permissions", ())
        items.append(NavItem(order, obj.kind, obj.id, obj.name, _text(caption) if caption else obj.name,
                             _text(area) if area else "", _text(terms) if terms else None, category,
                             _text(source) if source else None,
                             (perms[0].kind, perms[0].target, perms[0].rights) if perms else None))
    return items, changes


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#xD;").replace("\n", "&#xA;"))


LANGUAGE_CODES = {
    "ar-SA": "ARA", "bg-BG": "BGR", "ca-ES": "CAT", "cs-CZ": "CSY", "da-DK": "DAN", "de-AT": "DEA", "de-CH": "DES",
    "de-DE": "DEU", "de-LU": "DEL", "el-GR": "ELL", "en-AU": "ENA", "en-CA": "ENC", "en-GB": "ENG", "en-IE": "ENI",
    "en-IN": "ENN", "en-NZ": "ENZ", "en-US": "ENU", "en-ZA": "ENS", "es-ES": "ESN", "es-ES_tradnl": "ESP",
    "es-MX": "ESM", "es-US": "EST", "et-EE": "ETI", "fi-FI": "FIN", "fr-BE": "FRB", "fr-CA": "FRC", "fr-CH": "FRS",
    "fr-FR": "FRA", "fr-LU": "FRL", "he-IL": "HEB", "hr-HR": "HRV", "hu-HU": "HUN", "is-IS": "ISL", "it-CH": "ITS",
    "it-IT": "ITA", "ja-JP": "JPN", "ko-KR": "KOR", "lt-LT": "LTH", "lv-LV": "LVI", "nb-NO": "NOR", "nl-BE": "NLB",
    "nl-NL": "NLD", "nn-NO": "NON", "pl-PL": "PLK", "pt-BR": "PTB", "pt-PT": "PTG", "ro-RO": "ROM", "ru-RU": "RUS",
    "sk-SK": "SKY", "sl-SI": "SLV", "sr-Latn-RS": "SRM", "sv-FI": "SVF", "sv-SE": "SVE", "th-TH": "THA",
    "tr-TR": "TRK", "uk-UA": "UKR", "vi-VN": "VIT", "zh-CN": "CHS", "zh-HK": "ZHH", "zh-TW": "CHT"}
"""Windows' three-letter language codes of the cultures Business Central
translates to (those of the Business Foundation packages are confirmed by
them; the rest are Windows' LOCALE_SABBREVLANGNAME values)."""
_XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"


def page_captions(objects: Iterable) -> list:
    """(name, id, caption, search terms or None) of the pages among ``objects`` (the caption is the name
    when there is none)."""
    out = []
    for obj in objects:
        if isinstance(obj, ir.Page) and obj.name and obj.id is not None:
            caption, terms = _prop(obj, "Caption"), _prop(obj, "AdditionalSearchTerms")
            out.append((obj.name, obj.id, _text(caption) if caption else obj.name, _text(terms) if terms else None))
    return out


def translated_texts(files: dict) -> dict:
    """Trans-unit id -> {language code: translated text} from translation
    files (entry name -> bytes; unreadable files are passed over: they are
    reported elsewhere)."""
    import defusedxml
    import defusedxml.ElementTree as SafeET
    from xml.etree.ElementTree import ParseError
    out: dict = {}
    for name in sorted(files):
        try:
            root = SafeET.fromstring(files[name])
        except (ParseError, defusedxml.DefusedXmlException, ValueError):
            continue
        for file_el in root.iter(_XLIFF + "file"):
            code = LANGUAGE_CODES.get(file_el.get("target-language") or "")
            if code is None:
                continue
            for unit in file_el.iter(_XLIFF + "trans-unit"):
                target = unit.find(_XLIFF + "target")
                if target is not None and target.text and unit.get("id"):
                    out.setdefault(unit.get("id"), {}).setdefault(code, target.text)
    return out


def _ml(text: str, translated: dict) -> str:
    """An `...ML` value: `ENU=` the source's text, with the translations, sorted by language code."""
    values = dict(translated)
    values["ENU"] = text
    return ";".join(f"{code}={values[code]}" for code in sorted(values))


_ACCESS_KINDS = {"tabledata": ("TableData", "table"), "table": ("Table", "table"), "page": ("Page", "page"),
                 "report": ("Report", "report"), "codeunit": ("Codeunit", "codeunit"), "query": ("Query", "query"),
                 "xmlport": ("XmlPort", "xmlport"), "system": ("System", None)}
_RIGHTS = {"r": 1, "i": 2, "m": 4, "d": 8, "x": 16}


def _access(access: Optional[tuple], resolve) -> Optional[tuple]:
    """(AccessByObjectType, AccessByObjectID, AccessByPermissionMask) of an AccessByPermission, or None."""
    if access is None:
        return None
    kind, target, rights = access
    spelled, lookup = _ACCESS_KINDS.get(str(kind).casefold(), (None, None))
    if spelled is None:
        return None
    target = str(target)
    oid = int(target) if is_id_text(target) else (resolve(lookup, target) if lookup else None)
    if oid is None:
        return None
    return spelled, oid, sum(_RIGHTS.get(c, 0) for c in set(str(rights).casefold()))


def _guid(app_id: str, what: str) -> str:
    return "{" + str(uuid.uuid5(_NAMESPACE, f"{app_id}/{what}")) + "}"


def navigation_xml(app, items: Iterable[NavItem], changes: Iterable[NavChange],
                   resolve: Callable[[str, str], Optional[int]],
                   translations: Optional[dict] = None, pages: Iterable[tuple] = ()) -> Optional[bytes]:
    """The entry's bytes (BOM, CRLF, no final newline), or None when the app
    has nothing for it. ``resolve(kind, name)`` gives the id of a table or
    page the app or its dependencies declare (None when unknown);
    ``translations`` the translated texts by unit id (:func:`translated_texts`);
    ``pages`` the app's own pages (:func:`page_captions`)."""
    translations = translations or {}
    own = {page_id: (name, caption, terms) for name, page_id, caption, terms in pages}
    items = sorted(items, key=lambda i: i.order)
    targets = []
    for c in sorted(changes, key=lambda c: c.order):
        page = int(c.target) if is_id_text(c.target) else resolve("page", c.target)
        if page is not None and page not in targets:
            targets.append(page)
    if not items and not targets:
        return None
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<NavigationDefinition xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="urn:schemas-microsoft-com:dynamics:NAV:MetaObjects">']
    if items:
        lines.append('  <ActionContainers ActionContainerType="Departments">')
        lines.append(f'    <Actions xsi:type="ActionGroupDefinition" Caption="{_attr(app.name)}" '
                     f'ControlGUID="{_guid(app.id, "departments")}">')
        captions = any(f.casefold() == "generatecaptions" for f in getattr(app, "features", ()))
        for i in items:
            kind = "Page" if i.kind == "page" else "Report"
            terms = i.search_terms if i.search_terms is not None else ("" if captions else i.name)
            access = _access(i.access, resolve)
            source = 0
            if i.source_table:
                source = int(i.source_table) if is_id_text(i.source_table) else (resolve("table", i.source_table) or 0)
            key = f"{kind} {name_hash(i.name)}"
            caption_ml = _ml(i.caption, translations.get(f"{key} - Property {_CAPTION_KEY}", {}))
            terms_ml = _ml(terms, translations.get(f"{key} - Property {_SEARCH_KEY}", {}) if terms else {})
            area = ",".join("#" + a.strip().lstrip("#") for a in i.application_area.split(",") if a.strip())
            lines.append(
                f'      <Actions xsi:type="ActionDefinition" PushAction="RunObject" RunObjectType="{kind}" '
                f'TargetID="{i.id}" DepartmentCategory="{i.category}" RunObjectSrcTable="{source}" '
                f'ControlGUID="{_guid(app.id, f"{i.kind}/{i.id}")}" Name="{_attr(i.name)}" ' +
                (f'AccessByObjectType="{access[0]}" ' if access else "") +
                f'CaptionML="{_attr(caption_ml)}" ' +
                (f'AccessByObjectID="{access[1]}" AccessByPermissionMask="{access[2]}" ' if access else "") +
                (f'ApplicationArea="{_attr(area)}" ' if area else "") +
                f'AdditionalSearchTermsML="{_attr(terms_ml)}" '
                f'CaptionTranslationKey="{key} - Property {_CAPTION_KEY}" '
                f'AdditionalSearchTermsTranslationKey="{key} - Property {_SEARCH_KEY}" />')
        lines += ["    </Actions>", "  </ActionContainers>"]
    if targets:
        lines.append("  <NavigationChanges>")
        for t in targets:
            extra = ""
            if t in own:
                name, text, terms = own[t]
                key = f"Page {name_hash(name)}"
                extra = f' CaptionML="{_attr(_ml(text, translations.get(f"{key} - Property {_CAPTION_KEY}", {})))}"'
                if terms:   # INFERRED: left out when the page has none
                    ml = _ml(terms, translations.get(f"{key} - Property {_SEARCH_KEY}", {}))
                    extra += f' AdditionalSearchTermsML="{_attr(ml)}"'
            lines.append(f'    <ActionChange TargetID="{t}" TargetType="Page"{extra} />')
        lines.append("  </NavigationChanges>")
    lines.append("</NavigationDefinition>")
    return b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8")
