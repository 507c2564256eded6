// The per-container monitor, embedded because the product is one executable: the driver writes
// these two texts into its state dir once (writeMonitorFiles) and spawns `sh lcr-monitor.sh run …`
// detached for every start. Per container that is one dash, one lxc-start and two awk log copiers
// (none with log driver none: the CRI's pause container), all programs that already exist on the
// device; no Node process. See docs/container-lifecycle.md.
//
// Exit status: stock `lxc-start -F` exits 0 whenever the container started. LXC logs the init's
// wait status at INFO ("Child <pid> ended on error (N)" / "ended on signal Name(N)") and nothing
// for status 0. We parse it anchored on the init pid LXC itself logs at NOTICE ("Started "…" with
// pid "P""), so a line about another process (LXC also logs "Received 17 from pid …") cannot match,
// and a log without the "Started" line means the start failed (-1) rather than "exited 0".
// LXC's log is a private file the driver truncates before each start, so old runs cannot match.

/** '$' for the shell's own ${…} expansions inside the raw template below. */
const D = '$';

export const MONITOR_SH = String.raw`#!/bin/sh
# iSulad Edge lcr monitor. Written by the daemon; do not edit.
#   sh lcr-monitor.sh run STATE LXCPATH NAME -- ARGV...   (env LCR_EXIT, LCR_AWK, LCR_AWK_PROG, LOG_*)
#   sh lcr-monitor.sh rotate LEN                        (called by the log copier; env LOG_*)
set -u
case "$1" in
rotate)
	p=$LOG_PATH
	i=0
	# a mkdir lock serialises the two copiers; a stale lock (power loss mid-rotation) is broken after ~2 s
	while ! mkdir "$p.lock" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt 200 ]; then rmdir "$p.lock" 2>/dev/null; i=0; fi
		sleep 0.01 2>/dev/null || sleep 1
	done
	size=$(wc -c 2>/dev/null <"$p") || size=0
	if [ $((${D}{size:-0} + $2)) -gt "$LOG_MAX" ]; then
		n=$((LOG_FILES - 1))
		if [ "$n" -lt 1 ]; then
			rm -f "$p"
		else
			rm -f "$p.$n"
			while [ "$n" -gt 1 ]; do
				m=$((n - 1))
				[ -e "$p.$m" ] && mv -f "$p.$m" "$p.$n"
				n=$m
			done
			mv -f "$p" "$p.1"
		fi
	fi
	rmdir "$p.lock"
	exit 0
	;;
run) ;;
*) echo "lcr-monitor: unknown command $1" >&2; exit 2 ;;
esac

st=$2 lxcpath=$3 name=$4
shift 4
[ "$1" = -- ] && shift
cd "$st" || exit 1
# every process spawned here is start latency: the driver already removed the old exit file and
# truncated lxc.log (it reads it from offset 0); the output FIFOs are made here on the first
# start only (cheaper than a spawn from the daemon at create) and kept for restarts
# log driver none (the CRI's pause container): the output is dropped, no FIFOs, no copiers
out=out.fifo err=err.fifo a1= a2=
[ "${D}{LOG_FORMAT:-}" = none ] && out=/dev/null err=/dev/null
if [ "$out" = out.fifo ] && { [ ! -p out.fifo ] || [ ! -p err.fifo ]; }; then
	mkfifo -m 0600 out.fifo err.fifo || { echo -1 >"$LCR_EXIT.tmp"; mv -f "$LCR_EXIT.tmp" "$LCR_EXIT"; exit 1; }
fi
in=/dev/null
[ -p stdin.fifo ] && in=stdin.fifo
if [ "$out" = out.fifo ]; then
	export LCR_MONITOR="$0"
	# shellcheck disable=SC2086 # LCR_AWK is "mawk -W interactive" or "busybox awk"
	LCR_STREAM=stdout TZ=UTC $LCR_AWK -f "$LCR_AWK_PROG" <out.fifo &
	a1=$!
	# shellcheck disable=SC2086
	LCR_STREAM=stderr TZ=UTC $LCR_AWK -f "$LCR_AWK_PROG" <err.fifo &
	a2=$!
	# the monitor keeps a writer on each FIFO so it can end the copiers with a marker line (LCR_EOF)
	# once lxc-start is gone, instead of waiting for EOF: a process that escaped the container (no
	# private pid namespace) may hold the pipes forever, and mawk mishandles EOF after a partial line
	exec 3>out.fifo 4>err.fifo
fi
# stdin: the container reads the FIFO read-only, so it sees EOF once no writer is left. fd 5 is
# the keeper, a writer held by this monitor for the container's life: stdin stays open between
# clients (create -i, run -d -i). With LCR_STDIN_ONCE (run -i, its client attached) the daemon's
# writer is open before this start and the monitor keeps none: the client's EOF reaches the
# container. On the command, 5<> first makes the read-only open return at once (a FIFO open for
# reading waits for a writer), then 5>&- drops that second writer again.
[ "$in" != /dev/null ] && [ -z "${D}{LCR_STDIN_ONCE:-}" ] && exec 5<>"$in"
# LXC's log path is relative to the state dir, this process's cwd: LXC makes a missing log's
# parent directories, so an absolute path would make the state dir again when a container was
# removed while a monitor orphaned by a daemon kill had not yet reached lxc-start (a kill storm
# found such a dir); in a removed cwd the log cannot be opened and lxc-start just fails.
if [ -n "${D}{LCR_TTY_CMD:-}" ]; then
	# -t: LXC gives the container a pty console and lxc-start -F proxies it to its own terminal,
	# which script(1) provides. That outer pty is set raw so it adds no echo and no second \r.
	# LCR_TTY_CMD is the lxc-start command line, quoted by the driver. Run, not exec'd: script
	# stops itself when its child stops and a SIGCONT to lxc-start would not resume it.
	SHELL=/bin/sh script -q -e -c "stty raw -echo 2>/dev/null; $LCR_TTY_CMD; exit \$?" /dev/null 5<>"$in" <"$in" 5>&- >"$out" 2>"$err" 3>&- 4>&-
else
	lxc-start -F -q -C -n "$name" -P "$lxcpath" -o lxc.log -l INFO -- "$@" 5<>"$in" <"$in" 5>&- >"$out" 2>"$err" 3>&- 4>&-
fi
rc=$?
exec 5>&-
[ "$rc" -eq 0 ] || echo "lcr-monitor: lxc-start exited with status $rc" >&2
# everything the container wrote is in the pipes before the marker; a dead copier must not kill
# the monitor with SIGPIPE (the exit file is still to be written)
trap '' PIPE
if [ -n "$a1" ]; then
	printf '%s\n' "$LCR_EOF" >&3 2>/dev/null
	printf '%s\n' "$LCR_EOF" >&4 2>/dev/null
	exec 3>&- 4>&-
	wait "$a1" "$a2" 2>/dev/null
fi
pid=
code=
# sh's read takes one byte per read(2): feed it the two kinds of lines only (grep is one exec;
# reading the ~8 KB INFO log byte by byte cost tens of ms per exit)
while IFS= read -r l; do
	case $l in
	*' Started "'*'" with pid "'*)
		pid=${D}{l##*with pid \"}
		pid=${D}{pid%%\"*}
		;;
	*" Child <$pid> ended on error ("*)
		[ -n "$pid" ] || continue
		code=${D}{l##*ended on error (}
		code=${D}{code%%)*}
		;;
	*" Child <$pid> ended on signal "*"("*)
		[ -n "$pid" ] || continue
		s=${D}{l##*(}
		s=${D}{s%%)*}
		code=$((128 + s))
		;;
	esac
done <<LCR_LINES
$(grep -F -e ' Started "' -e ' Child <' lxc.log 2>/dev/null)
LCR_LINES
if [ -z "$code" ]; then
	if [ -n "$pid" ] && [ "$rc" -eq 0 ]; then code=0; else code=-1; fi
fi
printf '%s\n' "$code" >"$LCR_EXIT.tmp" && mv -f "$LCR_EXIT.tmp" "$LCR_EXIT"
`;

