namespace Alc.Samples.Rewards;

using Alc.Samples.Base;

tableextension 50150 "Reward Customer" extends "Demo Customer"
{
    fields
    {
        field(50150; "Reward Voucher Code"; Code[20])
        {
            Caption = 'Reward Voucher Code';
            DataClassification = CustomerContent;
        }
    }
}
