namespace Alc.Samples.Shipping;

table 50200 "Demo Shipping Agent"
{
    Caption = 'Shipping Agent';
    DataClassification = CustomerContent;

    fields
    {
        field(1; Code; Code[10]) { Caption = 'Code'; }
        field(2; Name; Text[50]) { Caption = 'Name'; }
    }

    keys
    {
        key(PK; Code) { Clustered = true; }
    }
}
