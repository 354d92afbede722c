"""login: the lockout cannot be turned against an author. Failures lock one (name, address) pair
after 5 and one address after 20; a name failed 100 times from everywhere refuses only the
addresses that failed for it. Clients are told apart by their source address (127.0.0.0/8)."""
import sqlite3
import time

from quiretest import Stack, ok, eq, contains, done

s = Stack("login")
s.user("Ada Lovelace", "ada@example.org")
s.user("Grace Hopper", "grace@example.org")
s.start()
db = sqlite3.connect(s.db)
RIGHT = "correct horse battery"


def login(name, password, source):
    return s.post("/admin/login", {"name": name, "password": password}, source=source)


def fail(name, source, times=1):
    for i in range(times):
        r = login(name, "wrong %d" % i, source)
    return r


# --- one client guessing one name locks only itself, for that name
eq(fail("Grace Hopper", "127.0.0.2", 5).status, 401, "5 wrong passwords from A: each a 401")
r = login("Grace Hopper", RIGHT, "127.0.0.2")
eq(r.status, 429, "then A is refused for that name, even with the right password")
wait = int(r.header("retry-after") or "0")
ok(850 <= wait <= 900, "429 with Retry-After: when the oldest failure leaves the 15-minute window", wait)
contains(r.body, "Too many failed attempts", "429 says why")
r = login("Grace Hopper", RIGHT, "127.0.0.3")
eq(r.status, 303, "the right password from B still logs in: no denial of service on a known name")
r = login("Ada Lovelace", RIGHT, "127.0.0.2")
eq(r.status, 303, "A may still log in to another account")
eq(login("Grace Hopper", RIGHT, "127.0.0.2").status, 429, "a success elsewhere does not lift A's lock")

# unknown names are locked exactly like known ones: the lock tells nothing about who exists
fail("Nobody Here", "127.0.0.5", 5)
r = login("Nobody Here", "anything", "127.0.0.5")
ok(r.status == 429 and r.header("retry-after"), "an unknown name is locked for A the same way (429, Retry-After)")

# a success forgets the pair's failures
fail("Ada Lovelace", "127.0.0.6", 4)
eq(login("Ada Lovelace", RIGHT, "127.0.0.6").status, 303, "4 failures, then the right password: in")
fail("Ada Lovelace", "127.0.0.6", 4)
eq(login("Ada Lovelace", RIGHT, "127.0.0.6").status, 303, "the count started again after the success")

# --- one client guessing many names is locked per address
for n in range(5):
    fail("Guess %d" % n, "127.0.0.4", 4)
r = login("Ada Lovelace", RIGHT, "127.0.0.4")
eq(r.status, 429, "20 failures from A across different names: A is locked for every name")
ok(r.header("retry-after") is not None, "with Retry-After")
eq(login("Ada Lovelace", RIGHT, "127.0.0.7").status, 303, "while B logs in")

# --- a distributed attack on one name: 95 failures from many addresses (written directly, as
# many hosts would), then 5 more through nginx from 5 more addresses
now = int(time.time())
db.executemany("INSERT INTO rate_events(key, at) VALUES ('login-user:ada lovelace', ?)", [(now - 60,)] * 95)
db.commit()
for i in range(10, 15):
    fail("Ada Lovelace", "127.0.0.%d" % i)
r = login("Ada Lovelace", RIGHT, "127.0.0.20")
eq(r.status, 303, "100 failures for a name from everywhere: a client that never failed for it still gets in")
r = login("Ada Lovelace", RIGHT, "127.0.0.10")
eq(r.status, 429, "an address that failed for it once is refused")
ok(r.header("retry-after") is not None, "with Retry-After")
eq(login("Grace Hopper", RIGHT, "127.0.0.10").status, 303, "but only for that name")
eq(fail("Ada Lovelace", "127.0.0.21").status, 401, "a new address gets one guess")
eq(login("Ada Lovelace", RIGHT, "127.0.0.21").status, 429, "and no second")

# --- the window passes: everything opens again
db.execute("UPDATE rate_events SET at = at - 16*60 WHERE key LIKE 'login-%'")
db.commit()
for src in ("127.0.0.2", "127.0.0.4", "127.0.0.10"):
    eq(login("Ada Lovelace" if src != "127.0.0.2" else "Grace Hopper", RIGHT, src).status, 303,
       "after 15 minutes %s can log in again" % src)
log = open(s.dir + "/quire.log").read()
contains(log, "action=login-locked who=Grace Hopper ip=127.0.0.2", "the lock is audited with the address")
done()
