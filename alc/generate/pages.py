"""AL text of base pages."""

from __future__ import annotations

import random

from .catalog import Catalog
from .names import ident, literal, quote
from .spec import SETUP
from .tables import tooltip
from .text import Source

__all__ = ["render_page"]

_IMAGES = {"Post": "PostOrder", "ReleaseDoc": "ReleaseDoc", "ReOpen": "ReOpen", "CopyDocument": "CopyDocument",
           "Calculate": "Calculate", "SendEmail": "Email", "Print": "Print", "Archive": "Archive",
           "Approve": "Approve", "Refresh": "Refresh", "Export": "Export", "Import": "Import"}


def render_page(cat: Catalog, p: int, src: Source) -> None:
    spec = cat.page(p)
    table = cat.table(spec.table)
    rng = random.Random(f"{cat.seed}:pagetext:{p}")
    w = src.lines.append
    name = cat.page_names[p]
    w(f"page {cat.page_ids[p]} {quote(name)}")
    w("{")
    w(f"    Caption = {literal(name)};")
    w(f"    PageType = {spec.page_type};")
    w(f"    SourceTable = {cat.ref(src, 'table', spec.table)};")
    if spec.role in ("list", "card", "document") and spec.index < len(cat.table_names):
        w(f"    UsageCategory = {'Lists' if spec.role == 'list' else 'Administration'};")
        w("    ApplicationArea = All;")
    if spec.role == "list":
        card = cat.page_of(spec.table, "card", "document")
        if card >= 0:
            w(f"    CardPageId = {cat.ref(src, 'page', card)};")
        w("    Editable = false;")
    if spec.role == "listpart":
        w("    AutoSplitKey = true;")
        w("    DelayedInsert = true;")
    if spec.role in ("card", "document"):
        w("    RefreshOnActivate = true;")
    w("")
    w("    layout")
    w("    {")
    w("        area(Content)")
    w("        {")
    for group, fields in spec.groups:
        kind = "repeater" if spec.repeater else "group"
        w(f"            {kind}({group})")
        w("            {")
        if not spec.repeater:
            w(f"                Caption = {literal(group)};")
        for fname in fields:
            f = table.field(fname)
            w(f"                field({quote(fname)}; Rec.{quote(fname)})")
            w("                {")
            w("                    ApplicationArea = All;")
            w(f"                    ToolTip = {tooltip(fname, table.name, rng)};")
            if group == "General" and spec.role in ("card", "document") and rng.random() < 0.3:
                w("                    Importance = Promoted;")
            if f.calc is not None and f.calc[0] != "lookup":
                w("                    DrillDown = true;")
            elif spec.repeater and fname in table.pk:
                w("                    StyleExpr = StyleTxt;")
            elif group != "General" and spec.role in ("card", "document") and f.normal:
                w("                    Editable = IsEditable;")
            w("                }")
        w("            }")
    if spec.part:
        control, sub, link = spec.part
        w(f"            part({control}; {cat.ref(src, 'page', sub)})")
        w("            {")
        w("                ApplicationArea = All;")
        w(f"                SubPageLink = {quote(link)} = field(\"No.\");")
        w("                UpdatePropagation = Both;")
        w("            }")
    w("        }")
    if spec.role not in ("listpart", "cardpart"):
        w("        area(FactBoxes)")
        w("        {")
        w("            systempart(Links; Links)")
        w("            {")
        w("                ApplicationArea = RecordLinks;")
        w("            }")
        w("            systempart(Notes; Notes)")
        w("            {")
        w("                ApplicationArea = Notes;")
        w("            }")
        w("        }")
    w("    }")
    if spec.actions:
        _actions(cat, src, spec, rng)
    _code(cat, spec, table, src)
    w("}")


