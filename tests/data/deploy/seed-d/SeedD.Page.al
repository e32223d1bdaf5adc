page 50404 "Seed D List"
{
    PageType = List;
    SourceTable = "Seed D Record";

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
