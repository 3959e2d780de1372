#!/usr/bin/env bash
# One start of the image, timed from `podman run` to the first 200 from /health; the container is left running
# for the next run's --prepare to remove (BENCHMARKS.md "Start-up"). Usage: container-startup.sh IMAGE NAME PORT
#   hyperfine -r 10 --prepare 'podman rm -f -t 0 pulse-start || true' --cleanup 'podman rm -f -t 0 pulse-start' \
#     'perf/scripts/container-startup.sh pulse:v1.0 pulse-start 18080'
# PODMAN (default podman) may carry global options. Host network, so the port is the server's own.
set -euo pipefail
image=$1 name=$2 port=$3
. "$(dirname "$0")/lib.sh"
${PODMAN:-podman} run -d --name "$name" --network host --ulimit nofile=20000:20000 --ulimit nproc=4096:4096 \
  -e SERVER_PORT="$port" "$image" >/dev/null
for _ in $(seq 1 30000); do
  health_200 "$port" && exit 0
  sleep 0.002
done
echo "no 200 from /health" >&2
exit 1