def _code(cat: Catalog, spec, table, src: Source) -> None:
    """Page triggers, a helper procedure and the variables they set."""
    w = src.lines.append
    flag = next((quote(f.name) for f in table.normal("bool")), None)
    flows = [quote(f) for _, fs in spec.groups for f in fs if table.field(f).calc is not None][:4]
    if table.kind == SETUP and spec.role == "card":
        w("")
        w("    trigger OnOpenPage()")
        w("    begin")
        w("        Rec.Reset();")
        w("        if not Rec.Get() then begin")
        w("            Rec.Init();")
        w("            Rec.Insert();")
        w("        end;")
        w("    end;")
    elif spec.role in ("card", "document"):
        w("")
        w("    trigger OnOpenPage()")
        w("    begin")
        w("        IsEditable := CurrPage.Editable();")
        w("    end;")
        w("")
        w("    trigger OnAfterGetCurrRecord()")
        w("    begin")
        w("        SetControlAppearance();")
        w("    end;")
        w("")
        w("    local procedure SetControlAppearance()")
        w("    begin")
        w(f"        IsEditable := CurrPage.Editable() and not Rec.{flag};" if flag
          else "        IsEditable := CurrPage.Editable();")
        if flows:
            w(f"        Rec.CalcFields({', '.join(flows)});")
        w("    end;")
    if spec.repeater:
        w("")
        w("    trigger OnAfterGetRecord()")
        w("    begin")
        if flag:
            w(f"        if Rec.{flag} then")
            w("            StyleTxt := 'Unfavorable'")
            w("        else")
            w("            StyleTxt := 'Standard';")
        else:
            w("        StyleTxt := 'Standard';")
        if flows:
            w(f"        Rec.CalcFields({', '.join(flows)});")
        w("    end;")
    if spec.role in ("list", "worksheet", "lookup"):
        _selection_procedure(table, cat.ref(src, "table", spec.table), w)
    if spec.repeater or spec.role in ("card", "document"):
        w("")
        w("    var")
        w("        StyleTxt: Text;" if spec.repeater else "        IsEditable: Boolean;")


def _selection_procedure(table, table_ref: str, w) -> None:
    """`GetSelectionFilter`, as most list pages have."""
    pk = quote(table.pk[0])
    w("")
    w("    procedure GetSelectionFilter(): Text")
    w("    var")
    w(f"        Selected: Record {table_ref};")
    w("        FilterText: Text;")
    w("    begin")
    w("        CurrPage.SetSelectionFilter(Selected);")
    w("        if Selected.FindSet() then")
    w("            repeat")
    w("                if FilterText <> '' then")
    w("                    FilterText += '|';")
    w(f"                FilterText += Format(Selected.{pk});")
    w("            until Selected.Next() = 0;")
    w("        exit(FilterText);")
    w("    end;")


def _actions(cat: Catalog, src: Source, spec, rng: random.Random) -> None:
    w = src.lines.append
    w("")
    w("    actions")
    w("    {")
    for area in ("Processing", "Navigation"):
        actions = [a for a in spec.actions if a[0] == area]
        if not actions:
            continue
        w(f"        area({area})")
        w("        {")
        for _, name, caption, target in actions:
            w(f"            action({name})")
            w("            {")
            w("                ApplicationArea = All;")
            w(f"                Caption = {literal(caption)};")
            w(f"                Image = {_IMAGES.get(name, 'Entries')};")
            w(f"                ToolTip = {literal(f'Open or run {caption.lower()} for the selected record.')};")
            if target[0] == "run":
                w(f"                RunObject = page {cat.ref(src, 'page', target[1])};")
                w(f"                RunPageLink = {quote(target[2])} = field(\"No.\");")
            else:
                cu = target[1]
                var = ident(cat.codeunit_names[cu])
                w("")
                w("                trigger OnAction()")
                w("                var")
                w(f"                    {var}: Codeunit {cat.ref(src, 'codeunit', cu)};")
                w("                begin")
                w("                    CurrPage.SaveRecord();")
                w(f"                    if not {var}.{cat.codeunit(cu).entry.name}(Rec) then")
                w("                        exit;")
                w("                    CurrPage.Update(false);")
                w("                end;")
            w("            }")
        w("        }")
    if spec.promoted:
        w("        area(Promoted)")
        w("        {")
        w("            group(Category_Process)")
        w("            {")
        w("                Caption = 'Process';")
        for name in spec.promoted:
            w("")
            w(f"                actionref({name}_Promoted; {name})")
            w("                {")
            w("                }")
        w("            }")
        w("        }")
    w("    }")
