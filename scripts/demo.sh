#!/bin/sh
# make demo: start an isulad on a throw-away root, show `isula version` and `isula info`, run a
# container from the embedded busybox image once `isula run` exists, then stop the daemon and
# remove everything (also on Ctrl-C or failure).
#
#   sh scripts/demo.sh dist/linux-x64/isulad     # the single executable
#   sh scripts/demo.sh dist/isula.cjs            # or the bundle, run by the pinned Node 24
set -eu

BIN=${1:?usage: demo.sh BINARY}
[ -e "$BIN" ] || { echo "demo: $BIN not found (make build)" >&2; exit 1; }
BIN=$(realpath "$BIN")
REPO=$(cd "$(dirname "$0")/.." && pwd)

TMP=$(mktemp -d /tmp/isulad-demo.XXXXXX)
DAEMON_PID=
cleanup() {
  status=$?
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
    kill -TERM "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
  fi
  # anything the daemon left mounted under the demo root (deepest first), then the files
  if [ -r /proc/self/mountinfo ]; then
    awk -v d="$TMP" '$5 == d || index($5, d "/") == 1 { print length($5) " " $5 }' /proc/self/mountinfo |
      sort -rn | cut -d' ' -f2- | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  fi
  rm -rf "$TMP"
  # the demo's (now empty) cgroups: isulad-demo-PID and the lcr monitors' isulad-demo-PID.monitor
  for d in /sys/fs/cgroup/*/"isulad-demo-$$" /sys/fs/cgroup/*/"isulad-demo-$$".monitor \
           /sys/fs/cgroup/"isulad-demo-$$" /sys/fs/cgroup/"isulad-demo-$$".monitor; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The faces are picked from argv0: two symlinks to one executable (or wrappers for the bundle).
mkdir -p "$TMP/bin"
case "$BIN" in
  *.cjs)
    NODE=$(node "$REPO/scripts/fetch-node.mjs" linux-x64)
    for face in isulad isula; do
      printf '#!/bin/sh\nexec "%s" "%s" %s "$@"\n' "$NODE" "$BIN" "$face" > "$TMP/bin/$face"
      chmod +x "$TMP/bin/$face"
    done ;;
  *)
    ln -s "$BIN" "$TMP/bin/isulad"
    ln -s "$BIN" "$TMP/bin/isula" ;;
esac
ISULAD="$TMP/bin/isulad"
ISULA="$TMP/bin/isula"
SOCK="$TMP/isulad.sock"
HOST="unix://$SOCK"

cat > "$TMP/daemon.json" <<JSON
{
  "hosts": ["$HOST"],
  "graph": "$TMP/root",
  "state": "$TMP/state",
  "pidfile": "$TMP/isulad.pid",
  "cgroup-parent": "isulad-demo-$$",
  "log-driver": "file",
  "log-opts": { "log-path": "$TMP/log" }
}
JSON

echo "+ isulad --config-file $TMP/daemon.json   (root $TMP/root)"
"$ISULAD" --config-file "$TMP/daemon.json" &
DAEMON_PID=$!
i=0
until [ -S "$SOCK" ]; do
  if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
    echo "demo: isulad exited before listening; its log:" >&2
    cat "$TMP/log/isulad.log" >&2 2>/dev/null || true
    DAEMON_PID=
    exit 1
  fi
  i=$((i + 1))
  [ "$i" -le 600 ] || { echo "demo: isulad did not listen within 60 s" >&2; exit 1; }
  sleep 0.1
done
grep -h 'successfully booted' "$TMP/log/isulad.log" 2>/dev/null || true

echo
echo "+ isula version"
"$ISULA" -H "$HOST" version
echo
echo "+ isula info"
"$ISULA" -H "$HOST" info

echo
run() { echo "+ isula $*"; "$ISULA" -H "$HOST" "$@"; }
run run --rm busybox echo hello from iSulad Edge
echo
run run -d --name demo busybox sh -c 'echo ticking; while true; do sleep 1; done'
run ps
run logs demo
run stop -t 1 demo
run ps -a
run rm demo
echo
echo "+ stopping isulad (SIGTERM)"
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" && echo "isulad exited cleanly" || echo "isulad exited with status $?"
DAEMON_PID=
