tableextension 50550 "Mini Customer Ext" extends "Mini Customer"
{
    fields
    {
        field(50550; Rating; Integer) { }
    }
}
