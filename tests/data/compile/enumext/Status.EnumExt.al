enumextension 60500 "Rule Doc Status" extends "Demo Doc Status"
{
    value(60500; Archived) { }
    value(1; Cancelled) { } // ALC0216
    value(60501; Open) { } // ALC0217
    value(50100; Waiting) { } // ALC0216
    value(60502; "Awaiting Points") { } // ALC0217
}
