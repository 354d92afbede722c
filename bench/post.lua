-- post.lua: wrk posts comments with the body in BENCH_BODY, each with its own form token (a token
-- posts once) from the file BENCH_TOKENS, one a line; each wrk thread takes every other line.
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
	tokens[#tokens + 1] = line
end
local body = os.getenv("BENCH_BODY")
local n, step = 0, 1

function setup(thread)
	n = n + 1
	thread:set("first", n)
end

function init(args)
	n, step = first, 2
end

function request()
	local t = tokens[n]
	n = n + step
	return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"}, body .. (t or ""))
end
