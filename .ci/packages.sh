#!/usr/bin/env bash
# Packages: pack everything into a temporary folder, run the sample (samples/) against those packages, install the
# bems-server tool into a temporary tool path, start it on a free port and complete one BeginSession against it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d)
# A version of its own per run, so that the NuGet cache never serves an older build of the same version.
version="0.1.0-ci.$(date +%Y%m%d%H%M%S).$$"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work" "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/bemsserver*/"$version"
}
trap cleanup EXIT

echo "== pack $version"
dotnet pack -c Release -o "$work/packages" -p:Version="$version"
for id in BemsServer BemsServer.Client BemsServer.Testing BemsServer.Protocol; do
  test -f "$work/packages/$id.$version.nupkg" || { echo "missing package $id" >&2; exit 1; }
  test -f "$work/packages/$id.$version.snupkg" || { echo "missing symbols package $id" >&2; exit 1; }
done

# --- issue 22: the Aspire integration and the template are packed too (no symbols for the template: it has no code).
test -f "$work/packages/BemsServer.Aspire.Hosting.$version.nupkg" || { echo "missing package BemsServer.Aspire.Hosting" >&2; exit 1; }
test -f "$work/packages/BemsServer.Aspire.Hosting.$version.snupkg" || { echo "missing symbols package BemsServer.Aspire.Hosting" >&2; exit 1; }
test -f "$work/packages/BemsServer.Templates.$version.nupkg" || { echo "missing package BemsServer.Templates" >&2; exit 1; }
# --- end issue 22

echo "== sample tests against the packages"
export BEMS_PACKAGES="$work/packages"
dotnet test samples/BemsServer.Sample.Tests -p:BemsPackageVersion="$version" --filter "Category!=ExternalServer"

# --- issue 22: a sample per test framework, each run from its own folder as a user would (the folders of xunit v3,
# MSTest and TUnit hold a global.json that puts dotnet test on Microsoft.Testing.Platform).
for framework in XunitV3 NUnit MSTest TUnit; do
  echo "== samples/BemsServer.Sample.$framework against the packages"
  (cd "samples/BemsServer.Sample.$framework" && dotnet test -p:BemsPackageVersion="$version")
done

# dotnet new bems-tests: the template installed from the packed folder into a hive of its own (the user's templates
# are left alone), a project made from it outside the repository, its tests run against the packed packages.
echo "== dotnet new bems-tests"
dotnet new install "$work/packages/BemsServer.Templates.$version.nupkg" --debug:custom-hive "$work/hive"
mkdir -p "$work/template"
printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <add key="bems-local" value="%s" />\n  </packageSources>\n</configuration>\n' \
  "$work/packages" >"$work/template/nuget.config"
(cd "$work/template" && dotnet new bems-tests -o MyApp.BemsTests --debug:custom-hive "$work/hive" && dotnet test MyApp.BemsTests)
# --- end issue 22

echo "== the bems-server tool"
dotnet tool install BemsServer --version "$version" --tool-path "$work/tool" --add-source "$work/packages"

# A free loopback port: the first candidate nothing answers on.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 30000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "no free port found" >&2; exit 1; }

"$work/tool/bems-server" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; echo "bems-server exited" >&2; exit 1; }
  sleep 0.2
done
BEMS_SERVER_URL="ws://127.0.0.1:$port/" dotnet test samples/BemsServer.Sample.Tests --no-build -p:BemsPackageVersion="$version" \
  --filter "Category=ExternalServer"
# --- issue 22: an Aspire app host (Aspire.Hosting.Testing) with BemsServer.Aspire.Hosting as a package runs the tool just
# installed, found on PATH as a user's global tool is, and a client signs in over the resource's connection string.
echo "== samples/BemsServer.Sample.Aspire: the tool as an Aspire resource"
PATH="$work/tool:$PATH" dotnet test samples/BemsServer.Sample.Aspire -p:BemsPackageVersion="$version"
# --- end issue 22
echo "== packages: packed, sample passed, bems-server installed and served BeginSession on port $port"
