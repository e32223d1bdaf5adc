namespace Alc.Samples.Rewards;

using Alc.Samples.Loyalty;

enumextension 50150 "Loyalty Tier Rewards" extends "Loyalty Tier"
{
    value(50150; Platinum) { Caption = 'Platinum'; }
}
