using Alc.Samples.Base;

tableextension 60900 "Code Rules Customer" extends "Demo Customer"
{
    fields
    {
        field(60900; "Rule Note"; Text[50])
        {
            trigger OnValidate()
            begin
                if "Rule Note" <> xRec."Rule Note" then
                    AddPoints(1);
                "Loyalty Points" := CurrFieldNo;
                "Rule Nte" := ''; // ALC0231
                TestField("No.");
                Message(FieldCaption("No."));
                Message(FieldCaption()); // ALC0233
                Rec.TestField(Name);
            end;
        }
    }

    procedure Touch()
    begin
        if IsCreditExceeded("Credit Limit") then
            Modify();
        Rec.Touch();
        Rec.Toch(); // ALC0232
        xRec."No. of Orders" := 0;
    end;
}
