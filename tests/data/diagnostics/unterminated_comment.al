// objects: "Before Comment"
codeunit 50114 "Before Comment"
{
}

codeunit 50115 "Unterminated Comment"
{
    /* this comment runs to the end of the file  // ALC0102
    procedure P()
    begin
    end;
} // ALC0101