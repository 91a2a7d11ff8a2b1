-- Cycle through several paths (WRK_PATHS, separated by spaces): a visitor mix rather than one page. The
-- summary is the same JSON line as wrk_report.lua's.
local paths = {}
for p in string.gmatch(os.getenv("WRK_PATHS") or "/", "%S+") do
  table.insert(paths, p)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
-- wrk's summary as one JSON line (wrk itself prints p50/75/90/99 only): requests/s, latency percentiles
-- in milliseconds, errors of every kind, and bytes per response.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50": %.3f, "p95": %.3f, "p99": %.3f, ' ..
    '"max": %.3f, "errors": %d, "non_2xx": %d, "bytes_per_response": %.0f}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors, summary.errors.status, summary.bytes / math.max(summary.requests, 1)))
end
