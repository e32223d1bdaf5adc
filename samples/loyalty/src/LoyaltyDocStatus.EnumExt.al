namespace Alc.Samples.Loyalty;

using Alc.Samples.Base;

enumextension 50100 "Loyalty Doc Status" extends "Demo Doc Status"
{
    value(50100; "Awaiting Points") { Caption = 'Awaiting Points'; }
}
