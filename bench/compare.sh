#!/usr/bin/env bash
# Side-by-side throughput and latency of Switchboard, nginx and HAProxy as reverse proxies, on loopback.
#
# One fast backend (nginx answering a ~100-byte body) and, in front of it, Switchboard from the distribution,
# nginx (upstream keepalive) and HAProxy (http-reuse always). wrk drives each at the same settings, ROUNDS times,
# interleaved, after a warm-up; the table gives req/s, p50, p99 and each one's ratio to nginx and to the backend hit
# directly. Everything runs on 127.0.0.1, for bounded durations, and is stopped on exit.
#
#   bench/compare.sh                    # defaults: 10 s runs, 2 rounds, wrk -t1 -c64
#   DURATION=30s ROUNDS=3 CONNECTIONS=128 bench/compare.sh
set -euo pipefail

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-64}
BASE_PORT=${BASE_PORT:-18080}
BACKEND_PORT=$BASE_PORT
NGINX_PORT=$((BASE_PORT + 1))
HAPROXY_PORT=$((BASE_PORT + 2))
SWITCHBOARD_PORT=$((BASE_PORT + 3))

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-bench.XXXXXX")
pids=()

cleanup() {
  for p in "${pids[@]:-}"; do
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]:-}"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

need() {
  local missing=()
  for pkg in "$@"; do
    command -v "$pkg" >/dev/null 2>&1 || [ -x "/usr/sbin/$pkg" ] || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} from Debian packages" >&2
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
  fi
}
need wrk nginx haproxy
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)

dist=$(ls -d "$root"/distribution/target/switchboard-*/ 2>/dev/null | head -1 || true)
if [ -z "$dist" ] || [ ! -x "$dist/bin/switchboard" ]; then
  echo "building the distribution (mvn -B -q package -DskipTests)" >&2
  (cd "$root" && mvn -B -q package -DskipTests)
  dist=$(ls -d "$root"/distribution/target/switchboard-*/ | head -1)
fi

wait_port() { # port: poll until it accepts, 20 s at most
  local deadline=$((SECONDS + 20))
  until (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "port $1 did not open" >&2; exit 1; }
    sleep 0.1
  done
}

body=$(printf 'x%.0s' $(seq 1 99))
mkdir -p "$work/nginx-backend" "$work/nginx-proxy"
cat > "$work/nginx-backend/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx-backend/nginx.pid;
error_log $work/nginx-backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$BACKEND_PORT reuseport backlog=4096;
    location / { default_type text/plain; return 200 "$body\n"; }
  }
}
CONF
cat > "$work/nginx-proxy/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx-proxy/nginx.pid;
error_log $work/nginx-proxy/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
cat > "$work/haproxy.cfg" <<CONF
global
  nbthread 2
  maxconn 8000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend be
backend be
  server s1 127.0.0.1:$BACKEND_PORT
CONF
cat > "$work/switchboard.toml" <<CONF
defaultEntryPoints = ["http"]
logLevel = "ERROR"
eventLoops = 2
[entryPoints.http]
  address = "127.0.0.1:$SWITCHBOARD_PORT"
[file]
[backends.bench.servers.s1]
  url = "http://127.0.0.1:$BACKEND_PORT"
[frontends.bench]
  backend = "bench"
  [frontends.bench.routes.all]
    rule = "PathPrefix:/"
CONF

"$NGINX" -c "$work/nginx-backend/nginx.conf" -p "$work/nginx-backend" & pids+=($!)
"$NGINX" -c "$work/nginx-proxy/nginx.conf" -p "$work/nginx-proxy" & pids+=($!)
"$HAPROXY" -f "$work/haproxy.cfg" -db >/dev/null 2>&1 & pids+=($!)
JAVA_OPTS="${SWITCHBOARD_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}" \
  "$dist/bin/switchboard" -c "$work/switchboard.toml" > "$work/switchboard.log" 2>&1 & pids+=($!)
for p in $BACKEND_PORT $NGINX_PORT $HAPROXY_PORT $SWITCHBOARD_PORT; do wait_port "$p"; done

names=(backend nginx haproxy switchboard)
ports=($BACKEND_PORT $NGINX_PORT $HAPROXY_PORT $SWITCHBOARD_PORT)

to_ms() { # wrk latency such as 512.00us, 1.20ms, 1.01s -> milliseconds
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "nan" }'
}

run_wrk() { # name port duration -> "rps p50 p99"
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency "http://127.0.0.1:$2/" 2>&1)
  if ! grep -q 'Requests/sec' <<<"$out"; then echo "wrk failed against $1: $out" >&2; exit 1; fi
  local errors
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
  [ -z "$errors" ] || echo "  $1: $errors" >&2
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  echo "$rps $p50 $p99"
}

echo "warming up each target for $WARMUP" >&2
for i in "${!names[@]}"; do run_wrk "${names[$i]}" "${ports[$i]}" "$WARMUP" >/dev/null; done

declare -A rps_sum p50_sum p99_sum
for r in $(seq 1 "$ROUNDS"); do
  for i in "${!names[@]}"; do
    read -r rps p50 p99 < <(run_wrk "${names[$i]}" "${ports[$i]}" "$DURATION")
    echo "round $r ${names[$i]}: $rps req/s, p50 ${p50} ms, p99 ${p99} ms" >&2
    n=${names[$i]}
    rps_sum[$n]=$(awk -v a="${rps_sum[$n]:-0}" -v b="$rps" 'BEGIN {print a + b}')
    p50_sum[$n]=$(awk -v a="${p50_sum[$n]:-0}" -v b="$p50" 'BEGIN {print a + b}')
    p99_sum[$n]=$(awk -v a="${p99_sum[$n]:-0}" -v b="$p99" 'BEGIN {print a + b}')
  done
done

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds interleaved, ~100-byte body, keep-alive, $(nproc) cores"
printf '%-12s %12s %9s %9s %10s %10s %12s\n' target req/s p50_ms p99_ms rps/nginx p99/nginx rps/backend
for n in "${names[@]}"; do
  awk -v n="$n" -v r="${rps_sum[$n]}" -v a="${p50_sum[$n]}" -v b="${p99_sum[$n]}" \
      -v nr="${rps_sum[nginx]}" -v nb="${p99_sum[nginx]}" -v br="${rps_sum[backend]}" -v k="$ROUNDS" \
      'BEGIN { printf "%-12s %12.0f %9.3f %9.3f %10.2f %10.2f %12.2f\n", n, r / k, a / k, b / k, r / nr, b / nb, r / br }'
done
