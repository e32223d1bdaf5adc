using Alc.Samples.Base;

codeunit 60910 "Type Rules"
{
    var
        Customer: Record "Demo Customer";
        Item: Record "Demo Item";
        Mgt: Codeunit "Demo Customer Mgt.";
        Count: Integer;
        Amount: Decimal;
        Name: Text[100];
        No: Code[20];
        Flag: Boolean;
        Day: Date;
        Moment: DateTime;
        Id: Guid;
        AnyValue: Variant;
        Kind: Option " ",One,Two;
        Letter: Char;

    procedure Assignments()
    begin
        Count := Customer.Name; // ALC0235
        Count := Name; // ALC0235
        Count := Customer."Credit Limit";
        Count := Letter;
        Count := Kind;
        Count := AnyValue;
        Name := Count; // ALC0235
        Name := Format(Count);
        Name := No;
        Name := Letter;
        Name := Id;
        No := Customer.Name;
        Flag := Count; // ALC0235
        Flag := Customer.Blocked;
        Flag := Customer.FindFirst();
        Day := Moment; // ALC0235
        Day := DT2Date(Moment);
        Moment := CurrentDateTime();
        Day := Today();
        Customer := Item; // ALC0235
        Customer := Customer;
        Amount := Count + Amount;
        Kind := Count;
        Customer.Status := Customer.Status::Open;
        Customer.Status := Name; // ALC0235
        AnyValue := Customer;
        Id := Name;
        Count := StrLen(Name) + Customer.Count();
        Name := CopyStr(Name, 1, 10) + Customer.Name + 'x';
        Count := Name + Name; // ALC0235
        Letter := 'a';
        Letter := 65;
        Letter := 'ab'; // ALC0235
    end;

    procedure Returns(): Integer
    begin
        if Flag then
            exit(Customer.Name); // ALC0235
        exit(Count + 1);
    end;

    procedure NoReturn()
    begin
        if Flag then
            exit(1); // ALC0252
        exit;
    end;

    procedure Conditions()
    begin
        if Count then // ALC0239
            exit;
        if Customer.Name then // ALC0239
            exit;
        if Customer.Blocked or (Count > 0) then
            exit;
        while Amount do // ALC0239
            Amount -= 1;
        repeat
            Count += 1;
        until Name; // ALC0239
        if AnyValue then
            exit;
        if not Customer.FindFirst() then
            exit;
    end;

    procedure Operators()
    begin
        Amount := Name * 2; // ALC0250
        Amount := Flag + 1; // ALC0250
        Name := Name + Count; // ALC0250
        Name := Name - 'a'; // ALC0250
        Count := -Name; // ALC0250
        Flag := Flag and Count; // ALC0250
        if Name = 5 then // ALC0250
            exit;
        if Customer."No." = Count then // ALC0250
            exit;
        Count := Day - Day;
        Day := Day + 7;
        Moment := Moment + 1000;
        Amount := Count * Amount / 3;
        Count := Count div 2 + Count mod 2;
        Name := Name + Letter;
        if Letter = 65 then
            exit;
        if Kind = Kind::One then
            exit;
        if (Name = No) and (Id = Name) then
            exit;
        if Count in [1, 2, 5 .. 9] then
            exit;
        if Count in [1, 'ab'] then // ALC0250
            exit;
        if Customer.Status in [Customer.Status::Open, Customer.Status::Released] then
            exit;
    end;

    procedure Arguments()
    begin
        Helper(1, 'a');
        Helper('abc', 'a'); // ALC0237
        Helper(1, 2); // ALC0237
        Helper(Count, Customer.Name);
        Mgt.BlockCustomer(Customer);
        Mgt.BlockCustomer(Item); // ALC0237
        ByRef(Count);
        ByRef(Customer."No. of Orders");
        ByRef(5); // ALC0238
        ByRef(Count + 1); // ALC0238
        Name := CopyStr(Name, 'ab'); // ALC0237
        Name := CopyStr(Name, 1, 2);
        if Evaluate(Count, Name) then
            exit;
        if Evaluate(5, Name) then // ALC0238
            exit;
        Message('%1 %2', Count, Customer);
        Overloaded(1);
        Overloaded('a');
        Overloaded(true); // ALC0237
    end;

    procedure Cases()
    begin
        case Count of
            1, 2:
                exit;
            'xy': // ALC0251
                exit;
            3 .. 5:
                exit;
        end;
        case Customer.Status of
            Customer.Status::Open:
                exit;
            Name: // ALC0251
                exit;
        end;
        case true of
            Count > 1:
                exit;
            Flag:
                exit;
            Amount: // ALC0251
                exit;
        end;
        case Name of
            'a', No:
                exit;
        end;
    end;

    local procedure Helper(Value: Integer; Text: Text): Integer
    begin
        exit(Value + StrLen(Text));
    end;

    local procedure ByRef(var Value: Integer)
    begin
        Value += 1;
    end;

    local procedure Overloaded(Value: Integer)
    begin
    end;

    local procedure Overloaded(Value: Text)
    begin
    end;
}
