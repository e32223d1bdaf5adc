namespace Alc.Samples.Base;

table 50001 "Demo Item"
{
    Caption = 'Item';
    DataClassification = CustomerContent;

    fields
    {
        field(1; "No."; Code[20]) { Caption = 'No.'; }
        field(2; Description; Text[100]) { Caption = 'Description'; }
        field(3; "Unit Price"; Decimal)
        {
            Caption = 'Unit Price';
            AutoFormatType = 2;
        }
        field(4; Type; Option)
        {
            Caption = 'Type';
            OptionMembers = Inventory,Service,"Non-Inventory";
            OptionCaption = 'Inventory,Service,Non-Inventory';
        }
    }

    keys
    {
        key(PK; "No.") { Clustered = true; }
    }
}
