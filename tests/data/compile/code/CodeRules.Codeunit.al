using Alc.Samples.Base;

codeunit 60900 "Code Rules"
{
    var
        Customer: Record "Demo Customer";
        Mgt: Codeunit "Demo Customer Mgt.";
        Card: Page "Demo Customer Card";
        Counter: Integer;
        Kind: Option " ",One,"Two Words";
        GreetingLbl: Label 'Hello %1', Comment = '%1 = name';

    procedure Misspelled(Amount: Decimal) Total: Decimal
    var
        Lines: List of [Integer];
        Line: Integer;
    begin
        Total := Amount + Ammount; // ALC0231
        Totl := 1; // ALC0231
        foreach Line in Lines do
            Counter += Line;
        Lines.Add(1);
        Lines.Addd(2); // ALC0232
        this.Countr := 1; // ALC0231
        this.Misspeled(1); // ALC0232
        Session.LogMesage('0001', 'Text', Verbosity::Normal, DataClassification::SystemMetadata, TelemetryScope::All, 'a', 'b'); // ALC0232
        foreach Item in Lines do // ALC0231
            Counter += 1;
        NoSuchProcedure(1); // ALC0231
        Message(GreetingLbl, Customer.Name);
    end;

    procedure Fields()
    begin
        Customer."Nmae" := 'x'; // ALC0230
        if Customer."Loyalty Pionts" > 0 then // ALC0230
            exit;
        Customer."Loyalty Points" := 10;
        Customer.Validate("Loyalty Points", 5);
        Customer.Validate("Loyalty Pts", 5); // ALC0230
        Customer.SetRange("No.", 'C1');
        Customer.LoadFields("No.", Name, Balance);
        Customer.SetLoadFields("No.", Nmae); // ALC0230
        Customer.SetFilter(Balance, '>%1', 0);
        Customer.SystemId := CreateGuid();
        Customer.Status := Customer.Status::Released;
        Customer.Status := "Demo Doc Status"::Open;
        Customer.Status := Enum::"Demo Doc Status"::Open;
        Customer.Status := Enum::"Demo Doc Status"::Opn; // ALC0236
        Customer.Status := "Demo Doc Status"::Closed; // ALC0236
        if Customer.Status = Customer.Status::Relased then // ALC0236
            exit;
        Kind := Kind::"Two Words";
        Kind := Kind::Three; // ALC0236
    end;

    procedure Methods(): Integer
    begin
        Customer.AddPoints(5);
        Customer.AddPoints(); // ALC0233
        Customer.AddPoints(1, 2); // ALC0233
        if Customer.IsCreditExceeded(100) then
            Customer.Modify(true);
        Customer.Insrt(true); // ALC0232
        Customer.FindFirst();
        Mgt.BlockCustomer(Customer);
        Mgt.BlockCustomer(Customer, true); // ALC0233
        Mgt.BlockCustomr(Customer); // ALC0232
        Mgt.OnAfterBlockCustomer(Customer); // ALC0234
        Mgt.Run();
        Card.SetRecord(Customer);
        Card.LookupMode(true);
        if Card.RunModal() = Action::LookupOK then
            Card.GetRecord(Customer);
        Card.Refresh(); // ALC0232
        exit(Mgt.CountOpenOrders(Customer."No.") + Customer.Count());
    end;

    procedure Unqualified()
    begin
        Helper(1, 'a');
        Helper(1);
        Helper(1, 'a', 2); // ALC0233
        this.Helper(1, 'b');
        this.Helper(); // ALC0233
        this.Counter := 2;
        Page.Run(Page::"Demo Customer Card", Customer);
        Counter := Database::"Demo Customer";
        Counter := Codeunit::Alc.Samples.Base."Demo Customer Mgt.";
        if not Confirm('Go?') then
            Error('Stopped at %1', Today());
        with Customer do begin
            Name := 'With';
            Modify();
        end;
        Counter := StrLen(Format(CurrentDateTime()));
        Counter := StrLen(); // ALC0233
        Counter := 'abc'; // ALC0235
        Counter := '1';
        Customer.Name := 5; // ALC0235
        Customer.Blocked := 1; // ALC0235
        Customer."Credit Limit" := 2.5;
        Customer.Name := 'Fine';
        Clear(Counter, Counter); // ALC0233
        if Customer.FindFirst(true) then // ALC0233
            Customer.SetRange("No.");
        Session.LogMessage('0001', 'Text', Verbosity::Normal, DataClassification::SystemMetadata, TelemetryScope::All, 'a', 'b');
        Session.LogMessage('0001'); // ALC0233
    end;

    local procedure Helper(Value: Integer; Text: Text): Integer
    begin
        exit(Value + StrLen(Text));
    end;

    local procedure Helper(Value: Decimal): Integer
    begin
        if Value < 0 then
            exit('negative'); // ALC0235
        exit(Round(Value, 1));
    end;
}
