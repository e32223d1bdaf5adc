using Alc.Samples.Base;

report 60900 "Code Rules Report"
{
    ProcessingOnly = true;

    dataset
    {
        dataitem(Cust; "Demo Customer")
        {
            trigger OnAfterGetRecord()
            begin
                if "Loyalty Points" > 0 then
                    CurrReport.Skip();
                Cust.CalcFields(Balance);
                "Loyalty Pts" := 1; // ALC0231
                CurrReport.Skipp(); // ALC0232
                if CurrReport.PageNo() > 1 then
                    CurrReport.Break();
                CurrReport.Tally(); // ALC0233
                CurrReport.Tally(1);
                CurrReport.RequestOptionsPage.Editable(false);
            end;
        }
    }

    procedure Tally(Count: Integer)
    begin
    end;
}

xmlport 60904 "Code Rules Port"
{
    schema
    {
        textelement(Root)
        {
            textattribute(Kind)
            {
                trigger OnBeforePassVariable()
                begin
                    Kind := 'x';
                    this.Kind := 'y';
                    this.Knd := 'z'; // ALC0231
                    currXMLport.Skip();
                    currXMLport.Skipp(); // ALC0232
                end;
            }
        }
    }
}

reportextension 60901 "Code Rules Report Ext" extends "Code Rules Report"
{
    dataset
    {
        modify(Cust)
        {
            trigger OnAfterAfterGetRecord()
            begin
                Name := CopyStr(Name, 1, 10);
                Nme := ''; // ALC0231
            end;
        }
    }
}

codeunit 60901 "Code Rules Run"
{
    TableNo = "Demo Customer";

    trigger OnRun()
    begin
        "Loyalty Points" := 1;
        Modify();
        Rec.Nme := ''; // ALC0230
    end;
}
