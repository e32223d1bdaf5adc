namespace Alc.Samples.Shipping;

using Alc.Samples.Base;

pageextension 50200 "Shipping Customer Card" extends "Demo Customer Card"
{
    layout
    {
        addafter(Blocked)
        {
            field("Shipping Agent"; Rec."Shipping Agent")
            {
                ApplicationArea = All;
                ToolTip = 'Specifies the shipping agent.';
            }
        }
        modify(Balance)
        {
            Visible = true;
        }
    }
}
