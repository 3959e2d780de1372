-- wrk script: 100-event JSON arrays per POST /metrics-data, the four standard metrics, events of 100 sources drawn
-- at random; 64 bodies drawn once from a fixed seed and sent in turn. The batched-ingest workload of
-- perf/scripts/http-bench.sh (`--workload array --batch 100`) from a client that is not the project's own.
-- wrk -t1 -c8 -d10s -s perf/wrk/post-array.lua http://127.0.0.1:8080
-- BATCH=1000 NDJSON=1 wrk ... sends 1,000-event NDJSON bodies instead.
local batch = tonumber(os.getenv("BATCH") or "100")
local ndjson = os.getenv("NDJSON") == "1"
wrk.method = "POST"
wrk.headers["Content-Type"] = ndjson and "application/x-ndjson" or "application/json"
math.randomseed(7)
local bodies = {}
for b = 0, 63 do
  local events = {}
  for i = 0, batch - 1 do
    events[#events + 1] = string.format(
      '{"timestamp":%d,"source":"web-%d","cpu":%.1f,"rps":%.1f,"memory":%.1f,"latency":%.1f}',
      1700000000 + b * batch + i, math.random(0, 99), 40 + math.random() * 10, 100 + math.random() * 10,
      48 + math.random() * 4, 20 + math.random() * 10)
  end
  bodies[b] = ndjson and table.concat(events, "\n") or "[" .. table.concat(events, ",") .. "]"
end
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/metrics-data", nil, bodies[n % 64])
end
