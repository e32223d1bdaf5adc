codeunit 60700 "Rule Types"
{
    var
        Customer: Record "Demo Customer";
        Vendor: Record "Demo Vendor"; // ALC0220
        Mgt: Codeunit "Demo Customer Mgt.";
        Status: Enum "Demo Doc Status";
        BadStatus: Enum "Demo Status"; // ALC0220
        Lines: List of [Integer];

    procedure Run(CardPage: Page "Demo Customer Card"; ListPage: Page "Demo Vendor List"): Boolean // ALC0220
    var
        Items: array[3] of Record "Demo Item";
        Quotes: array[2] of Record "Demo Quote"; // ALC0220
        Company: Record Company;
    begin
        exit(true);
    end;
}
