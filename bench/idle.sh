#!/usr/bin/env bash
# Memory cost of idle keep-alive connections: holds N of them (default 10,000) on Switchboard, nginx and HAProxy in
# turn (each after one request, so every connection has been used and is idle), and prints each proxy's RSS growth
# per connection. Loopback only; everything started is stopped on exit.
#
#   bench/idle.sh            # N=10000
#   N=2000 bench/idle.sh
#   WARMUP_ROUNDS=0 bench/idle.sh   # cold: no warm-up (a JVM then also counts compiling and first-touched heap pages)
set -euo pipefail

N=${N:-10000}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-2}
BASE_PORT=${BASE_PORT:-18180}
BACKEND_PORT=$BASE_PORT
NGINX_PORT=$((BASE_PORT + 1))
HAPROXY_PORT=$((BASE_PORT + 2))
SWITCHBOARD_PORT=$((BASE_PORT + 3))

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-idle.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# HAProxy reserves two descriptors per connection it may hold (maxconn = N + 500).
[ "$(ulimit -n)" -gt $((2 * (N + 500) + 200)) ] || {
  echo "open-file limit $(ulimit -n) too low for N=$N (HAProxy needs about $((2 * (N + 500) + 200))); lower N" >&2
  exit 1; }

for pkg in nginx haproxy; do
  command -v "$pkg" >/dev/null 2>&1 || [ -x "/usr/sbin/$pkg" ] || {
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx haproxy >/dev/null; break; }
done
command -v ss >/dev/null 2>&1 || { apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >/dev/null; }   # ss: connections still open
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)

dist=$(ls -d "$root"/distribution/target/switchboard-*/ 2>/dev/null | head -1 || true)
if [ -z "$dist" ] || [ ! -x "$dist/bin/switchboard" ]; then
  (cd "$root" && mvn -B -q package -DskipTests)
  dist=$(ls -d "$root"/distribution/target/switchboard-*/ | head -1)
fi

