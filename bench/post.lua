-- post.lua: wrk posts comments with the body in BENCH_BODY (a form with a valid token).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
