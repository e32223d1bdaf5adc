using Alc.Samples.Base;

pageextension 60900 "Code Rules Card" extends "Demo Customer Card"
{
    trigger OnOpenPage()
    begin
        Rec.Touch();
        Rec."Rule Note" := 'Opened';
        Rec.Nme := ''; // ALC0230
        CurrPage.Update(false);
        CurrPage.Update(false, true); // ALC0233
        CurrPage.Updte(); // ALC0232
        if Rec.IsCreditExceeded(1) then
            Unknown := true; // ALC0231
    end;
}
