; Inno Setup 6 script: installs the one-folder bundle that packaging/paylight.spec builds on Windows.
; Run through packaging/build.py, which calls:
;   iscc /DAppVersion=<wallet.__version__> /DBundleDir=packaging\build\pyinstaller\paylight
;        /Opackaging\dist packaging\windows\paylight.iss
#ifndef AppVersion
  #error Run this through packaging/build.py: it passes /DAppVersion and /DBundleDir.
#endif

[Setup]
; AppId never changes: it is how Windows finds an installed Paylight to upgrade or remove.
AppId={{C183BC55-7058-408C-AD70-05838031372D}
AppName=Paylight
AppVersion={#AppVersion}
AppPublisher=Paylight developers
DefaultDirName={autopf}\Paylight
DefaultGroupName=Paylight
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=paylight-{#AppVersion}-windows-x64-setup
UninstallDisplayIcon={app}\paylightw.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; paylightw.exe is the GUI without a console window; paylight.exe stays the command line.
Name: "{autoprograms}\Paylight"; Filename: "{app}\paylightw.exe"
Name: "{autodesktop}\Paylight"; Filename: "{app}\paylightw.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\paylightw.exe"; Description: "{cm:LaunchProgram,Paylight}"; Flags: nowait postinstall skipifsilent
