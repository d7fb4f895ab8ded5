; Inno Setup 6 script for the Dockblocks installer (Windows, x64).
;
; Built by packaging\windows\build.ps1, which passes everything that changes from build to build:
;   ISCC /DAppVersion=0.1.0 /DNumericVersion=0.1.0 /DBundleDir=<repo>\dist\dockblocks
;        /DIconFile=<repo>\build\pyinstaller\icons\dockblocks.ico /DOutputDir=<repo>\dist packaging\windows\dockblocks.iss
; AppVersion is pyproject.toml's [project] version; NumericVersion is its leading numbers only, because the
; Windows version resource (VersionInfoVersion) accepts nothing else (0.2.0rc1 -> 0.2.0).

#ifndef AppVersion
  #error AppVersion is not defined: build with packaging\windows\build.ps1 (it reads pyproject.toml)
#endif
#ifndef NumericVersion
  #define NumericVersion AppVersion
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\dockblocks"
#endif
#ifndef IconFile
  ; Drawn from resources\icons\dockblocks.svg by the spec (packaging\pyinstaller\app_icons.py), not committed.
  #define IconFile "..\..\build\pyinstaller\icons\dockblocks.ico"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

#define AppName "Dockblocks"
#define AppExeName "dockblocks.exe"
; The file type's programmatic identifier: <Program>.<Type>, as Windows recommends.
#define ProgId "Dockblocks.Project"

[Setup]
; AppId identifies the installation for upgrades and the uninstaller: never change it.
AppId={{652F9738-E97B-4523-A815-EB4D6616538E}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Dockblocks project
VersionInfoVersion={#NumericVersion}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#NumericVersion}
VersionInfoDescription={#AppName} installer
; {autopf} is Program Files for everyone, or the user's own Programs folder for a per-user installation.
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Installing for everyone needs an administrator; a student on a school PC can choose "only for me" instead
; (the installer asks, or /CURRENTUSER on the command line).
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
; The .dockblocks association below: tell Explorer to refresh its icons when it changes.
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=dockblocks-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\dockblocks.ico
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Close a running Dockblocks before replacing its files (and start it again after an update).
CloseApplications=yes
RestartApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The PyInstaller one-folder bundle, as it is (the exe, _internal\ with Python, Qt, pywin32, hadolint ...).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#IconFile}"; DestDir: "{app}"; DestName: "dockblocks.ico"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; IconFilename: "{app}\dockblocks.ico"; Comment: "Compose Dockerfiles from blocks"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; IconFilename: "{app}\dockblocks.ico"; Tasks: desktopicon

[Registry]
; Double-clicking a .dockblocks project opens it in Dockblocks. HKA is HKLM for everyone, HKCU for a per-user
; installation; uninsdelete* removes exactly what was added here, nothing of other programs.
Root: HKA; Subkey: "Software\Classes\.dockblocks"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.dockblocks"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-dockblocks"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.dockblocks\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Dockblocks project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\dockblocks.ico,0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".dockblocks"; ValueData: ""

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
