page 60300 "Rule Customer View"
{
    SourceTable = "Demo Customer";

    layout
    {
        area(Content)
        {
            field(Name; Rec.Name) { }
            field(Bad; Rec."Nickname") { } // ALC0213
            field(Credit; Rec.IsCreditExceeded(0)) { }
            field(Count; CountValue) { }
            field(SystemId; Rec.SystemId) { }
        }
    }

    var
        CountValue: Integer;
}

page 60301 "Rule Missing Table"
{
    SourceTable = "Demo Vendor"; // ALC0212
}
