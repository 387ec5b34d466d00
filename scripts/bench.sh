#!/usr/bin/env bash
# `make bench`: the tables of cmd/morbench (decode, plan, scale, lookups).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
go build -o "$root/bin/morbench" "$root/cmd/morbench"
exec "$root/bin/morbench" -root "$root" "$@"
