-- wrk script of `npm run bench:events`: POSTs pre-signed demo-shop events (one per line of the corpus:
-- "<timestamp>\t<signature>\t<json body>", duplicates and out-of-order versions already mixed in by the
-- runner) to the webhook URL, in corpus order per thread, and prints one JSON line of results when done.
--
-- Arguments (after --): corpus file.

local threads = {}
local counter = 1

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local lines = {}
local n = 0
statuses = {}
firsts = 0
duplicates = 0
stale = 0
applied = 0

function init(args)
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
  n = tid - 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local line = lines[(n - 1) % #lines + 1]
  local ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
  wrk.headers["X-DemoShop-Timestamp"] = ts
  wrk.headers["X-DemoShop-Signature"] = sig
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 then
    if body:find('"duplicates":1', 1, true) then duplicates = duplicates + 1 else firsts = firsts + 1 end
    if body:find('"stale":1', 1, true) then stale = stale + 1 end
    if body:find('"applied":1', 1, true) then applied = applied + 1 end
  end
end

function done(summary, latency, requests)
  local by_status = {}
  local totals = { firsts = 0, duplicates = 0, stale = 0, applied = 0 }
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, count in pairs(s) do by_status[tostring(code)] = (by_status[tostring(code)] or 0) + count end
    for k, _ in pairs(totals) do totals[k] = totals[k] + thread:get(k) end
  end
  local parts = {}
  for code, count in pairs(by_status) do parts[#parts + 1] = string.format('"%s":%d', code, count) end
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"socketErrors":%d,"timeouts":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"firsts":%d,"duplicates":%d,"stale":%d,"applied":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    totals.firsts, totals.duplicates, totals.stale, totals.applied,
    table.concat(parts, ",")))
end
