// objects: Fine
// One error per object: the parser gives up on an object at its first error.
codeunit 50150 MissingSemicolon
{
    procedure P()
    begin
        X := 1
        Y := 2;  // ALC0101
    end;
}

codeunit 50151 MissingThen
{
    procedure P()
    begin
        if X > 0
            Y := 1;  // ALC0101
    end;
}

codeunit 50152 RangeOutsideList
{
    procedure P()
    begin
        X := 1 .. 2;  // ALC0101
    end;
}

codeunit 50153 LiteralStatement
{
    procedure P()
    begin
        42;  // ALC0101
    end;
}

codeunit 50154 MissingUntil
{
    procedure P()
    begin
        repeat
            X += 1;
    end;  // ALC0101
}

codeunit 50155 Fine
{
    procedure P()
    begin
        X := 1;
    end;
}
