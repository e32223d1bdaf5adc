codeunit 60600 "Rule Subscribers"
{
    [EventSubscriber(ObjectType::Codeunit, Codeunit::"Demo Customer Mgt.", 'OnBeforeBlockCustomer', '', false, false)]
    local procedure Good(var DemoCustomer: Record "Demo Customer"; var IsHandled: Boolean)
    begin
    end;

    [EventSubscriber(ObjectType::Codeunit, Codeunit::"Demo Customer Mgt.", 'OnBeforeDelete', '', false, false)] // ALC0219
    local procedure NoSuchEvent()
    begin
    end;

    [EventSubscriber(ObjectType::Codeunit, Codeunit::"Demo Vendor Mgt.", 'OnBeforeBlock', '', false, false)] // ALC0218
    local procedure NoSuchPublisher()
    begin
    end;

    [EventSubscriber(ObjectType::Table, Database::"Demo Item", 'OnAfterModifyEvent', '', false, false)]
    local procedure PlatformEvent(var Rec: Record "Demo Item")
    begin
    end;

    [EventSubscriber(ObjectType::Codeunit, Codeunit::"Demo Customer Mgt.", 'CountOpenOrders', '', false, false)] // ALC0219
    local procedure NotAnEvent()
    begin
    end;

    [EventSubscriber(ObjectType::Table, Database::"Demo Customer", 'OnAfterInsertCustomer', '', false, false)]
    local procedure TableEvent(var DemoCustomer: Record "Demo Customer")
    begin
    end;
}
