namespace Alc.Samples.Base;

codeunit 50000 "Demo Customer Mgt."
{
    Permissions = tabledata "Demo Customer" = rm;

    procedure BlockCustomer(var DemoCustomer: Record "Demo Customer")
    var
        IsHandled: Boolean;
    begin
        OnBeforeBlockCustomer(DemoCustomer, IsHandled);
        if IsHandled then
            exit;
        DemoCustomer.Blocked := true;
        DemoCustomer.Modify(true);
        OnAfterBlockCustomer(DemoCustomer);
    end;

    procedure CountOpenOrders(CustomerNo: Code[20]) Result: Integer
    var
        SalesHeader: Record "Demo Sales Header";
    begin
        SalesHeader.SetRange("Customer No.", CustomerNo);
        SalesHeader.SetRange(Status, SalesHeader.Status::Open);
        if SalesHeader.FindSet() then
            repeat
                Result += 1;
            until SalesHeader.Next() = 0;
    end;

    [IntegrationEvent(false, false)]
    local procedure OnBeforeBlockCustomer(var DemoCustomer: Record "Demo Customer"; var IsHandled: Boolean)
    begin
    end;

    [IntegrationEvent(false, false)]
    local procedure OnAfterBlockCustomer(var DemoCustomer: Record "Demo Customer")
    begin
    end;
}
