permissionset 50600 "Perm Read"
{
    Assignable = false;
    Permissions = tabledata "Perm Entry" = R,
                  tabledata "Demo Customer" = r,
                  tabledata "User" = R;
}

permissionset 50601 "Perm All"
{
    Caption = 'Perms: everything';
    IncludedPermissionSets = "Perm Read", "Demo Base";
    ExcludedPermissionSets = "Perm Setup Only";
    Permissions = tabledata "Perm Entry" = RIMD,
                  table "Perm Entry" = X,
                  codeunit * = X;
}

permissionset 50602 "Perm Setup Only"
{
    Permissions = tabledata "Perm Setup" = RIMD,
                  tabledata "Demo Item" = d;
}

permissionsetextension 50603 "Perm Base Ext" extends "Demo Base"
{
    IncludedPermissionSets = "Perm Read";
    Permissions = tabledata "Perm Entry" = R;
}
