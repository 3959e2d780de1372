# Helpers the measurement and end-to-end scripts share; source it, do not run it.

# A free loopback TCP port, none of the ports given (chosen already, not yet bound: the kernel may offer one again).
free_port() {
  python3 - "$@" <<'PY'
import socket, sys
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    if str(p) not in sys.argv[1:]:
        print(p); break
PY
}

# A throwaway redis-server on loopback port $1 (no persistence), its output to $2; sets REDIS_PID.
start_redis() {
  redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no ${REDIS_OPTS:-} >"${2:-/dev/null}" 2>&1 &
  REDIS_PID=$!
}

# Starts the server a benchmark measures on loopback port $2, its log in folder $3: floor, pulse (REDIS_ADDR=none),
# pulse-redis (with a throwaway redis-server) or victoria (VictoriaMetrics with an empty store in $3). SERVER_JAR and
# SERVER_JAVA_OPTS pick pulse's build and JVM options. Sets SERVER_PID, and REDIS_PID and REDIS_PORT (empty but for
# pulse-redis); returns once the port accepts connections (10 s at most).
start_target() {
  local target=$1 port=$2 dir=$3 addr=none rport
  REDIS_PID="" REDIS_PORT=""
  case "$target" in
    floor) java -cp perf/target/pulse-load.jar dev.pulse.perf.floor.FloorServer "$port" 2>"$dir/server.log" & ;;
    pulse|pulse-redis)
      if [ "$target" = pulse-redis ]; then
        rport=$(free_port "$port")
        REDIS_PORT=$rport
        start_redis "$rport"
        sleep 0.5
        addr=127.0.0.1:$rport
      fi
      SERVER_PORT=$port REDIS_ADDR=$addr java ${SERVER_JAVA_OPTS:-} -jar "${SERVER_JAR:-server/target/pulse-server.jar}" \
        2>"$dir/server.log" & ;;
    victoria)
      victoria-metrics -httpListenAddr="127.0.0.1:$port" -storageDataPath="$dir/vm" -retentionPeriod=100y \
        -loggerLevel=ERROR 2>"$dir/server.log" & ;;
    *) echo "target: floor | pulse | pulse-redis | victoria"; return 2 ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && return 0; sleep 0.1; done
}

# Whether GET /health on loopback port $1 answers 200, asked with bash's /dev/tcp (no curl start to count): the
# poll the start-up timings repeat every 2 ms.
health_200() {
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3
  local status; read -r _ status _ <&3 || true
  exec 3<&-
  [ "$status" = 200 ]
}

# Prints what the write-behind of the server on loopback port $1 has written to Redis and dropped, from its /stats.
print_redis_values() {
  curl -fs "http://127.0.0.1:$1/stats" | python3 -c 'import json, sys
r = json.load(sys.stdin)["redis"]
print("  values written", r["values_written"], "dropped", r["values_dropped"])'
}

# Waits until URL $1 answers 2xx (30 s at most), else fails.
wait_http() {
  for _ in $(seq 1 150); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "$1 did not come up" >&2; return 1
}

# The start of every end-to-end check: builds the server jar if it is missing (sets JAR), fails unless each program
# named is installed, makes a scratch folder WORK and, on exit, kills every pid in PIDS and removes WORK.
e2e_prelude() {
  JAR=server/target/pulse-server.jar
  [ -f "$JAR" ] || mvn -B -q package -DskipTests
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "e2e: $tool is not installed (see .ci/run)"; exit 1; }
  done
  WORK=$(mktemp -d)
  PIDS=()
  trap e2e_cleanup EXIT
}

e2e_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