wait_port() {
  local deadline=$((SECONDS + 20))
  until (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "port $1 did not open" >&2; exit 1; }
    sleep 0.1
  done
}
rss_kib() { # total RSS of a process and its children, KiB
  local pid=$1 total=0
  for p in $pid $(pgrep -P "$pid" || true); do
    total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

mkdir -p "$work/backend" "$work/proxy"
cat > "$work/backend/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $work/backend/nginx.pid; error_log $work/backend/error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 65536; }
http { access_log off; server { listen 127.0.0.1:$BACKEND_PORT backlog=4096;
  location / { default_type text/plain; return 200 "hello from the idle benchmark backend\n"; } } }
CONF
cat > "$work/proxy/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $work/proxy/nginx.pid; error_log $work/proxy/error.log warn;
worker_rlimit_nofile 65536;
events { worker_connections 65536; }
http { access_log off; keepalive_timeout 600s; upstream b { server 127.0.0.1:$BACKEND_PORT; keepalive 64; }
  server { listen 127.0.0.1:$NGINX_PORT backlog=4096;
  location / { proxy_pass http://b; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
CONF
cat > "$work/haproxy.cfg" <<CONF
global
  maxconn $((N + 500))
defaults
  mode http
  timeout connect 5s
  timeout client 600s
  timeout server 600s
  timeout http-keep-alive 600s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend be
backend be
  server s1 127.0.0.1:$BACKEND_PORT
CONF
cat > "$work/switchboard.toml" <<CONF
logLevel = "ERROR"
[respondingTimeouts]
  idleTimeout = "600s"
[entryPoints.http]
  address = "127.0.0.1:$SWITCHBOARD_PORT"
[file]
[backends.b.servers.s1]
  url = "http://127.0.0.1:$BACKEND_PORT"
[frontends.f]
  backend = "b"
  [frontends.f.routes.all]
    rule = "PathPrefix:/"
CONF

"$NGINX" -c "$work/backend/nginx.conf" -p "$work/backend" & pids+=($!)
wait_port "$BACKEND_PORT"

measure() { # name pid port
  local name=$1 pid=$2 port=$3
  wait_port "$port"
  # Warm-up, the same for every proxy: WARMUP_ROUNDS times, N connections one after the other, each closed after its
  # request (one open at a time, so no proxy keeps N connections' worth of pooled memory from it). A JVM compiles its
  # accept and request paths during this (the compiler's scratch memory comes and goes) and touches its young
  # generation's pages once, as any JVM that has served traffic has; what is measured after it is what N more idle
  # connections cost.
  local round
  for round in $(seq "$WARMUP_ROUNDS"); do
    java "$here/IdleClients.java" "$port" "$N" churn </dev/null >/dev/null 2>&1 || true
  done
  wait_steady "$pid"
  local before after fifo ready
  before=$(rss_kib "$pid")
  fifo="$work/$name.in"; mkfifo "$fifo"
  java "$here/IdleClients.java" "$port" "$N" < "$fifo" > "$work/$name.out" 2>&1 &
  local client=$!
  exec 7>"$fifo"
  local deadline=$((SECONDS + 300))
  until grep -q '^ready' "$work/$name.out" 2>/dev/null; do
    if ! kill -0 "$client" 2>/dev/null; then echo "$name: client failed: $(cat "$work/$name.out")" >&2; exit 1; fi
    [ $SECONDS -lt $deadline ] || { echo "$name: clients not ready in time" >&2; exit 1; }
    sleep 0.2
  done
  after=$(rss_kib "$pid")
  local heap="" heap_with=""
  if [ "$name" = switchboard ]; then heap_with=$(heap_bytes "$pid"); fi
  echo quit >&7; exec 7>&-
  wait "$client" || true
  if [ "$name" = switchboard ]; then
    # The same JVM with the N connections closed again: the difference of the live heaps (each measured after a
    # full collection) is what an idle connection keeps on the heap; RSS growth on a cold JVM also counts young-
    # generation pages first touched by the garbage of accepting N connections.
    local deadline=$((SECONDS + 60))
    until [ "$(established "$port")" -lt 10 ]; do
      [ $SECONDS -lt $deadline ] || { echo "$name: connections not closed in time" >&2; exit 1; }
      sleep 0.2
    done
    heap=$(awk -v w="$heap_with" -v o="$(heap_bytes "$pid")" -v c="$N" 'BEGIN { printf "%.0f", (w - o) / c }')
  fi
  awk -v n="$name" -v b="$before" -v a="$after" -v c="$N" -v h="$heap" \
    'BEGIN { printf "%-12s %10d %10d %12.2f %16s\n", n, b, a, (a - b) / c, h }'
}
wait_steady() { # until the RSS of process $1 moved less than 256 KiB over three one-second polls (at most 60 s)
  local deadline=$((SECONDS + 60)) last=-1 calm=0 now
  while [ $SECONDS -lt $deadline ] && [ $calm -lt 3 ]; do
    now=$(rss_kib "$1")
    if [ $last -ge 0 ] && [ $(( now > last ? now - last : last - now )) -lt 256 ]; then calm=$((calm + 1)); else calm=0; fi
    last=$now
    sleep 1
  done
}
heap_bytes() { # live Java heap after a full collection, bytes
  jcmd "$1" GC.class_histogram 2>/dev/null | awk '$1 == "Total" { print $3 }'
}
established() { # TCP connections of a local port not yet closed on its side (any state but listening)
  ss -Htn "( sport = :$1 )" 2>/dev/null | wc -l
}

printf '%-12s %10s %10s %12s %16s\n' proxy rss0_KiB rssN_KiB KiB/conn heap_B/conn
"$NGINX" -c "$work/proxy/nginx.conf" -p "$work/proxy" & p=$!; pids+=($p)
measure nginx "$p" "$NGINX_PORT"; kill "$p"; wait "$p" 2>/dev/null || true
"$HAPROXY" -f "$work/haproxy.cfg" -db >/dev/null 2>&1 & p=$!; pids+=($p)
measure haproxy "$p" "$HAPROXY_PORT"; kill "$p"; wait "$p" 2>/dev/null || true
JAVA_OPTS="${SWITCHBOARD_JAVA_OPTS:--Xms128m -Xmx128m}" "$dist/bin/switchboard" -c "$work/switchboard.toml" \
  > "$work/switchboard.log" 2>&1 & p=$!; pids+=($p)
measure switchboard "$p" "$SWITCHBOARD_PORT"
echo "N=$N idle keep-alive connections, one request each; RSS of the proxy's processes; heap_B/conn: Java heap"
echo "kept per idle connection (live heap with the N connections minus live heap after they closed)"
