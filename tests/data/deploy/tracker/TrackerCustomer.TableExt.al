tableextension 50300 "Tracker Customer" extends "Demo Customer"
{
    fields
    {
        field(50300; "Tracked"; Boolean) { }
    }
}
