namespace Alc.Samples.Base;

table 50000 "Demo Customer"
{
    Caption = 'Customer';
    DataClassification = CustomerContent;
    LookupPageId = "Demo Customer List";
    DrillDownPageId = "Demo Customer List";

    fields
    {
        field(1; "No."; Code[20])
        {
            Caption = 'No.';
            NotBlank = true;
        }
        field(2; Name; Text[100])
        {
            Caption = 'Name';

            trigger OnValidate()
            begin
                if Name <> xRec.Name then
                    "Search Name" := CopyStr(UpperCase(Name), 1, MaxStrLen("Search Name"));
            end;
        }
        field(3; "Search Name"; Code[100])
        {
            Caption = 'Search Name';
        }
        field(4; Blocked; Boolean)
        {
            Caption = 'Blocked';
        }
        field(5; "Credit Limit"; Decimal)
        {
            Caption = 'Credit Limit (LCY)';
            DecimalPlaces = 0 : 2;
            MinValue = 0;
        }
        field(6; Status; Enum "Demo Doc Status")
        {
            Caption = 'Status';
        }
        field(10; Balance; Decimal)
        {
            Caption = 'Balance';
            FieldClass = FlowField;
            CalcFormula = sum("Demo Sales Line".Amount where("Customer No." = field("No."), Released = const(true)));
            Editable = false;
        }
        field(11; "No. of Orders"; Integer)
        {
            Caption = 'No. of Orders';
            FieldClass = FlowField;
            CalcFormula = count("Demo Sales Header" where("Customer No." = field("No.")));
            Editable = false;
        }
    }

    keys
    {
        key(PK; "No.")
        {
            Clustered = true;
        }
        key(Search; "Search Name") { }
    }

    fieldgroups
    {
        fieldgroup(DropDown; "No.", Name) { }
    }

    trigger OnInsert()
    begin
        if "No." = '' then
            Error(NoRequiredErr);
        OnAfterInsertCustomer(Rec);
    end;

    var
        NoRequiredErr: Label 'A customer needs a number.', Comment = 'Shown when a customer is inserted without No.';

    procedure IsCreditExceeded(Amount: Decimal): Boolean
    begin
        CalcFields(Balance);
        exit((Balance + Amount > "Credit Limit") and ("Credit Limit" <> 0));
    end;

    [IntegrationEvent(false, false)]
    local procedure OnAfterInsertCustomer(var DemoCustomer: Record "Demo Customer")
    begin
    end;
}
