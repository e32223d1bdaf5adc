namespace Alc.Samples.Loyalty;

using Alc.Samples.Base;

tableextension 50100 "Loyalty Customer" extends "Demo Customer"
{
    fields
    {
        field(50100; "Loyalty Points"; Integer)
        {
            Caption = 'Loyalty Points';
            DataClassification = CustomerContent;
            MinValue = 0;
        }
        field(50101; "Loyalty Tier"; Enum "Loyalty Tier")
        {
            Caption = 'Loyalty Tier';
            DataClassification = CustomerContent;
        }
        modify(Name)
        {
            Caption = 'Member Name';
        }
    }

    keys
    {
        key(Points; "Loyalty Points") { }
    }

    procedure AddPoints(Points: Integer)
    begin
        "Loyalty Points" += Points;
        if "Loyalty Points" >= 1000 then
            "Loyalty Tier" := "Loyalty Tier"::Gold;
    end;
}
