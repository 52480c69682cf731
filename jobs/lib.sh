# jobs/lib.sh: sourced by pipeline.sh, retrain.sh and stage.sh (the caller defines die).
# load_config CONFIG: makes CONFIG absolute (it is relative to the caller's directory), moves to
# the repository root (everything inside the config is relative to it), and sets root, E (the
# emogen executable: $EMOGEN or build/bin/emogen), cfg (the config validated against
# schemas/pipeline.schema.json, defaults filled in) and out (its out_dir as written).
load_config() {
  config=$1
  [ -f "$config" ] || die "no config file '$config'"
  config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  cd "$root" || die "cannot enter $root"
  E=${EMOGEN:-$root/build/bin/emogen}
  [ -x "$E" ] || die "no executable $E: build it first (jobs/setup.sh)"
  cfg=$("$E" config check pipeline "$config") || die "the config $config is not valid (see above)"
  out=$(q .out_dir)
}
# q JQ: one value of the config
q() { jq -r "$1" <<<"$cfg"; }
