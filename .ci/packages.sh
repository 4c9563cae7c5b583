#!/usr/bin/env bash
# Packages: pack everything once as a release (the version in Directory.Build.props, no prerelease suffix, so a stable
# package that depends on a prerelease fails the pack: NU5104), run the sample (samples/) against those packages,
# install the bems-server tool into a temporary tool path, start it on a free port and complete one BeginSession.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d)
version=$(dotnet msbuild src/BemsServer/BemsServer.csproj -getProperty:Version)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== pack $version (release)"
dotnet pack -c Release -o "$work/packages"
for id in BemsServer BemsServer.Client BemsServer.Testing BemsServer.Protocol BemsServer.Aspire.Hosting; do
  test -f "$work/packages/$id.$version.nupkg" || { echo "missing package $id" >&2; exit 1; }
  test -f "$work/packages/$id.$version.snupkg" || { echo "missing symbols package $id" >&2; exit 1; }
done

# The template has no code, so no symbols package.
test -f "$work/packages/BemsServer.Templates.$version.nupkg" || { echo "missing package BemsServer.Templates" >&2; exit 1; }
# From here on a NuGet cache of this run's own: every run packs the same version, and the machine's cache may hold an
# older build of it (which NuGet would take without looking at the packed folder). The packages' dependencies restore
# from the registry into it, as on a user's machine.
export NUGET_PACKAGES="$work/nuget"

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
# One package per platform, each ReadyToRun, behind the BemsServer package; the install takes this machine's.
for rid in linux-x64 linux-arm64 linux-musl-x64 osx-x64 osx-arm64 win-x64; do
  if [ ! -f "$work/packages/BemsServer.$rid.$version.nupkg" ]; then echo "no BemsServer.$rid package was packed" >&2; exit 1; fi
done
dotnet tool install BemsServer --version "$version" --tool-path "$work/tool" --add-source "$work/packages"
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
if [ ! -d "$work/tool/.store/bemsserver/$version/bemsserver.$rid" ]; then
  echo "the install did not take the $rid package: $(ls "$work/tool/.store/bemsserver/$version")" >&2
  exit 1
fi
tool_version=$("$work/tool/bems-server" --version)
case "$tool_version" in
  "$version" | "$version+"*) echo "bems-server --version: $tool_version" ;;
  *) echo "bems-server --version printed '$tool_version', not $version" >&2; exit 1 ;;
esac

# A free loopback port: the first candidate nothing answers on.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 30000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "no free port found" >&2; exit 1; }

"$work/tool/bems-server" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
# Ready when the tool's own health check says so (the command a container's HEALTHCHECK runs).
for _ in $(seq 1 100); do
  if "$work/tool/bems-server" healthcheck --url "http://127.0.0.1:$port" >/dev/null 2>&1; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; echo "bems-server exited" >&2; exit 1; }
  sleep 0.2
done
"$work/tool/bems-server" healthcheck --url "http://127.0.0.1:$port"
BEMS_SERVER_URL="ws://127.0.0.1:$port/" dotnet test samples/BemsServer.Sample.Tests --no-build -p:BemsPackageVersion="$version" \
  --filter "Category=ExternalServer"
# --- issue 22: an Aspire app host (Aspire.Hosting.Testing) with BemsServer.Aspire.Hosting as a package runs the tool just
# installed, found on PATH as a user's global tool is, and a client signs in over the resource's connection string.
echo "== samples/BemsServer.Sample.Aspire: the tool as an Aspire resource"
PATH="$work/tool:$PATH" dotnet test samples/BemsServer.Sample.Aspire -p:BemsPackageVersion="$version"
# --- end issue 22
echo "== packages: $version packed as a release, sample passed, bems-server installed, healthy and served BeginSession on port $port"
