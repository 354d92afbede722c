"""smtp_sink: a real SMTP server for the tests (Debian's python3-aiosmtpd) that writes each message
to DIR/NNNNNN-RCPT.eml. Addresses starting with "bounce" get 550 5.1.1, with "tempfail" 451.
Usage: /usr/bin/python3 smtp_sink.py PORT DIR [DELAY_SECONDS]"""
import asyncio
import itertools
import os
import signal
import sys
import threading
import time

from aiosmtpd.controller import Controller

port, outdir = int(sys.argv[1]), sys.argv[2]
delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
os.makedirs(outdir, exist_ok=True)
counter = itertools.count(len(os.listdir(outdir)) + 1)
lock = threading.Lock()


class Sink:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return "550 5.1.1 No such user here"
        if address.startswith("tempfail"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if delay:
            await asyncio.sleep(delay)
        with lock:
            n = next(counter)
        for rcpt in envelope.rcpt_tos:
            path = os.path.join(outdir, "%06d-%s.eml" % (n, rcpt))
            with open(path + ".tmp", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"


controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
signal.signal(signal.SIGINT, lambda *a: stop.set())
while not stop.is_set():
    time.sleep(0.1)
controller.stop()
