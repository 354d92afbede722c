"""mail_stall: an SMTP server that accepts the connection and never answers (and one that stalls
after EHLO): the sender gives up after [mail] timeout, the request path is not slowed, SIGTERM
stops quire serve within seconds with the row still queued and no attempt spent, and once a real
server listens on that port the mail goes out exactly once."""
import os
import socket
import sqlite3
import threading
import time

from quiretest import Stack, SmtpSink, ok, eq, contains, done, free_port


class Staller:
    """Accepts connections; mode 'silent' never says a word, 'ehlo' greets, answers EHLO, then
    stalls. Keeps the sockets open until stop()."""

    def __init__(self, port, mode):
        self.mode = mode
        self.conns = []
        self.ehlo_seen = 0
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", port))
        self.ls.listen(8)
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                c, _ = self.ls.accept()
            except OSError:
                return
            self.conns.append(c)
            if self.mode == "ehlo":
                threading.Thread(target=self.greet, args=(c,), daemon=True).start()

    def greet(self, c):
        try:
            c.sendall(b"220 stall.test ESMTP\r\n")
            data = b""
            while b"\r\n" not in data:
                data += c.recv(1024)
            c.sendall(b"250-stall.test\r\n250 8BITMIME\r\n")
            self.ehlo_seen += 1
            while c.recv(1024):
                pass        # MAIL FROM and whatever follows: never answered
        except OSError:
            pass

    def stop(self):
        # shutdown wakes the thread blocked in accept(); close alone would leave it listening
        try:
            self.ls.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.ls.close()
        for c in self.conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
                c.close()
            except OSError:
                pass


def wait_for(cond, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


port = free_port()
stall = Staller(port, "silent")
cfg = "[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nstarttls = no\nretry_base = 1\ntimeout = %d\n"
s = Stack("mail-stall", config=cfg % (port, 3))
conn = sqlite3.connect(s.db)
conn.execute("INSERT INTO subscribers(email, status, wants_posts, created_at) VALUES ('ann@example.org', 'confirmed', 1, 0)")
conn.commit()
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Stalled", "slug": "stalled", "author": "Ada Lovelace"})


def row():
    return sqlite3.connect(s.db).execute("SELECT state, attempts, last_error FROM outbox WHERE kind = 'post'").fetchone()


s.start()
ok(wait_for(lambda: len(stall.conns) >= 1), "the sender connects to the silent server")
t = time.time()
r = s.get("/")
ok(r.status == 200 and time.time() - t < 2, "pages answer at once while the sender waits (%.2f s)" % (time.time() - t))
ok(wait_for(lambda: row()[1] >= 1 and row()[0] == "queued", timeout=15), "after [mail] timeout the row is queued again", row())
contains(row()[2], "timed out", "with the error 'timed out'")
attempts = row()[1]
n = len(stall.conns)
ok(wait_for(lambda: len(stall.conns) > n and row()[0] == "sending", timeout=15), "it is retried (and stalls again)", row())
took = s.stop_quire()
ok(took < 3, "SIGTERM while the server never answers: quire serve stopped in %.2f s" % took)
contains(open(os.path.join(s.dir, "quire.log")).read(), "stopped", "and stopped cleanly")
st = row()
ok(st[0] in ("queued", "sending") and st[1] == attempts, "the stop cost no attempt", (st, attempts))

# stalls after EHLO
stall.stop()
stall = Staller(port, "ehlo")
s.restart(cfg % (port, 30))
ok(wait_for(lambda: stall.ehlo_seen >= 1, timeout=20), "the sender gets past EHLO and waits")
before = row()[1]
took = s.stop_quire()
ok(took < 3, "SIGTERM while the server stalls after EHLO: quire serve stopped in %.2f s" % took)
eq(row()[:2], ("queued", before - 1), "still queued, no attempt spent")

# a real server on that port: the mail goes out exactly once
stall.stop()
mails = os.path.join(s.dir, "mails")
sink = SmtpSink(mails, port=port).start()
conn.execute("UPDATE outbox SET next_attempt = 0")
conn.commit()
s.restart()
msgs = sink.wait("ann@example.org", 1, timeout=20)
time.sleep(2)
eq(len(sink.messages("ann@example.org")), 1, "once the server behaves the mail arrives, exactly once")
eq(row()[0], "sent", "and the row is sent")
s.stop()
sink.stop()
done()
