namespace Alc.Samples.Loyalty;

using Alc.Samples.Base;

pageextension 50100 "Loyalty Customer Card" extends "Demo Customer Card"
{
    layout
    {
        addlast(Content)
        {
            group(Loyalty)
            {
                Caption = 'Loyalty';

                field("Loyalty Points"; Rec."Loyalty Points")
                {
                    ApplicationArea = All;
                    ToolTip = 'Specifies the loyalty points earned.';
                }
                field("Loyalty Tier"; Rec."Loyalty Tier")
                {
                    ApplicationArea = All;
                    ToolTip = 'Specifies the loyalty tier.';
                }
            }
        }
        modify(Balance)
        {
            Visible = false;
        }
    }

    actions
    {
        addafter(Block)
        {
            action(ResetPoints)
            {
                ApplicationArea = All;
                Caption = 'Reset Points';
                Image = Delete;
                ToolTip = 'Set the loyalty points to zero.';

                trigger OnAction()
                begin
                    Rec."Loyalty Points" := 0;
                    Rec.Modify();
                end;
            }
        }
    }
}
