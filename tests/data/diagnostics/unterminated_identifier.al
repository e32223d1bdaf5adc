// objects: "Unterminated Identifier", "After Identifier"
// The unterminated identifier is dropped as a token; the statement is lost, the object kept.
codeunit 50112 "Unterminated Identifier"
{
    procedure P()
    begin
        "Open Amount := 1;  // ALC0102
    end;
}

codeunit 50113 "After Identifier"
{
}
