interface "Code Rules Shape"
{
    procedure Area(): Decimal;
}

interface "Code Rules Solid" extends "Code Rules Shape"
{
    procedure Volume(Height: Decimal): Decimal;
}

codeunit 60902 "Code Rules Cube" implements "Code Rules Solid", "Code Rules Shape"
{
    procedure Area(): Decimal
    begin
        exit(1);
    end;

    procedure Volume(Height: Decimal): Decimal
    begin
        exit(Area() * Height);
    end;

    procedure Measure(Solid: Interface "Code Rules Solid"): Decimal
    begin
        if Solid.Area() > 0 then
            exit(Solid.Volume(2));
        exit(Solid.Surface()); // ALC0232
    end;
}
