-- wrk script: POST /callback with pre-signed bodies from gen_webhooks.py.
--   wrk -t T -c C -d D -s webhook.lua http://127.0.0.1:PORT -- FILE T C [RATE]
-- Thread k of T sends lines k, k+T, k+2T, … so no event id is sent twice
-- until a thread runs out (then it wraps; the server deduplicates). With
-- RATE (requests/s over all connections) each connection paces itself.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local reqs = {}
local pos = 0
local pause = 0

function init(args)
  local file = args[1] or "/tmp/webhooks.txt"
  local nthreads = tonumber(args[2] or "1")
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == id then
      local tab = line:find("\t", 1, true)
      reqs[#reqs + 1] = wrk.format("POST", "/callback", {
        ["Content-Type"] = "application/json",
        ["x-line-signature"] = line:sub(1, tab - 1),
      }, line:sub(tab + 1))
    end
    n = n + 1
  end
  local conns = tonumber(args[3] or "1")
  local rate = tonumber(args[4] or "0")
  if rate > 0 then pause = conns * 1000.0 / rate end
end

function request()
  pos = pos % #reqs + 1
  return reqs[pos]
end

function delay()
  return pause
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format(
    '{"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"non2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000.0, latency:percentile(99) / 1000.0, latency.max / 1000.0,
    non2xx, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
