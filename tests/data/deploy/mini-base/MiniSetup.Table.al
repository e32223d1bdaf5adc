table 50501 "Mini Setup"
{
    fields
    {
        field(1; "Primary Key"; Code[10]) { }
    }

    keys
    {
        key(PK; "Primary Key") { Clustered = true; }
    }
}
