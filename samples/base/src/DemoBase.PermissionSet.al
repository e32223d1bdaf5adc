namespace Alc.Samples.Base;

permissionset 50000 "Demo Base"
{
    Assignable = true;
    Caption = 'Demo Base';
    Permissions = tabledata "Demo Customer" = RIMD,
                  tabledata "Demo Item" = RIMD,
                  tabledata "Demo Sales Header" = RIMD,
                  tabledata "Demo Sales Line" = RIMD,
                  table "Demo Customer" = X,
                  page "Demo Customer Card" = X,
                  page "Demo Customer List" = X,
                  codeunit "Demo Customer Mgt." = X;
}
