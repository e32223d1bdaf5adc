// objects: Characters
// A character that is no AL token is reported and skipped; parsing goes on.
codeunit 50116 Characters
{
    procedure P()
    begin
        X := 1; § // ALC0103
        Y := 2; ` // ALC0103
        Z := X + Y;
    end;
}
