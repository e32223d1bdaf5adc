// objects: "Complete"
// The file ends in the middle of an object (a cut-off download, say).
codeunit 50130 "Complete"
{
}

table 50131 "Cut Off"
{
    fields
    {
        field(1; "No."; Code[20])
        {
            Caption = 'No.'; // ALC0101