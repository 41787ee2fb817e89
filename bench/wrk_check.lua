-- wrk_check.lua: the load of scripts/bench_service.sh, POST /v1/check with
-- the rows of a generated batch as bodies (realistic records: duplicates,
-- typos, new children, invalid rows, in the generator's proportions).
--
--   XJ_BODIES=bodies.jsonl XJ_TOKEN=... wrk -s bench/wrk_check.lua URL
--
-- XJ_BODIES holds one JSON body a line.  Every request is formatted once,
-- in init(), so that wrk spends its time sending, not building strings; each
-- thread starts at another row so that the connections do not ask for the
-- same records in step.  done() prints one JSON line with the figures.

local requests_prebuilt = {}
local next_index = 1

function init(args)
    local path = os.getenv("XJ_BODIES")
    local token = os.getenv("XJ_TOKEN")
    if not path or not token then
        error("set XJ_BODIES (one JSON body a line) and XJ_TOKEN")
    end
    local headers = {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. token,
    }
    for line in io.lines(path) do
        if #line > 0 then
            requests_prebuilt[#requests_prebuilt + 1] = wrk.format("POST", "/v1/check", headers, line)
        end
    end
    if #requests_prebuilt == 0 then
        error("no bodies in " .. path)
    end
    -- A per-thread starting point: the address of this Lua state's table
    -- differs between threads.
    local seed = tonumber(tostring(requests_prebuilt):match("0x(%x+)"), 16) or os.time()
    math.randomseed(seed)
    next_index = math.random(#requests_prebuilt)
end

function request()
    local r = requests_prebuilt[next_index]
    next_index = next_index % #requests_prebuilt + 1
    return r
end

function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
        '{"wrk":"check","requests":%d,"seconds":%.2f,"checks_per_sec":%.0f,' ..
        '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f,' ..
        '"non_2xx":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d}}\n',
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000,
        latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000,
        e.status, e.connect, e.read, e.write, e.timeout))
end
