#!/usr/bin/env bash
# jobs/slurm/testcluster.sh start|stop|status DIR: a private one-node Slurm cluster on this machine,
# for trying the batch scripts and for tests/cli/slurm_pipeline.sh. Needs root (slurmd) and Debian's
# slurmctld, slurmd, slurm-client and munge packages (`start --install` installs the missing ones).
#   start DIR [--install] [--cpus N]   write DIR/slurm.conf, start munged, slurmctld and slurmd with all
#                                      state, sockets, pid files and logs under DIR, wait for the node
#                                      to be idle; prints `export SLURM_CONF=DIR/slurm.conf`
#   stop DIR                           stop the daemons started in DIR, by their pid files only
#   status DIR                         sinfo of that cluster
# It never touches a Slurm or munge the machine may already run: its own munge socket and key copy,
# its own ports (the first free pair from 6917 on, or EMOGEN_SLURM_PORT), its own cluster name.
set -euo pipefail
die() { echo "testcluster.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: jobs/slurm/testcluster.sh start|stop|status DIR [--install] [--cpus N]"
cmd=$1; S=$2; shift 2
install=0; cpus=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case "$1" in
    --install) install=1; shift ;;
    --cpus) cpus=${2:?}; shift 2 ;;
    *) die "unknown option '$1'" ;;
  esac
done
mkdir -p "$S"; S=$(cd "$S" && pwd)
export SLURM_CONF=$S/slurm.conf

stop() {
  local f pid
  for f in "$S/slurmd.pid" "$S/slurmctld.pid" "$S/munge/munged.pid"; do
    [ -s "$f" ] || continue
    pid=$(cat "$f")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

case "$cmd" in
stop) stop; echo "testcluster: stopped the daemons of $S" >&2; exit 0 ;;
status) sinfo; exit 0 ;;
start) ;;
*) die "unknown command '$cmd'" ;;
esac

[ "$(id -u)" = 0 ] || die "needs root (slurmd runs jobs as their users)"
missing=()
for p in slurmctld slurmd slurm-client munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ $install = 1 ] || die "missing Debian packages: ${missing[*]} (start --install installs them)"
  echo "testcluster: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for b in munged slurmctld slurmd sinfo; do command -v "$b" >/dev/null || die "$b not found after installing"; done
[ -s /etc/munge/munge.key ] || die "no /etc/munge/munge.key (the munge package creates it)"

# two free TCP ports next to each other
free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=${EMOGEN_SLURM_PORT:-6917}
while ! { free "$port" && free $((port + 1)); }; do port=$((port + 2)); [ "$port" -lt 7917 ] || die "no free port pair found"; done

stop   # leftovers of an earlier start in the same DIR
mkdir -p "$S"/{munge,state,spool,log}; chmod 755 "$S" "$S/munge"
# munged insists that everyone may traverse every folder above its socket
d=$(dirname "$S")
while [ "$d" != / ]; do
  [ "$(( 0$(stat -c %a "$d") & 1 ))" = 1 ] || die "munged needs $d to be searchable by all (chmod o+x $d), or pick another DIR"
  d=$(dirname "$d")
done
install -m 400 /etc/munge/munge.key "$S/munge/munge.key"
cat > "$S/slurm.conf" <<EOF
ClusterName=emogentest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$S/munge/munge.socket.2
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
ReturnToService=2
JobRequeue=1
MinJobAge=600
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
munged --socket="$S/munge/munge.socket.2" --key-file="$S/munge/munge.key" --pid-file="$S/munge/munged.pid" \
  --log-file="$S/log/munged.log" --seed-file="$S/munge/munged.seed" || die "munged did not start (see $S/log/munged.log)"
slurmctld -f "$SLURM_CONF" || die "slurmctld did not start (see $S/log/slurmctld.log)"
slurmd -f "$SLURM_CONF" -N localhost || die "slurmd did not start (see $S/log/slurmd.log)"
for _ in $(seq 1 100); do
  st=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
  [ "$st" = idle ] && break
  sleep 0.2
done
[ "$st" = idle ] || { stop; die "the node did not become idle (state '${st:-?}'); logs in $S/log/"; }
echo "testcluster: one node, $cpus CPUs, ports $port/$((port + 1)), state in $S" >&2
echo "export SLURM_CONF=$S/slurm.conf"
