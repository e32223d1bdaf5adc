permissionset 50300 "Tracker"
{
    Assignable = true;
    Caption = 'Tracker';
    Permissions = tabledata "Tracker Entry" = RIMD,
                  table "Tracker Entry" = X,
                  codeunit "Tracker Install" = X;
}
