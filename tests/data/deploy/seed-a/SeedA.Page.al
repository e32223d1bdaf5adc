page 50401 "Seed A List"
{
    PageType = List;
    SourceTable = "Seed A Record";

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
