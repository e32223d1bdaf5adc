namespace Alc.Samples.Shipping;

using Alc.Samples.Base;

tableextension 50200 "Shipping Customer" extends "Demo Customer"
{
    fields
    {
        field(50200; "Shipping Agent"; Code[10])
        {
            Caption = 'Shipping Agent';
            DataClassification = CustomerContent;
            TableRelation = "Demo Shipping Agent";
        }
    }
}
