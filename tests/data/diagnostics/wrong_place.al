// objects: "Key Outside Keys", "Action In Layout", "Field Without Type", "Property In Fields", "Value In Page", "Move With Body"
// Elements in the wrong place are read, reported with ALC0107, and left out.
table 50120 "Key Outside Keys"
{
    fields
    {
        field(1; "No."; Code[20]) { }
    }
    key(PK; "No.") { }  // ALC0107
}

page 50121 "Action In Layout"
{
    layout
    {
        area(Content)
        {
            action(Post) { }  // ALC0107
        }
    }
}

table 50122 "Field Without Type"
{
    fields
    {
        field(1; "No.") { }  // ALC0107
    }
}

table 50123 "Property In Fields"
{
    fields
    {
        Caption = 'Fields';  // ALC0107
        field(1; "No."; Code[20]) { }
    }
}

page 50124 "Value In Page"
{
    value(0; None) { }  // ALC0107
}

pageextension 50125 "Move With Body" extends "Customer Card"
{
    layout
    {
        moveafter(Name; "No.")
        {
            Visible = false;  // ALC0107
        }
    }
}
