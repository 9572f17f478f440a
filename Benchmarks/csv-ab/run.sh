#!/usr/bin/env bash
# Issue 11, item 7: can yaslab/CSV.swift keep up with the hand-written parser it replaced? Builds a scratch package
# (release) holding the old parser, taken from git at 1e3ba04, and the package, then reads every file of the shared
# data folder and writes 100,000 export-shaped rows with each, three times, printing the best time.
#   bash Benchmarks/csv-ab/run.sh [DATA_DIR]      (default ../shared/data)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
data=$(cd "${1:-$repo/../shared/data}" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/Sources/csv-ab"
git -C "$repo" show 1e3ba04:Sources/CloseloopApp/Transfer/CSV.swift \
    | sed 's/public enum CSV {/enum HandWritten {/; s/public enum CSVError/enum HandWrittenError/; s/CSVError\./HandWrittenError./g' \
    > "$scratch/Sources/csv-ab/HandWritten.swift"
cp "$here/main.swift" "$scratch/Sources/csv-ab/main.swift"
cat > "$scratch/Package.swift" <<'PKG'
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "csv-ab",
    dependencies: [.package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2")],
    targets: [
        .executableTarget(
            name: "csv-ab", dependencies: [.product(name: "CSV", package: "CSV.swift")],
            swiftSettings: [.swiftLanguageMode(.v5)])
    ]
)
PKG
(cd "$scratch" && swift build -c release -j 2 >&2)
"$scratch/.build/release/csv-ab" "$data"
