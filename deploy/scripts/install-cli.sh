#!/usr/bin/env bash
# Packs the command line as a .NET tool and installs it globally, so `dealrisk …` works from any directory.
# Installing again replaces the installed version with the one built from this clone.
set -euo pipefail
cd "$(dirname "$0")/../.."
packages=.run/packages
rm -rf "$packages"
dotnet pack services/AllInOne -c Release -nologo -v q -clp:ErrorsOnly -o "$packages"
dotnet tool uninstall --global DealRisk.Cli >/dev/null 2>&1 || true
dotnet tool install --global DealRisk.Cli --add-source "$packages" --ignore-failed-sources
tools="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
case ":$PATH:" in
  *":$tools:"*) echo "Installed: dealrisk --help" ;;
  *) echo "Installed in $tools, which is not on PATH: add 'export PATH=\"\$PATH:$tools\"' to your shell profile, then run dealrisk --help" ;;
esac
