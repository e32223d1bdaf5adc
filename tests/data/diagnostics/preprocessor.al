// objects: Directives
codeunit 50140 Directives
{
#define LATE  // ALC0106
#endif  // ALC0104
#else  // ALC0104
#if A and  // ALC0104
#endif
#frobnicate  // ALC0105
    procedure P()
    begin
    end;
}
