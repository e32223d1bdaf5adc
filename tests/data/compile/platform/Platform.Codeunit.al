codeunit 60800 "Rule Platform"
{
    var
        Company: Record Company; // ALC0221
        Session: Record "Active Session"; // ALC0221
}
