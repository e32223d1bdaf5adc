pageextension 60201 "Rule Customer Card By Id" extends 50000
{
    layout
    {
        addafter("Loyalty Points")
        {
            field(RuleById; Rec.Name) { }
        }
        addafter(NoSuchControlById) // ALC0210
        {
            field(RuleById2; Rec.Name) { }
        }
    }
}
