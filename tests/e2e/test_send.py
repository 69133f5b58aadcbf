#!/usr/bin/python3
"""`coursepack send` against a real SMTP server (aiosmtpd) on 127.0.0.1.

The server requires STARTTLS (a self-signed certificate made here with
openssl) and AUTH. Every message that arrives is checked: its recipient,
subject, text and HTML parts, and the attached PDF's text (pdftotext),
which must hold the recipient's name and no other participant's. Then:
a rerun sends nothing; a refused recipient is reported and the run goes
on; a 451 and a connection dropped mid-batch are retried; a reply lost
after the message went out gives a second copy with the same Message-ID,
reported; runs killed at several
points and run again leave every recipient exactly one message, except
the one in flight at the kill, whose two copies share a Message-ID and
which the rerun reports; a certificate rebuilt after sending is reported
and resent only with --resend; settings open to others are refused; the
password appears nowhere.

Usage: test_send.py COURSEPACK ROOT [--bench N]
  --bench N: also time sending N messages (synthetic held visits).
"""
import asyncio
import csv
import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import warnings

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks  # noqa: E402

warnings.filterwarnings("ignore", message="Session.login_data")  # aiosmtpd's own
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
BENCH = int(sys.argv[sys.argv.index("--bench") + 1]) if "--bench" in sys.argv else 0
VISIT = "eksjo/2023-06-13-grundutbildning"
USER, PASSWORD = "kursintyg", "hemligt-Lösen-4711"
checks = Checks()
result = checks.check


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """The server's behaviour and what it received."""

    def __init__(self):
        self.messages = []      # (rcpt, email.message.EmailMessage, raw bytes)
        self.refuse = set()     # addresses answered 550
        self.drop_once = set()  # addresses whose first RCPT drops the connection
        self.busy_once = set()  # addresses whose first RCPT is answered 451
        self.drop_after_data_once = set()  # ... whose first message is kept, then the connection dropped
        self.kill_at_data = 0   # kill the client when the Nth DATA arrives (before the reply)
        self.kill_at_rcpt = 0   # ... or the Nth RCPT
        self.client_pid = None
        self.datas = 0
        self.rcpts = 0
        self.auth_ok = 0
        self.lock = threading.Lock()

    def kill_client(self):
        if self.client_pid:
            os.kill(self.client_pid, signal.SIGKILL)
            self.client_pid = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.rcpts += 1
            if self.kill_at_rcpt and self.rcpts == self.kill_at_rcpt:
                self.kill_client()
        if address in self.refuse:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if address in self.busy_once:
            self.busy_once.discard(address)
            return "451 4.3.2 try again later"
        if address in self.drop_once:
            self.drop_once.discard(address)
            server.transport.close()
            return "250 OK"  # never reaches the client: the connection is gone
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.datas += 1
            for r in envelope.rcpt_tos:
                self.messages.append((r, msg, envelope.content))
            if self.kill_at_data and self.datas == self.kill_at_data:
                self.kill_client()
        dropped = [r for r in envelope.rcpt_tos if r in self.drop_after_data_once]
        if dropped:
            self.drop_after_data_once -= set(dropped)
            server.transport.close()  # the message arrived, but its reply never does
        return "250 2.0.0 Ok: queued as %d" % self.datas


def authenticator(mailbox):
    def check(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
        if ok:
            mailbox.auth_ok += 1
        return AuthResult(success=ok)
    return check


def start_server(mailbox, cert, key, port):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    c = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=ctx, require_starttls=True,
                   auth_required=True, auth_require_tls=True, authenticator=authenticator(mailbox))
    c.start()
    return c


tmp = tempfile.mkdtemp(prefix="coursepack-send-")
root = os.path.join(tmp, "root")
out = os.path.join(tmp, "out")
os.makedirs(root)
for d in ("materials", "layouts"):
    shutil.copytree(os.path.join(SRC, d), os.path.join(root, d))
# One participant of the visit without an address: listed for printing.
eksjo = os.path.join(root, "materials", "municipalities", "eksjo.yaml")
text = open(eksjo, encoding="utf-8").read()
text = text.replace("        email: linda.fredriksson@eksjo.se\n", "", 1)
open(eksjo, "w", encoding="utf-8").write(text)

cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
               check=True, capture_output=True)
port = free_port()
settings = os.path.join(tmp, "smtp.yaml")


