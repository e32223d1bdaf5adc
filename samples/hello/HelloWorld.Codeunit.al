namespace Alc.Samples.Hello;

codeunit 50100 "Hello World"
{
    trigger OnRun()
    begin
        Message(Greeting('World'));
    end;

    procedure Greeting(Who: Text): Text
    var
        GreetingLbl: Label 'Hello, %1!', Comment = '%1 = who is greeted';
    begin
#if ALC_SAMPLE
        exit(StrSubstNo(GreetingLbl, Who));
#else
        exit('Hello');
#endif
    end;
}
