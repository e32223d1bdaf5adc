pageextension 60200 "Rule Customer Card" extends "Demo Customer Card"
{
    layout
    {
        addafter("Loyalty Points")
        {
            field(RuleName; Rec.Name) { }
        }
        addafter(NoSuchControl) // ALC0210
        {
            field(RuleName2; Rec.Name) { }
        }
        addlast(NoSuchGroup) // ALC0210
        {
        }
        addlast(FactBoxes)
        {
        }
        modify(NoSuchField) // ALC0211
        {
            Visible = false;
        }
        moveafter(Name; "No Such Control") // ALC0210
        addlast(General)
        {
            field(RuleBad; Rec."No Such Field") { } // ALC0213
        }
    }

    actions
    {
        addafter(ResetPoints)
        {
            action(RuleAction) { }
        }
        addlast(Navigation)
        {
        }
        modify(NoSuchAction) // ALC0211
        {
            Visible = false;
        }
    }
}
