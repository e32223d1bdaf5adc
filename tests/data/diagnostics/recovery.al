// objects: "Good Before", "Good After", "Also Good"
// A broken object does not stop the others: the parser skips to the end of
// the broken object and goes on with the next one.
codeunit 50100 "Good Before"
{
}

codeunit 50101 "Broken"
{
    procedure P()
    begin
        X := ;  // ALC0101
    end;
}

table 50102 "Good After"
{
    fields
    {
        field(1; "No."; Code[20]) { }
    }
}

page 50103 "Broken Too"
{
    layout
    {
        area(Content)
        {
            field(Name; Rec.Name) { Caption = 'x' }  // ALC0101
        }
    }
}

enum 50104 "Also Good"
{
    value(0; None) { }
}
