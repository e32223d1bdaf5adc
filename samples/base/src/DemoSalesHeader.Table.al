namespace Alc.Samples.Base;

table 50002 "Demo Sales Header"
{
    Caption = 'Sales Header';
    DataClassification = CustomerContent;

    fields
    {
        field(1; "No."; Code[20]) { Caption = 'No.'; }
        field(2; "Customer No."; Code[20])
        {
            Caption = 'Customer No.';
            TableRelation = "Demo Customer"."No." where(Blocked = const(false));
        }
        field(3; "Order Date"; Date) { Caption = 'Order Date'; }
        field(4; Status; Enum "Demo Doc Status") { Caption = 'Status'; }
    }

    keys
    {
        key(PK; "No.") { Clustered = true; }
    }
}
