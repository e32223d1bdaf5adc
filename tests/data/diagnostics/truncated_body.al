// objects:
codeunit 50132 "Cut In Body"
{
    procedure P()
    begin
        if X then begin
            Y := 1; // ALC0101