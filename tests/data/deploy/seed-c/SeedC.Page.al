page 50403 "Seed C List"
{
    PageType = List;
    SourceTable = "Seed C Record";

    layout
    {
        area(Content)
        {
            repeater(Lines)
            {
                field(Code; Rec.Code) { }
            }
        }
    }
}