// The log copier: one awk per stream turns lines into docker json-file records and rotates.
// Both copiers append to the same file with open-write-close per record, so after a rotation by
// either one the next record of the other lands in the new file. Each copier only knows its own
// bytes: every max-size/16 bytes (or half of what is left, if less) it asks the real size (wc -c)
// and rotates once less than a sixteenth is left. The other copier can hold at most one such
// slice, so a file stays within max-size + max-size/32 + one record, and rotated files are at
// least 15/16 full. The rotation itself runs under a mkdir lock in the sh monitor.
// Timestamps: awk has only whole seconds, so time = LCR_CLOCK_BASE + /proc/uptime (10 ms steps),
// re-based whenever it drifts more than 1.5 s from systime() (clock set, suspend).
export const LOG_AWK = String.raw`function rep(s, ch, by,   n, parts, i, o) {
	n = split(s, parts, ch); o = parts[1]
	for (i = 2; i <= n; i++) o = o by parts[i]
	return o
}
function jsonstr(s,   o, n, i, c) {
	if (index(s, BS)) s = rep(s, "\\\\", BS BS)
	if (index(s, "\"")) s = rep(s, "\"", BS "\"")
	if (s ~ /[\001-\037\177]/) {
		o = ""; n = length(s)
		for (i = 1; i <= n; i++) { c = substr(s, i, 1); o = o ((c in esc) ? esc[c] : c) }
		s = o
	}
	return s
}
function now(   up, t, sec, wall) {
	up = 0; getline up < "/proc/uptime"; close("/proc/uptime")
	split(up, f, " "); t = base + f[1]
	wall = systime()
	if (t - wall > 1.5 || wall - t > 1.5) { base = wall - f[1]; t = wall }
	sec = int(t)
	if (sec != lastsec) { lastsec = sec; secstr = strftime("%Y-%m-%dT%H:%M:%S", sec) }
	return secstr "." sprintf("%09d", int((t - sec) * 1000000000)) "Z"
}
function fsize(   cmd, sz) {
	sz = 0; cmd = "wc -c 2>/dev/null < \"$LOG_PATH\""
	cmd | getline sz; close(cmd)
	return sz + 0
}
function check(len,   sz, slice) {
	slice = int(max / 16)
	sz = fsize()
	if (sz + len > max - slice) { system("sh \"$LCR_MONITOR\" rotate " (len + slice)); sz = fsize() }
	budget = int((max - sz) / 2)
	if (budget > slice) budget = slice
	if (budget < len) budget = len
}
function emit(text, nl,   rec) {
	if (cri) rec = now() " " stream " " (nl == "" ? "P" : "F") " " text
	else rec = "{\"log\":\"" jsonstr(text) nl "\",\"stream\":\"" stream "\",\"time\":\"" now() "\"}"
	if (max > 0) {
		if (budget < length(rec) + 1) check(length(rec) + 1)
		budget -= length(rec) + 1
	}
	print rec >> path
	close(path)
	# --log-driver syslog: the text also goes to logger(1), one message per record
	if (sl != "") { print text | sl; fflush(sl) }
}
BEGIN {
	for (i = 1; i < 32; i++) esc[sprintf("%c", i)] = sprintf("\\u%04x", i)
	esc["\t"] = "\\t"; esc["\r"] = "\\r"; esc["\b"] = "\\b"; esc["\f"] = "\\f"; esc["\177"] = "\\u007f"
	BS = sprintf("%c", 92)
	stream = ENVIRON["LCR_STREAM"]; path = ENVIRON["LOG_PATH"]
	max = ENVIRON["LOG_MAX"] + 0; base = ENVIRON["LCR_CLOCK_BASE"] + 0
	budget = 0; lastsec = -1; CHUNK = 16384; tty = ENVIRON["LCR_TTY_CMD"] != ""
	eof = ENVIRON["LCR_EOF"]; last = 0; cri = ENVIRON["LOG_FORMAT"] == "cri"
	flush = ENVIRON["LCR_FLUSH"]; part = 0
	sl = ENVIRON[stream == "stderr" ? "LOG_SYSLOG_ERR" : "LOG_SYSLOG_OUT"]
}
{
	s = $0
	# the monitor's end marker: alone on a line, or after a final partial line of the container
	if (eof != "") {
		if (s == eof) exit
		n = length(s) - length(eof)
		if (n > 0 && substr(s, n + 1) == eof) { s = substr(s, 1, n); last = 1 }
	}
	# the daemon's flush marker (an attach is following): alone, nothing was pending; after text,
	# that text is a line the container has not finished: a partial record now
	part = 0
	if (flush != "" && !last) {
		if (s == flush) next
		n = length(s) - length(flush)
		if (n > 0 && substr(s, n + 1) == flush) { s = substr(s, 1, n); part = 1 }
	}
	# -t: lxc-start puts its own terminal back to output post-processing, so the container pty's
	# \r\n arrives as \r\r\n; keep one \r like a docker -t log
	if (tty && s ~ /\r\r$/) s = substr(s, 1, length(s) - 1)
	# docker splits records at 16 KiB; only the last piece carries the newline
	while (length(s) > CHUNK) { emit(substr(s, 1, CHUNK), ""); s = substr(s, CHUNK + 1) }
	emit(s, part ? "" : "\\n")
	if (last) exit
}
`;
