table 50600 "Perm Entry"
{
    fields
    {
        field(1; "Entry No."; Integer) { }
        field(2; Note; Text[50]) { }
    }
    keys { key(PK; "Entry No.") { Clustered = true; } }
}

table 50601 "Perm Setup"
{
    DataPerCompany = false;
    fields
    {
        field(1; "Primary Key"; Code[10]) { }
    }
    keys { key(PK; "Primary Key") { Clustered = true; } }
}
