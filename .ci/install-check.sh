#!/usr/bin/env bash
# Install check: what a new user does with the packages, so an install mistake fails CI.
#  1. packs every package under src/ (from the Release build already made) with a version of its own, so NuGet's
#     cache can never hand back an older build;
#  2. checks the dependency groups: net8.0 on Microsoft.Extensions 8.0.x, net10.0 on 10.0.x;
#  3. creates a fresh `dotnet new web` app outside the repository (none of its props apply), adds the packages
#     from the local folder through a nuget.config that keeps the machine's usual source for their dependencies,
#     pastes the README's quick start as Program.cs and builds it, for net10.0 and for net8.0.
# Usage: .ci/install-check.sh (from anywhere). Exits non-zero, saying which step failed, on any problem.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

work=$(mktemp -d)
version="0.0.0-installcheck.$(date +%Y%m%d%H%M%S).$$"
cache=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
ids=()

cleanup() {
  rm -rf "$work"
  # The packages restored under this check's version are of no use to anyone later.
  for id in "${ids[@]}"; do
    [ -n "$cache" ] && rm -rf "${cache%/}/${id,,}/$version" && rmdir --ignore-fail-on-non-empty "${cache%/}/${id,,}"
  done
}
trap cleanup EXIT

fail() {
  echo "install check FAILED: $1" >&2
  if [ -n "${2:-}" ] && [ -f "$2" ]; then
    tail -n 40 "$2" >&2
  fi
  exit 1
}

echo "install check: packing every package under src/ as $version"
for project in src/*/*.csproj; do
  dotnet pack "$project" -c Release --no-build -o "$work/packages" -p:Version="$version" >"$work/pack.log" 2>&1 \
    || fail "dotnet pack $project (build it in Release first)" "$work/pack.log"
done
shopt -s nullglob
nupkgs=("$work/packages"/*."$version".nupkg)
[ "${#nupkgs[@]}" -gt 0 ] || fail "no package was packed from src/"
for nupkg in "${nupkgs[@]}"; do
  name=$(basename "$nupkg")
  ids+=("${name%."$version".nupkg}")
done
echo "install check: packed ${ids[*]}"

# Each package's dependency groups: no Microsoft.Extensions 10.x (or 9.x) in the net8.0 group, none below 10 in net10.0.
for nupkg in "${nupkgs[@]}"; do
  python3 - "$nupkg" <<'PY' || fail "the dependency groups of $(basename "$nupkg") are wrong (see above)"
import re, sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    nuspec = z.read(next(n for n in z.namelist() if n.endswith(".nuspec"))).decode("utf-8")
bad = []
for tfm, body in re.findall(r'<group targetFramework="([^"]+)">(.*?)</group>', nuspec, re.S):
    for dep, ver in re.findall(r'<dependency id="(Microsoft\.Extensions\.[^"]+)" version="([^"]+)"', body):
        major = ver.lstrip("[(").split(".")[0]
        want = "8" if tfm.lower() in ("net8.0", ".netcoreapp8.0") else "10"
        if major != want:
            bad.append(f"{tfm}: {dep} {ver} (want {want}.0.x)")
if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
PY
done

readme_code() {
  # The first ```csharp block of the README's "## Quick start" section.
  awk '/^## Quick start$/ { in_section = 1; next }
       in_section && /^## / { exit }
       in_section && /^```csharp$/ && !done { in_code = 1; next }
       in_code && /^```$/ { in_code = 0; done = 1; next }
       in_code { print }' "$root/README.md"
}

echo "install check: a fresh 'dotnet new web' app with the README quick start"
dotnet new web -o "$work/app" --no-restore >"$work/new.log" 2>&1 || fail "dotnet new web" "$work/new.log"
cat >"$work/app/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <!-- Added to the machine's sources, which still serve the packages' dependencies. -->
    <add key="inproc-local" value="$work/packages" />
  </packageSources>
</configuration>
EOF
readme_code >"$work/app/Program.cs"
grep -q '^using InProc;' "$work/app/Program.cs" \
  || fail "README.md's \"## Quick start\" has no \`\`\`csharp block starting with 'using InProc;' to paste as Program.cs"
for id in "${ids[@]}"; do
  dotnet add "$work/app" package "$id" --version "$version" >"$work/add.log" 2>&1 \
    || fail "dotnet add package $id $version from the local source" "$work/add.log"
done

for framework in net10.0 net8.0; do
  # The app as `dotnet new web -f $framework` would make it: a .NET 8 app must get the net8.0 dependency group.
  sed -i "s|<TargetFramework>[^<]*</TargetFramework>|<TargetFramework>$framework</TargetFramework>|" "$work/app/app.csproj"
  dotnet build "$work/app" -c Release -p:TreatWarningsAsErrors=true >"$work/build.log" 2>&1 \
    || fail "the README quick start, pasted into a new web app with the packed packages, does not build for $framework" "$work/build.log"
  echo "install check: the quick start builds for $framework"
done
echo "install check: passed"
