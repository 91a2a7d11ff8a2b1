-- Cycle through several paths (WRK_PATHS, separated by spaces): a visitor mix rather than one page. The
-- summary is wrk_report.lua's JSON line, loaded from beside this file.
local paths = {}
for p in string.gmatch(os.getenv("WRK_PATHS") or "/", "%S+") do
  table.insert(paths, p)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end

local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "wrk_report.lua")
