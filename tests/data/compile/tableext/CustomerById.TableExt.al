// The same table named by its id: the rules see the fields of the table and
// of the extensions of it that dependencies declare, by name or by id.
tableextension 60101 "Rule Customer By Id" extends 50000
{
    fields
    {
        field(60110; "Rule By Id"; Integer) { }
        field(60111; Blocked; Boolean) { } // ALC0207
        field(2; "Rule By Id Two"; Integer) { } // ALC0206
        field(60112; "Loyalty Points"; Integer) { } // ALC0207
        modify("No Such Field Either") // ALC0208
        {
            Caption = 'X';
        }
        modify(Name)
        {
            Caption = 'Customer Name';
        }
    }
}
