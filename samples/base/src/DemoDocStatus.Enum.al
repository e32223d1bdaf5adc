namespace Alc.Samples.Base;

enum 50000 "Demo Doc Status"
{
    Extensible = true;
    Caption = 'Document Status';

    value(0; Open) { Caption = 'Open'; }
    value(1; Released) { Caption = 'Released'; }
}
