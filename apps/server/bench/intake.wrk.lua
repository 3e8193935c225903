-- wrk script of `npm run bench:intake`: POSTs realistic tickets, each with its own Idempotency-Key, and
-- re-sends 10% of them (same key, same body) as a client retry would. Records every acknowledged ticket
-- (status, key, ticket id) to a file per thread, so the runner can check losses and duplicates in the
-- database, and prints one JSON line of results when done.
--
-- Arguments (after --): corpus file (one JSON body per line, with __KEY__ where the key goes),
-- bearer token, output prefix, run label.

local threads = {}
local counter = 1

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local bodies = {}
local token, out, label
local sent_keys, sent_bodies = {}, {}
local n = 0
statuses = {}
local file

function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  token, out, label = args[2], args[3], args[4]
  math.randomseed(tid * 7919 + os.time())
  file = io.open(out .. "-" .. label .. "-" .. tid .. ".log", "w")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  local key, body
  if #sent_keys > 100 and math.random() < 0.1 then
    local i = math.random(#sent_keys)
    key, body = sent_keys[i], sent_bodies[i]
  else
    n = n + 1
    key = label .. "-" .. tid .. "-" .. n
    body = bodies[(n * 7 + tid) % #bodies + 1]:gsub("__KEY__", key)
    -- Remember a bounded window of recent requests to retry.
    if #sent_keys < 5000 then
      sent_keys[#sent_keys + 1], sent_bodies[#sent_bodies + 1] = key, body
    else
      local i = math.random(5000)
      sent_keys[i], sent_bodies[i] = key, body
    end
  end
  wrk.headers["Idempotency-Key"] = key
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    local id = body:match('"id":"([%x%-]+)"')
    local key = body:match('"benchKey":"([^"]+)"')
    file:write(key or "?", " ", id or "?", " ", headers["Idempotent-Replayed"] or headers["idempotent-replayed"] or "-", "\n")
  end
end

function done(summary, latency, requests)
  local by_status = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, count in pairs(s) do by_status[tostring(code)] = (by_status[tostring(code)] or 0) + count end
  end
  local parts = {}
  for code, count in pairs(by_status) do parts[#parts + 1] = string.format('"%s":%d', code, count) end
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationUs":%d,"socketErrors":%d,"timeouts":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    table.concat(parts, ",")))
end
