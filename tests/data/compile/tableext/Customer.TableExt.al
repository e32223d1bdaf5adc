tableextension 60100 "Rule Customer" extends "Demo Customer"
{
    fields
    {
        field(60100; "Rule Field"; Integer) { }
        field(2; "Rule Field Two"; Integer) { } // ALC0206
        field(60102; Blocked; Boolean) { } // ALC0207
        field(60103; "Loyalty Points"; Integer) { } // ALC0207
        field(50100; "Rule Field Three"; Integer) { } // ALC0206
        modify("No Such Field") // ALC0208
        {
            Caption = 'X';
        }
        modify(Name)
        {
            Caption = 'Full Name';
            Editable = false; // ALC0209
        }
    }
}
