#!/usr/bin/env bash
# `make demo`: the provider doing its job against an embedded MOR.
#
# Starts the MOR simulator on a free loopback port with the demo dataset, runs
# `terraform plan` and `apply` on examples/demo through a dev_overrides CLI
# configuration in a scratch folder under bin/ (never ~/.terraformrc, never the
# network), prints what was read, and stops the simulator however it ends.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"
run="$bin/demo"
terraform=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || echo "$bin/tofu")}
start_ms=$(( $(date +%s%N) / 1000000 ))

[ -x "$bin/terraform-provider-mor" ] || { echo "demo: run 'make demo' (it builds the provider first)" >&2; exit 1; }
go build -o "$bin/morsim" "$root/cmd/morsim"

# A fresh scratch copy each run: state and lock files of an earlier run
# cannot get in the way, and nothing is written outside bin/.
rm -rf "$run"
mkdir -p "$run"
cp "$root"/examples/demo/*.tf "$run/"

sim_pid=""
cleanup() {
	if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
		kill -TERM "$sim_pid" 2>/dev/null || true
		wait "$sim_pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$bin/morsim" -listen 127.0.0.1:0 -env-file "$run/mor.env" -stats-file "$run/stats.json" > "$run/morsim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do
	[ -s "$run/mor.env" ] && break
	kill -0 "$sim_pid" 2>/dev/null || { cat "$run/morsim.log" >&2; exit 1; }
	sleep 0.1
done
[ -s "$run/mor.env" ] || { echo "demo: the simulator did not start" >&2; exit 1; }
set -a
# shellcheck disable=SC1091
. "$run/mor.env"
set +a
head -1 "$run/morsim.log"

# Terraform takes the provider from bin/ (dev_overrides): no registry, no init.
cat > "$run/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "mor-terraform/mor" = "$bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$run/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

tf() { "$terraform" -chdir="$run" "$@"; }

echo
echo "== terraform plan"
tf plan -input=false -no-color -out=demo.tfplan > "$run/plan.log" 2>&1 || { cat "$run/plan.log"; exit 1; }
grep -E '^(Plan|Changes to Outputs|No changes)' "$run/plan.log" || true
echo
echo "== terraform apply"
tf apply -input=false -no-color demo.tfplan > "$run/apply.log" 2>&1 || { cat "$run/apply.log"; exit 1; }
grep -E '^Apply complete' "$run/apply.log" || true
# The audit's check blocks report as warnings: show their messages.
echo "Audit warnings (check blocks):"
awk '/^Warning: Check block assertion failed/{w=1} w && /device\(s\)/{p=1} /^$/{p=0} p{print "  " $0}' "$run/apply.log"

echo
echo "== What MOR told us"
tf output -json > "$run/outputs.json"
tf output -no-color did_routing | sed -n '1,9p'
echo "  ... $(grep -c '=' < <(tf output -no-color did_routing)) routed DIDs in all"
echo
echo "free_dids: $(tf output -json free_dids | tr -d '[]"' | tr ',' ' ' | cut -c1-90)..."
echo
tf output -no-color customer_devices | sed -n '1,9p'
echo "  ..."
echo
echo "device_clis = $(tf output -json device_clis)"

cleanup
sim_pid=""
elapsed_ms=$(( $(date +%s%N) / 1000000 - start_ms ))
echo
echo "== Summary"
echo "  plan + apply read MOR with $(sed -E 's/.*"requests":([0-9]+).*/\1/' "$run/stats.json") HTTP requests: $(sed -E 's/.*"by_method":\{([^}]*)\}.*/\1/; s/"//g; s/,/, /g' "$run/stats.json")"
printf '  in %d.%d s, on a simulator at %s\n' $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100)) "$MOR_URL"
echo "  full logs and outputs: bin/demo/"
echo
# What works today, the provider not being on the registry yet: this build
# through the same dev_overrides CLI configuration (README.md, Installing).
echo "Next: run it against your MOR with this build of the provider (no terraform init: dev_overrides, as in README.md's Installing):"
echo "  export TF_CLI_CONFIG_FILE=$run/terraformrc"
echo "  export MOR_URL=https://mor.example.com/billing MOR_USERNAME=admin MOR_API_SECRET_KEY=<your key> MOR_PASSWORD=<admin's password>"
echo "  $terraform -chdir=$PWD/examples/demo plan -var customer_user_id=<id> -var cli_device_id=<id>"
echo "(bin/demo/terraformrc is rewritten by each make demo; copy its dev_overrides block into your own CLI configuration to keep it.)"
