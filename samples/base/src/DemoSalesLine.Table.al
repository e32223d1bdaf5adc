namespace Alc.Samples.Base;

table 50003 "Demo Sales Line"
{
    Caption = 'Sales Line';
    DataClassification = CustomerContent;

    fields
    {
        field(1; "Document No."; Code[20])
        {
            Caption = 'Document No.';
            TableRelation = "Demo Sales Header";
        }
        field(2; "Line No."; Integer) { Caption = 'Line No.'; }
        field(3; "Customer No."; Code[20]) { Caption = 'Customer No.'; }
        field(4; "Item No."; Code[20])
        {
            Caption = 'Item No.';
            TableRelation = "Demo Item";
        }
        field(5; Quantity; Decimal) { Caption = 'Quantity'; }
        field(6; Amount; Decimal) { Caption = 'Amount'; }
        field(7; Released; Boolean) { Caption = 'Released'; }
    }

    keys
    {
        key(PK; "Document No.", "Line No.") { Clustered = true; }
        key(Customer; "Customer No.", Released) { SumIndexFields = Amount; }
    }
}
