<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SetupWizard</name>
    <message>
        <source>Stop setting up?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The seed words are not saved anywhere yet. If you stop now they are gone and no wallet is made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop and forget the words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep going</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
