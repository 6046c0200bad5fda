#!/usr/bin/env bash
# What a hop costs. Drives the built distribution with wrk on loopback and prints, from one run:
#   direct        wrk -> nginx backend
#   nginx proxy   wrk -> nginx reverse proxy -> backend            (a full HTTP proxy hop, for comparison)
#   local route   wrk -> node A's proxy -> backend                 (the ingress alone)
#   one link      wrk -> node B's proxy -> link -> node A -> backend
# and their throughput and latency relative to the direct call. Run on a quiet machine; absolute numbers wander,
# ratios from one run are what to compare. Bounded: each measurement runs SECONDS seconds (default 10).
#
# usage: benchmarks/proxy-hops.sh            (after: mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${SECONDS_PER_RUN:-10}
connections=${CONNECTIONS:-32}
dist=distribution/target/micro-network
[ -x "$dist/bin/micro" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install -y wrk nginx-light" >&2; exit 2; }
done

work=$(mktemp -d)
chmod 755 "$work"   # nginx workers read the file as another user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
backend=$(free_port); reverse=$(free_port)
link_a=$(free_port); proxy_a=$(free_port); link_b=$(free_port); proxy_b=$(free_port)

head -c 1024 /dev/urandom > "$work/1k"
chmod 644 "$work/1k"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  upstream backend { server 127.0.0.1:$backend; keepalive 64; }
  server { listen 127.0.0.1:$backend; root $work; }
  server {
    listen 127.0.0.1:$reverse;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
nginx -c "$work/nginx.conf"

cp -r "$dist" "$work/a"; cp -r "$dist" "$work/b"
printf '{"services": [{"name": "bench", "instances": [{"id": "bench-1", "address": "127.0.0.1:%s"}]}]}\n' \
  "$backend" > "$work/a/conf/services.json"
printf '{"services": []}\n' > "$work/b/conf/services.json"
"$work/a/bin/micro" network --id=a --address=127.0.0.1:$link_a --proxy-address=127.0.0.1:$proxy_a \
  > "$work/a.log" 2>&1 & pids+=($!)
"$work/b/bin/micro" network --id=b --address=127.0.0.1:$link_b --proxy-address=127.0.0.1:$proxy_b \
  --nodes=127.0.0.1:$link_a > "$work/b.log" 2>&1 & pids+=($!)
for _ in $(seq 1 150); do
  curl -sf -H 'Micro-Service: bench' "http://127.0.0.1:$proxy_b/1k" -o /dev/null && break
  sleep 0.2
done
curl -sf -H 'Micro-Service: bench' "http://127.0.0.1:$proxy_b/1k" -o /dev/null \
  || { echo "node b cannot reach the backend; logs in $work" >&2; exit 1; }

measure() { # name url [header]
  local name=$1 url=$2; shift 2
  wrk -t2 -c"$connections" -d2s "$@" "$url" > /dev/null   # warm up
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "$url" > "$work/$name.wrk"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$work/$name.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name.wrk")
  echo "$name $rps $p50 $p99"
}

{
  measure direct "http://127.0.0.1:$backend/1k"
  measure nginx-proxy "http://127.0.0.1:$reverse/1k"
  measure local-route "http://127.0.0.1:$proxy_a/1k" -H 'Micro-Service: bench'
  measure one-link "http://127.0.0.1:$proxy_b/1k" -H 'Micro-Service: bench'
} > "$work/results"

to_us() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); print v} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v*1000} else {sub(/s$/,"",v); print v*1000000}}'; }
direct_rps=$(awk '$1 == "direct" {print $2}' "$work/results")
direct_p50=$(awk '$1 == "direct" {print $3}' "$work/results" | to_us)
printf '%-12s %12s %10s %10s %12s %12s\n' path requests/s p50 p99 rps/direct p50/direct
while read -r name rps p50 p99; do
  p50_us=$(echo "$p50" | to_us)
  printf '%-12s %12s %10s %10s %12.2f %12.2f\n' "$name" "$rps" "$p50" "$p99" \
    "$(echo "$rps $direct_rps" | awk '{print $1/$2}')" "$(echo "$p50_us $direct_p50" | awk '{print $1/$2}')"
done < "$work/results"
echo "($connections connections, ${seconds}s each, 1 KiB responses, $(nproc) cores)"
