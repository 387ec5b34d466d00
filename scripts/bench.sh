#!/usr/bin/env bash
# `make bench`: decode benchmarks and the end-to-end plan benchmark, one table.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
go build -o "$root/bin/morbench" "$root/cmd/morbench"
exec "$root/bin/morbench" -root "$root" "$@"
