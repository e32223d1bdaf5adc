namespace Alc.Samples.Base;

page 50000 "Demo Customer Card"
{
    Caption = 'Customer Card';
    PageType = Card;
    SourceTable = "Demo Customer";
    UsageCategory = None;

    layout
    {
        area(Content)
        {
            group(General)
            {
                Caption = 'General';

                field("No."; Rec."No.")
                {
                    ApplicationArea = All;
                    ToolTip = 'Specifies the number of the customer.';
                }
                field(Name; Rec.Name)
                {
                    ApplicationArea = All;
                    ToolTip = 'Specifies the name of the customer.';
                }
                field(Blocked; Rec.Blocked)
                {
                    ApplicationArea = All;
                    ToolTip = 'Specifies whether the customer is blocked.';
                }
            }
            group(Balances)
            {
                Caption = 'Balances';

                field("Credit Limit"; Rec."Credit Limit")
                {
                    ApplicationArea = All;
                    ToolTip = 'Specifies the credit limit.';
                }
                field(Balance; Rec.Balance)
                {
                    ApplicationArea = All;
                    ToolTip = 'Specifies the balance.';
                    Visible = ShowBalance;
                }
            }
        }
    }

    actions
    {
        area(Processing)
        {
            action(Block)
            {
                ApplicationArea = All;
                Caption = 'Block';
                Image = Lock;
                ToolTip = 'Block the customer.';

                trigger OnAction()
                var
                    CustomerMgt: Codeunit "Demo Customer Mgt.";
                begin
                    CustomerMgt.BlockCustomer(Rec);
                end;
            }
        }
    }

    trigger OnOpenPage()
    begin
        ShowBalance := true;
    end;

    var
        ShowBalance: Boolean;
}
