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
    var
        Log: Record "Code Rules Log";
    begin
        // `Status::Released` may name the current table's Status, not the receiver's (Microsoft's code does this).
        Log.SetRange(Status, Status::Released);
        Log.SetRange(Status, Status::Logged);
        Log.SetRange(Status, Status::Nothing); // ALC0236
        if IsCreditExceeded("Credit Limit") then
            Modify();
        Rec.Touch();
        Rec.Toch(); // ALC0232
        xRec."No. of Orders" := 0;
    end;
}

table 60903 "Code Rules Log"
{
    fields
    {
        field(1; "Entry No."; Integer) { }
        field(2; Status; Option)
        {
            OptionMembers = " ",Logged;
        }
    }
}
