namespace Alc.Samples.Loyalty;

using Alc.Samples.Base;

codeunit 50100 "Loyalty Events"
{
    [EventSubscriber(ObjectType::Codeunit, Codeunit::"Demo Customer Mgt.", 'OnAfterBlockCustomer', '', false, false)]
    local procedure ResetPointsOnBlock(var DemoCustomer: Record "Demo Customer")
    begin
        DemoCustomer."Loyalty Points" := 0;
        DemoCustomer.Modify();
    end;

    [EventSubscriber(ObjectType::Table, Database::"Demo Customer", 'OnAfterInsertEvent', '', false, false)]
    local procedure WelcomePoints(var Rec: Record "Demo Customer"; RunTrigger: Boolean)
    begin
        if RunTrigger then
            Rec.AddPoints(100);
    end;
}
