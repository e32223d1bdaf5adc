enumextension 60501 "Rule Doc Status By Id" extends 50000
{
    value(60510; Reopened) { }
    value(1; Parked) { } // ALC0216
    value(60511; Open) { } // ALC0217
}
