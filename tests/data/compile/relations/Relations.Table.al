table 60400 "Rule Relations"
{
    fields
    {
        field(1; "Customer No."; Code[20])
        {
            TableRelation = "Demo Customer"."No.";
        }
        field(2; "Vendor No."; Code[20])
        {
            TableRelation = "Demo Vendor"; // ALC0214
        }
        field(3; "Customer Name"; Text[100])
        {
            TableRelation = "Demo Customer"."Nick Name"; // ALC0215
        }
        field(4; "Item No."; Code[20])
        {
            TableRelation = if (Kind = const(Item)) "Demo Item" where(Type = const(Inventory))
            else if (Kind = const(Customer)) "Demo Customer" where("No. Series" = const('X')); // ALC0215
        }
        field(5; Kind; Option)
        {
            OptionMembers = Item,Customer;
        }
        field(6; "Open Amount"; Decimal)
        {
            FieldClass = FlowField;
            CalcFormula = sum("Demo Sales Line".Amount where("Customer No." = field("Customer No.")));
        }
        field(7; "Bad Amount"; Decimal)
        {
            FieldClass = FlowField;
            CalcFormula = sum("Demo Sales Line"."Net Amount"); // ALC0215
        }
        field(8; "Bad Link"; Decimal)
        {
            FieldClass = FlowField;
            CalcFormula = sum("Demo Sales Line".Amount where("Customer No." = field("Customer Number"))); // ALC0215
        }
        field(9; "Lines"; Integer)
        {
            FieldClass = FlowField;
            CalcFormula = count("Demo Quote Line"); // ALC0214
        }
    }
}
