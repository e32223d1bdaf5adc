namespace Alc.Samples.Rewards;

using Alc.Samples.Base;

pageextension 50150 "Reward Customer Card" extends "Demo Customer Card"
{
    layout
    {
        addafter("Loyalty Tier")
        {
            field("Reward Voucher Code"; Rec."Reward Voucher Code")
            {
                ApplicationArea = All;
                ToolTip = 'Specifies the voucher code earned with loyalty points.';
            }
        }
        modify(Balance)
        {
            Visible = true;
        }
    }
}
