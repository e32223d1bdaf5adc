codeunit 50301 "Tracker Upgrade"
{
    Subtype = Upgrade;

    trigger OnCheckPreconditionsPerCompany()
    begin
    end;

    trigger OnCheckPreconditionsPerDatabase()
    begin
    end;

    trigger OnUpgradePerCompany()
    begin
    end;

    trigger OnUpgradePerDatabase()
    begin
    end;

    trigger OnValidateUpgradePerCompany()
    begin
    end;

    trigger OnValidateUpgradePerDatabase()
    begin
    end;
}
