page 50402 "Seed B List"
{
    PageType = List;
    SourceTable = "Seed B Record";

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
