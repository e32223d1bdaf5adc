namespace Alc.Samples.Base;

page 50001 "Demo Customer List"
{
    Caption = 'Customers';
    PageType = List;
    SourceTable = "Demo Customer";
    CardPageId = "Demo Customer Card";
    UsageCategory = Lists;
    ApplicationArea = All;
    Editable = false;

    layout
    {
        area(Content)
        {
            repeater(Lines)
            {
                field("No."; Rec."No.") { ToolTip = 'Specifies the number.'; }
                field(Name; Rec.Name) { ToolTip = 'Specifies the name.'; }
                field(Balance; Rec.Balance) { ToolTip = 'Specifies the balance.'; }
            }
        }
    }

    views
    {
        view(BlockedCustomers)
        {
            Caption = 'Blocked';
            Filters = where(Blocked = const(true));
        }
    }
}
