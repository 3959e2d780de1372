-- wrk script: one event per POST /metrics-data, the contract's example shape, ten sources.
-- wrk -t2 -c16 -d10s -s perf/wrk/post-event.lua http://127.0.0.1:8080
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {}
for i = 0, 9 do
  bodies[i] = string.format('{"source":"web-%d","cpu":45.5,"rps":105.3,"memory":50.2,"latency":25.1}', i)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/metrics-data", nil, bodies[n % 10])
end