def write_settings(extra="", mode=0o600, url=None):
    with open(settings, "w") as f:
        f.write(f"url: {url or f'smtp://127.0.0.1:{port}'}\nuser: {USER}\npassword_env: CP_TEST_SMTP_PASSWORD\n"
                f"from: kursintyg@rjl.se\nrate: 60000\nca_file: {cert}\nretries: 2\nretry_seconds: 0.2\n{extra}")
    os.chmod(settings, mode)


write_settings()
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1686650000", COURSEPACK_SMTP=settings, CP_TEST_SMTP_PASSWORD=PASSWORD)


def build(extra=()):
    p = subprocess.run([BIN, "build", "--root", root, "--out", out, "--only", "eksjo", *extra], env=ENV,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def send(*args, mailbox=None, env=ENV):
    proc = subprocess.Popen([BIN, "send", "--root", root, "--out", out, "--only", VISIT, *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if mailbox is not None:
        mailbox.client_pid = proc.pid
    so, se = proc.communicate(timeout=300)
    if mailbox is not None:
        mailbox.client_pid = None
    return proc.returncode, so, se


def participants():
    with open(os.path.join(out, VISIT, "certificates.csv"), encoding="utf-8-sig", newline="") as f:
        return [{"name": r["Namn"], "email": r["E-post"], "code": r["Kod"], "file": r["Fil"]}
                for r in csv.DictReader(f, dialect="excel", delimiter=";")]


def pdf_text(data):
    p = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True)
    return p.stdout.decode("utf-8")


def log_records():
    path = os.path.join(out, ".sendlog", VISIT + ".jsonl")
    if not os.path.exists(path):
        return []
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


build()
people = participants()
with_address = [p for p in people if p["email"]]
names = [p["name"] for p in people]
result(len(with_address) == len(people) - 1 and len(with_address) >= 10, "the visit has participants with addresses")

# -------------------------------------------------------------- the template
tpl = os.path.join(root, "materials", "mail", "certificate.md")
good = open(tpl, encoding="utf-8").read()
open(tpl, "w", encoding="utf-8").write(good.replace("{{participant.name}}!", "{{participant.nmae}}!"))
p = subprocess.run([BIN, "check", "--root", root], env=ENV, capture_output=True, text=True)
result(p.returncode == 1 and p.stderr.startswith(
    "materials/mail/certificate.md:4:5: error: unknown placeholder '{{participant.nmae}}'\n"
    "  hint: did you mean '{{participant.name}}'?\n"), f"check reports the template's errors: {p.stderr!r}")
rc, so, se = send("--dry-run")
result(rc == 1 and "materials/mail/certificate.md:4:5: error" in se and not so, "send refuses a bad template")
open(tpl, "w", encoding="utf-8").write(good)

# -------------------------------------------------------------- refused settings
write_settings(mode=0o644)
rc, so, se = send()
result(rc == 3 and "open to others (mode 0644); refusing to use them" in se and "hint: chmod 600" in se,
       f"settings readable by others are refused: {rc} {se!r}")
write_settings()
rc, so, se = send(env=dict(ENV, CP_TEST_SMTP_PASSWORD=""))
result(rc == 3 and "CP_TEST_SMTP_PASSWORD" in se, f"a missing password variable is an error: {rc} {se!r}")

# -------------------------------------------------------------- planned visits
p = subprocess.run([BIN, "send", "--root", root, "--out", out, "--only", "aneby/2023-09-14-grundutbildning"], env=ENV,
                   capture_output=True, text=True)
result(p.returncode == 0 and "aneby/2023-09-14-grundutbildning: planned, nothing sent" in p.stdout,
       f"a planned visit sends nothing, and says so: {p.stdout[:300]!r}")
p = subprocess.run([BIN, "send", "--root", root, "--out", out, "--only", "aneby/2023-03-02-grundutbildning"], env=ENV,
                   capture_output=True, text=True)
result(p.returncode == 1 and "coursepack: error: aneby/2023-03-02-grundutbildning: the pack is missing; run "
       "'coursepack build' first" in p.stderr, f"an unbuilt pack is not sent from: {p.returncode} {p.stderr!r}")

# -------------------------------------------------------------- dry run
rc, so, se = send("--dry-run")
emls = sorted(os.listdir(os.path.join(out, VISIT, "mail")))
result(rc == 0 and len(emls) == len(with_address), f"--dry-run writes one .eml per recipient: {rc} {len(emls)} {se}")
result(f"dry run: {len(with_address)} would be sent, 0 skipped (already sent), 0 rebuilt after sending, 1 no address"
       in so, f"--dry-run's summary: {so[-300:]!r}")
result("no e-mail address (print these certificates):\n  Linda Fredriksson (" in so, "the participant without address is listed")
result(not log_records(), "--dry-run writes no send log")
first = email.message_from_bytes(open(os.path.join(out, VISIT, "mail", emls[0]), "rb").read(),
                                 policy=email.policy.default)
result(first["From"].addresses[0].addr_spec == "kursintyg@rjl.se" and
       first["Reply-To"].addresses[0].addr_spec == "annika.hedlund@rjl.se", "From is the settings' from, Reply-To the coordinator")
result(oct(os.stat(os.path.join(out, VISIT, "mail", emls[0])).st_mode & 0o777) == "0o600", "the .eml is private")

# -------------------------------------------------------------- a full send
box = Mailbox()
server = start_server(box, cert, key, port)
try:
    t0 = time.monotonic()
    rc, so, se = send(mailbox=box)
    secs = time.monotonic() - t0
    result(rc == 0, f"send exits 0: {rc} {se}")
    result(f"{len(with_address)} sent, 0 skipped (already sent), 0 refused, 0 failed, 0 rebuilt after sending "
           f"(not resent), 1 no address" in so, f"summary: {so[-400:]!r}")
    print(f"sent {len(box.messages)} messages in {secs:.2f} s", flush=True)
    result(box.auth_ok >= 1, "the client authenticated")
    by_rcpt = {}
    for rcpt, msg, raw in box.messages:
        by_rcpt.setdefault(rcpt, []).append(msg)
    result(sorted(by_rcpt) == sorted(p["email"] for p in with_address) and
           all(len(v) == 1 for v in by_rcpt.values()), "every recipient got exactly one message")
    for p in with_address:
        msgs = by_rcpt.get(p["email"], [])
        if not msgs:
            continue
        m = msgs[0]
        to = m["To"].addresses[0]
        result(to.addr_spec == p["email"] and to.display_name == p["name"], f"To: {m['To']}")
        result(m["Subject"].startswith("Kursintyg: Grundutbildning") and "Eksjö kommun" in m["Subject"],
               f"subject decoded: {m['Subject']}")
        plain = m.get_body(("plain",)).get_content()
        html = m.get_body(("html",)).get_content()
        result(f"Hej {p['name']}!" in plain and p["code"] in plain, f"text part names {p['name']} and the code")
        esc = p["name"].replace("&", "&amp;").replace("<", "&lt;")
        result(f"<p>Hej {esc}!</p>" in html, f"HTML part names {p['name']}")
        atts = [a for a in m.iter_attachments()]
        result(len(atts) == 1 and atts[0].get_content_type() == "application/pdf" and
               atts[0].get_filename() == f"Kursintyg {p['name']}.pdf", f"one PDF attached: {[a.get_filename() for a in atts]}")
        if atts:
            txt = pdf_text(atts[0].get_content())
            others = [n for n in names if n != p["name"] and n in txt]
            result(p["name"] in txt and not others, f"{p['name']}'s PDF holds their name only (others: {others})")
        result(re.fullmatch(r"<[0-9a-f]{32}\.0@rjl\.se>", m["Message-ID"] or "") is not None, f"Message-ID {m['Message-ID']}")
    everything = so + se + "".join(open(os.path.join(out, ".sendlog", VISIT + ".jsonl"), encoding="utf-8"))
    result(PASSWORD not in everything and "hemligt" not in everything, "the password is in no output and not in the send log")
    st = os.stat(os.path.join(out, ".sendlog", VISIT + ".jsonl"))
    result(oct(st.st_mode & 0o777) == "0o600" and
           oct(os.stat(os.path.join(out, ".sendlog", "eksjo")).st_mode & 0o777) == "0o700", "the send log is private")
    recs = log_records()
    result([r["event"] for r in recs] == ["sending", "sent"] * len(with_address), "the log: sending then sent, per message")
    result(all(r["reply"].startswith("250 2.0.0 Ok: queued as") for r in recs if r["event"] == "sent"),
           "the log keeps the server's reply")

    # A rerun sends nothing new; so does one after a rebuild of unchanged inputs.
    n = len(box.messages)
    rc, so, se = send(mailbox=box)
    result(rc == 0 and len(box.messages) == n and f"0 sent, {len(with_address)} skipped (already sent)" in so,
           f"a rerun sends nothing: {so[-300:]!r}")
    build(["--force"])
    rc, so, se = send(mailbox=box)
    result(rc == 0 and len(box.messages) == n, "the send log survives a rebuild of the pack")

    # A corrected name: reported, resent only with --resend.
    fixed = with_address[3]
    text = open(eksjo, encoding="utf-8").read().replace(f"name: {fixed['name']}\n", f"name: {fixed['name']}-Ek\n", 1)
    open(eksjo, "w", encoding="utf-8").write(text)
    build()
    rc, so, se = send(mailbox=box)
    result(rc == 1 and len(box.messages) == n and f"rebuilt  {fixed['name']}-Ek <{fixed['email']}>" in so,
           f"a certificate rebuilt after sending is reported, not sent: {rc} {so[-400:]!r}")
    rc, so, se = send("--resend", fixed["email"], mailbox=box)
    new = box.messages[n:]
    result(rc == 0 and len(new) == 1 and new[0][0] == fixed["email"] and f"{fixed['name']}-Ek" in pdf_text(
        next(new[0][1].iter_attachments()).get_content()), f"--resend sends that one again: {rc} {so[-300:]!r}")
    result(len(new) == 1 and new[0][1]["Message-ID"].endswith(".1@rjl.se>"), "the resent message has a new Message-ID")
    n = len(box.messages)

    # ---------------------------------------------------------- refused and dropped
    shutil.rmtree(os.path.join(out, ".sendlog"))
    box.messages.clear()
    box.refuse = {with_address[2]["email"]}
    box.drop_once = {with_address[5]["email"]}
    box.busy_once = {with_address[7]["email"]}
    twice = with_address[9]["email"]
    box.drop_after_data_once = {twice}
    rc, so, se = send(mailbox=box)
    copies = [m for r, m, _ in box.messages if r == twice]
    result(len(copies) == 2 and copies[0]["Message-ID"] == copies[1]["Message-ID"] and
           f"possibly duplicated  {with_address[9]['name']} <{twice}>" in so and "the connection failed" in so,
           f"a reply lost after the text went out: sent again with the same Message-ID, reported: {len(copies)}")
    got = sorted(r for r, _, _ in box.messages if r != twice)
    got = sorted(got + [twice])
    result(rc == 1 and f"refused  {with_address[2]['name']} <{with_address[2]['email']}>" in so and
           "550 5.1.1 <%s>: mailbox unavailable" % with_address[2]["email"] in so,
           f"a refused recipient is reported with the server's words: {[l for l in so.splitlines() if 'refused' in l]}")
    result(f"{len(with_address) - 1} sent, 0 skipped (already sent), 1 refused" in so, "the run went on after the refusal")
    result(f"retry    {with_address[5]['name']}" in so, "the dropped connection was retried")
    result(f"retry    {with_address[7]['name']} <{with_address[7]['email']}>: 451 4.3.2 try again later (again in 0.2 s)"
           in so, "a 451 was retried after a wait")
    result(got == sorted(p["email"] for p in with_address if p["email"] != with_address[2]["email"]),
           "after the drop every other recipient has exactly one message")
    box.refuse = set()
    rc, so, se = send(mailbox=box)
    result(rc == 0 and "1 sent" in so and len(box.messages) == len(with_address) + 1,
           "a rerun sends the refused one once accepted")

    # ---------------------------------------------------------- killed runs
    kill_points = [("data", 1), ("data", 6), ("rcpt", 9), ("data", len(with_address))]
    for where, k in kill_points:
        shutil.rmtree(os.path.join(out, ".sendlog"))
        box.messages.clear()
        box.datas = box.rcpts = 0
        box.kill_at_data = k if where == "data" else 0
        box.kill_at_rcpt = k if where == "rcpt" else 0
        rc, so, se = send(mailbox=box)
        result(rc == -signal.SIGKILL, f"killed at {where} #{k}: {rc}")
        box.kill_at_data = box.kill_at_rcpt = 0
        rc2, so2, se2 = send(mailbox=box)
        counts = {}
        ids = {}
        for r, m, _ in box.messages:
            counts[r] = counts.get(r, 0) + 1
            ids.setdefault(r, set()).add(m["Message-ID"])
        twice = [r for r, c in counts.items() if c > 1]
        missing = [p["email"] for p in with_address if p["email"] not in counts]
        reported = re.findall(r"possibly duplicated  .*? <([^>]+)>", so2)
        print(f"kill at {where} #{k}: {len(box.messages)} arrived for {len(counts)} recipients, "
              f"twice: {twice}, reported: {reported}", flush=True)
        result(rc2 == 0 and not missing, f"after the kill at {where} #{k} everyone has a message (missing {missing})")
        result(len(twice) <= 1 and all(counts[r] <= 2 for r in twice), f"at most the in-flight one twice: {counts}")
        if where == "data":
            result(len(twice) == 1 and len(ids[twice[0]]) == 1, "the in-flight message arrived twice with one Message-ID")
            result(reported == twice, f"the rerun reported the possible duplicate: {reported} {twice}")
        else:
            result(not twice and len(reported) == 1, f"killed before DATA: one copy, reported as possible: {reported}")
finally:
    server.stop()

# ------------------------------------------------------------------ TLS required
# A server that offers no STARTTLS on a non-loopback address is refused.
addrs = [a for a in subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
         if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", a) and not a.startswith("127.")]
if addrs:
    plain_box = Mailbox()
    plain_port = free_port()
    plain = Controller(plain_box, hostname=addrs[0], port=plain_port)
    plain.start()
    try:
        shutil.rmtree(os.path.join(out, ".sendlog"), ignore_errors=True)
        write_settings(url=f"smtp://{addrs[0]}:{plain_port}")
        rc, so, se = send()
        result(rc == 3 and not plain_box.messages and "sending stopped" in se,
               f"without STARTTLS nothing goes to a non-loopback server: {rc} {se!r}")
    finally:
        plain.stop()
        write_settings()
else:
    result(False, "no non-loopback IPv4 address to test the STARTTLS requirement on")

# ------------------------------------------------------------------ timing
if BENCH:
    broot = os.path.join(tmp, "bench")
    subprocess.run([sys.executable, os.path.join(SRC, "tests", "gen", "make_data.py"), "--scale", "2", "--out", broot],
                   check=True, capture_output=True)
    shutil.copytree(os.path.join(SRC, "materials", "mail"), os.path.join(broot, "materials", "mail"))
    for f in os.listdir(os.path.join(broot, "materials", "municipalities")):
        p = os.path.join(broot, "materials", "municipalities", f)
        held = open(p, encoding="utf-8").read().replace("status: planned", "status: held")
        open(p, "w", encoding="utf-8").write(held)
    bout = os.path.join(tmp, "bench-out")
    p = subprocess.run([BIN, "build", "--root", broot, "--out", bout, "-q"], env=ENV, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-2000:]
    box = Mailbox()
    server = start_server(box, cert, key, port)
    try:
        # The first visits up to BENCH messages: --only per visit.
        visits = []
        for slug in sorted(os.listdir(bout)):
            if slug.startswith(".") or not os.path.isdir(os.path.join(bout, slug)):
                continue
            for v in sorted(os.listdir(os.path.join(bout, slug))):
                with open(os.path.join(bout, slug, v, "certificates.csv"), encoding="utf-8-sig", newline="") as f:
                    rows = list(csv.DictReader(f, dialect="excel", delimiter=";"))
                visits.append((f"{slug}/{v}", len([r for r in rows if r["E-post"]])))
        todo, total = [], 0
        for v, n in visits:
            if total >= BENCH:
                break
            todo.append(v)
            total += n
        t0 = time.monotonic()
        for v in todo:
            subprocess.run([BIN, "send", "--root", broot, "--out", bout, "--only", v, "-q"], env=ENV,
                           capture_output=True, check=True)
        secs = time.monotonic() - t0
        print(f"bench: {len(box.messages)} messages in {len(todo)} runs to 127.0.0.1 (STARTTLS, AUTH): "
              f"{secs:.2f} s, {len(box.messages) / secs:.1f} messages/s", flush=True)
        result(len(box.messages) == total, f"bench: every message arrived ({len(box.messages)} of {total})")
    finally:
        server.stop()

shutil.rmtree(tmp, ignore_errors=True)
sys.exit(checks.finish())
