namespace Alc.Samples.Base;

codeunit 60000 "Rule First"
{
}

codeunit 60000 "Rule Second" // ALC0201
{
}

codeunit 60001 "Rule First" // ALC0202
{
}

table 50000 "Rule Table Clash" // ALC0201
{
    fields { field(1; Code; Code[10]) { } }
}

table 60002 "Demo Item" // ALC0202
{
    fields { field(1; Code; Code[10]) { } }
}

codeunit 70000 "Rule Out Of Range" // ALC0203
{
}

codeunit 60003 "Rule Name That Is Far Too Long For AL" // ALC0204
{
}

tableextension 60004 "Rule Missing Target" extends "No Such Table" // ALC0205
{
}

enum 60005 "An Enum Name Longer Than Thirty Characters"
{
    value(0; None) { }
}

tableextension 60005 "Rule Missing Id Target" extends 59999 // ALC0205
{
}
