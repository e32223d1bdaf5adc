// objects: "After String"
codeunit 50110 "Unterminated String"
{
    procedure P()
    begin
        Msg := 'this string never ends;  // ALC0102
    end;
}  // ALC0101

codeunit 50111 "After String"
{
}
