<#
.SYNOPSIS
    Builds the Dockblocks installer for Windows: dist\dockblocks-<version>-windows-x64-setup.exe

.DESCRIPTION
    Run from anywhere, in a Python 3.11+ environment where Dockblocks is installed with its packaging extra
    (pip install ".[packaging]": PyInstaller, and pywin32 on Windows):

        pwsh packaging\windows\build.ps1

    Steps, each stopping the build when it fails:
      1. read the version from pyproject.toml
      2. check pywin32 is importable (docker-py needs it for the engine's named pipe, npipe://)
      3. PyInstaller: packaging\pyinstaller\dockblocks.spec -> dist\dockblocks\ (one folder); the spec also
         draws resources\icons\dockblocks.svg into build\pyinstaller\icons\dockblocks.ico (exe and installer)
      4. check the bundle carries pywin32 (pywintypes3*.dll)
      5. smoke test: dist\dockblocks\dockblocks.exe --smoke-test with QT_QPA_PLATFORM=offscreen, must exit 0
      6. Inno Setup 6 (ISCC.exe): packaging\windows\dockblocks.iss -> dist\dockblocks-<version>-windows-x64-setup.exe

    Environment: PYTHON (the interpreter, default "python"), ISCC (the path of ISCC.exe, default: PATH, then
    the usual Inno Setup 6 folders).
#>
[CmdletBinding()]
param()

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
Set-Location $Root
$Python = if ($env:PYTHON) { $env:PYTHON } else { 'python' }

function Step([string] $Text) { Write-Host "`n=== build.ps1: $Text" }

# Runs a program and stops the build when it fails ($ErrorActionPreference does not cover exit codes).
function Invoke-Checked([string] $What, [string] $Program, [string[]] $Arguments) {
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "build.ps1: $What failed (exit code $LASTEXITCODE)" }
}

Step 'version from pyproject.toml'
$Version = (& $Python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw 'build.ps1: could not read the version from pyproject.toml' }
# The Windows version resource takes numbers only: 0.2.0rc1 -> 0.2.0.
$NumericVersion = [regex]::Match($Version, '^\d+(\.\d+){0,3}').Value
Write-Host "version $Version (numeric $NumericVersion)"

Step 'pywin32 in the build environment'
Invoke-Checked 'importing pywin32 (pip install ".[packaging]" installs it)' $Python @('-c', 'import pywintypes, win32file, win32pipe')

Step 'PyInstaller bundle'
Invoke-Checked 'PyInstaller' $Python @('-m', 'PyInstaller', '--noconfirm', '--distpath', 'dist', '--workpath', 'build\pyinstaller', 'packaging\pyinstaller\dockblocks.spec')
$Exe = Join-Path $Root 'dist\dockblocks\dockblocks.exe'
if (-not (Test-Path $Exe)) { throw "build.ps1: PyInstaller made no $Exe" }
$Icon = Join-Path $Root 'build\pyinstaller\icons\dockblocks.ico'
if (-not (Test-Path $Icon)) { throw "build.ps1: the spec drew no icon at $Icon" }

Step 'pywin32 in the bundle'
$PyWinTypes = Get-ChildItem -Path (Join-Path $Root 'dist\dockblocks') -Recurse -Filter 'pywintypes3*.dll' | Select-Object -First 1
if (-not $PyWinTypes) { throw 'build.ps1: the bundle has no pywintypes DLL: docker-py could not reach the engine through its named pipe' }
Write-Host "found $($PyWinTypes.FullName)"

Step 'smoke test of the bundle'
# Start-Process -Wait: a windowed (GUI) exe would otherwise return at once, before it has exit code.
$env:QT_QPA_PLATFORM = 'offscreen'
$Out = Join-Path $Root 'build\smoke-test.out.txt'
$Err = Join-Path $Root 'build\smoke-test.err.txt'
New-Item -ItemType Directory -Force -Path (Join-Path $Root 'build') | Out-Null
$Smoke = Start-Process -FilePath $Exe -ArgumentList '--smoke-test' -Wait -PassThru -NoNewWindow `
    -RedirectStandardOutput $Out -RedirectStandardError $Err
Get-Content $Out, $Err -ErrorAction SilentlyContinue | Write-Host
if ($Smoke.ExitCode -ne 0) { throw "build.ps1: the smoke test failed (exit code $($Smoke.ExitCode))" }
Remove-Item Env:\QT_QPA_PLATFORM

Step 'Inno Setup'
$Iscc = $env:ISCC
if (-not $Iscc) {
    $OnPath = Get-Command 'ISCC.exe' -ErrorAction SilentlyContinue
    $Candidates = @(
        $(if ($OnPath) { $OnPath.Source }),
        (Join-Path ${env:ProgramFiles(x86)} 'Inno Setup 6\ISCC.exe'),
        (Join-Path $env:ProgramFiles 'Inno Setup 6\ISCC.exe'),
        (Join-Path $env:LOCALAPPDATA 'Programs\Inno Setup 6\ISCC.exe')
    )
    $Iscc = $Candidates | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
}
if (-not $Iscc) { throw 'build.ps1: Inno Setup 6 is not installed (choco install innosetup, or set ISCC to ISCC.exe)' }
Invoke-Checked 'Inno Setup' $Iscc @(
    "/DAppVersion=$Version",
    "/DNumericVersion=$NumericVersion",
    "/DBundleDir=$(Join-Path $Root 'dist\dockblocks')",
    "/DIconFile=$Icon",
    "/DOutputDir=$(Join-Path $Root 'dist')",
    (Join-Path $Root 'packaging\windows\dockblocks.iss')
)

$Setup = Join-Path $Root "dist\dockblocks-$Version-windows-x64-setup.exe"
if (-not (Test-Path $Setup)) { throw "build.ps1: Inno Setup made no $Setup" }
Step "built $Setup"
