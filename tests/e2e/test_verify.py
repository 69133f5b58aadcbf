#!/usr/bin/env python3
"""The certificate register and the verification page, end to end.

Builds two municipalities of the bundled data, then checks out/register.csv
(UTF-8 with BOM, `;`, CRLF, every certificate), that codes survive
corrections of e-mail, title and unit, that a participant marked absent,
removed or renamed after issue is listed as revoked, and `coursepack
publish`'s out/verify/ in headless Chromium: a right code shows the name,
course, date and municipality; a typed code works too; a wrong code says
not found and shows no name; a revoked code says so. No file under
out/verify/ holds any participant's name or address in plain text,
JSON-escaped, HTML-escaped, percent-encoded, hex or base64, and nothing is
loaded from elsewhere.

Usage: test_verify.py COURSEPACK ROOT
Screenshots are kept when COURSEPACK_SCREENSHOTS names a folder.
"""
import base64
import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, project_copy  # noqa: E402
from browser import Browser, chromium_path  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
KEEP = ["eksjo", "aneby"]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1686650000")
checks = Checks()
result = checks.check

tmp = tempfile.mkdtemp(prefix="coursepack-verify-")
root, out, mdir = project_copy(SRC, tmp, KEEP)
eksjo_yaml = os.path.join(mdir, "eksjo.yaml")
# The visit's evaluation forms would outnumber its attendees once some are
# marked absent below.
text = open(eksjo_yaml, encoding="utf-8").read()
open(eksjo_yaml, "w", encoding="utf-8").write(text.replace("    evaluation_results: evaluations/eksjo-2023-06-13.csv\n", ""))


def build():
    p = subprocess.run([BIN, "build", "--root", root, "--out", out, "-q"], env=ENV, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-2000:]


def edit(old, new):
    text = open(eksjo_yaml, encoding="utf-8").read()
    assert old in text, old
    open(eksjo_yaml, "w", encoding="utf-8").write(text.replace(old, new, 1))


HEADER = ["Kommun", "Datum", "Kurs", "Namn", "E-post", "Kod", "Besök", "Fil", "Status"]


def register():
    """The file's bytes, its header, and its rows as [code, name,
    municipality, date, course, pack, status, e-mail, file], read as Excel
    does (the excel dialect with `;`, UTF-8 with BOM)."""
    raw = open(os.path.join(out, "register.csv"), "rb").read()
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), dialect="excel", delimiter=";"))
    rows = [table[0]] + [[d["Kod"], d["Namn"], d["Kommun"], d["Datum"], d["Kurs"], d["Besök"], d["Status"],
                          d["E-post"], d["Fil"]] for d in (dict(zip(table[0], r)) for r in table[1:])]
    return raw, rows


def codes_in_packs():
    """{(pack, name): (code, email, file)} from every pack's certificates.csv."""
    found = {}
    for slug in KEEP:
        for visit in os.listdir(os.path.join(out, slug)):
            with open(os.path.join(out, slug, visit, "certificates.csv"), encoding="utf-8-sig", newline="") as f:
                for row in csv.DictReader(f, dialect="excel", delimiter=";"):
                    found[(f"{slug}/{visit}", row["Namn"])] = (row["Kod"], row["E-post"], row["Fil"])
    return found


build()
raw, rows = register()
issued = codes_in_packs()
result(raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""),
       "register.csv: UTF-8 with BOM, CRLF line ends")
result(rows[0] == HEADER, f"register.csv header: {rows[0]}")
by_code = {r[0]: r for r in rows[1:]}
result(len(rows) - 1 == len(issued) and all(by_code.get(c, [None] * 9)[1] == n for (p, n), (c, e, f) in issued.items()),
       f"register.csv lists every certificate of the packs ({len(rows) - 1} rows, {len(issued)} certificates)")
result(all(by_code[c][5] == p and by_code[c][7] == e and by_code[c][8] == f for (p, n), (c, e, f) in issued.items()),
       "register.csv: each certificate's pack, e-mail address and file as in the pack's certificates.csv")
result(all(os.path.isfile(os.path.join(out, by_code[c][5], f)) for (p, n), (c, e, f) in issued.items()),
       "register.csv: each file exists in its pack")
result({r[6] for r in rows[1:]} <= {"giltigt", "planerat"} and any(r[6] == "giltigt" for r in rows[1:]),
       "fresh certificates are valid (held visits) or planned")
result(oct(os.stat(os.path.join(out, "register.csv")).st_mode & 0o777) == "0o600", "register.csv is private")

# Corrections that keep the code.
held = "eksjo/2023-06-13-grundutbildning"
satu = issued[(held, "Satu Nieminen")][0]
edit("        email: satu.nieminen@eksjo.se\n        attended: true", "        email: satu.n@eksjo.se\n        attended: true")
edit("      - name: Satu Nieminen\n        title: Familjebehandlare\n        unit: Mottagningsenheten",
     "      - name: Satu Nieminen\n        title: Socialsekreterare\n        unit: Barn och unga")
build()
now = codes_in_packs()
result(now[(held, "Satu Nieminen")][0] == satu and now[(held, "Satu Nieminen")][1] == "satu.n@eksjo.se",
       "correcting e-mail, title and unit keeps the code")

# Revocations: absent, removed, renamed.
par = issued[(held, "Pär Pettersson")][0]
linda = issued[(held, "Linda Fredriksson")][0]
tuula = issued[(held, "Tuula Nieminen")][0]
edit("        email: par.pettersson@eksjo.se\n        attended: true", "        email: par.pettersson@eksjo.se\n        attended: false")
text = open(eksjo_yaml, encoding="utf-8").read()
text = re.sub(r"      - name: Linda Fredriksson\n(        .*\n)+?(?=      - name:)", "", text, count=1)
open(eksjo_yaml, "w", encoding="utf-8").write(text)
edit("name: Tuula Nieminen", "name: Tuula Nieminen-Koski")
build()
raw, rows = register()
by_code = {r[0]: r for r in rows[1:]}
now = codes_in_packs()
result(by_code[par][6] == "återkallat" and by_code[par][1] == "Pär Pettersson", "marked absent after issue: revoked")
result(by_code[linda][6] == "återkallat", "removed from the visit after issue: revoked")
result(by_code[tuula][6] == "återkallat" and by_code[now[(held, "Tuula Nieminen-Koski")][0]][6] == "giltigt",
       "renamed: the old code revoked, the new one valid")
result(by_code[satu][6] == "giltigt", "the others stay valid")
revoked_count = sum(1 for r in rows[1:] if r[6] == "återkallat")

# The page.
p = subprocess.run([BIN, "publish", "--root", root, "--out", out], env=ENV, capture_output=True, text=True)
result(p.returncode == 0 and f"{revoked_count} revoked" in p.stdout, f"publish: {p.returncode} {p.stdout} {p.stderr}")
p2 = subprocess.run([BIN, "publish", "--root", root, "--out", out], env=ENV, capture_output=True, text=True)
result(p2.returncode == 0 and ", 0 new keys," in p2.stdout, f"a second publish derives no key again: {p2.stdout}")
vdir = os.path.join(out, "verify")
files = sorted(os.listdir(vdir))
result(files == ["entries.js", "index.html", "verify.js"], f"out/verify holds the page and its data: {files}")
page_text = "".join(open(os.path.join(vdir, f), encoding="utf-8").read() for f in ("index.html", "verify.js"))
result(not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", page_text) and "@import" not in page_text and
       "<link" not in page_text, "nothing loaded from elsewhere (no remote scripts, styles or fonts)")


def encodings(s):
    """The ways a text could sit in a file."""
    forms = {s, unicodedata.normalize("NFD", s), json.dumps(s)[1:-1], json.dumps(s, ensure_ascii=False)[1:-1],
             html.escape(s), s.encode("ascii", "xmlcharrefreplace").decode(), urllib.parse.quote(s),
             s.encode("utf-8").hex(), s.lower(), s.upper()}
    b = s.encode("utf-8")
    for pad in range(3):
        enc = base64.b64encode(b"\0" * pad + b).decode()
        # Characters that depend only on the name's own bytes.
        start = (pad * 4 + 2) // 3 + (1 if pad else 0)
        core = enc[start:len(enc) - 4]
        if len(core) >= 8:
            forms.add(core)
            forms.add(core.replace("+", "-").replace("/", "_"))
    return {f for f in forms if len(f) >= 4}


people = set()
for r in rows[1:]:
    people.add(r[1])
emails = {e for (c, e, _) in list(issued.values()) + list(codes_in_packs().values()) if e} | {"satu.n@eksjo.se"}
blobs = {f: open(os.path.join(vdir, f), "rb").read().decode("utf-8") for f in files}
leaks = []
for who in sorted(people | emails):
    for form in encodings(who):
        for f, blob in blobs.items():
            if form in blob:
                leaks.append((who, form, f))
result(len(people) > 40 and not leaks, f"no name or address of {len(people)} people in out/verify: {leaks[:5]}")

# In the browser.
valid_code = satu
wrong = valid_code[:-1] + ("2" if valid_code[-1] != "2" else "3")
shots = os.environ.get("COURSEPACK_SCREENSHOTS")
if not chromium_path():
    result(False, "chromium is needed for the verification page test")
else:
    url = "file://" + os.path.join(vdir, "index.html")
    done = "document.getElementById('result').className !== ''"
    with Browser() as b:
        s = b.open(url + "#" + valid_code)
        result(b.wait_for(s, done), "the page answers a code in the URL")
        text = b.evaluate(s, "document.getElementById('result').innerText")
        result(f"Kursintyget {valid_code} är äkta" in text and "Satu Nieminen" in text and "13 juni 2023" in text and
               "Eksjö kommun" in text and "Grundutbildning om sexuell exploatering" in text,
               f"a right code shows name, course, date and municipality: {text!r}")
        if shots:
            b.screenshot(s, os.path.join(shots, "verify-right.png"))
        s = b.open(url + "#" + wrong)
        b.wait_for(s, done)
        text = b.evaluate(s, "document.getElementById('result').innerText")
        body = b.evaluate(s, "document.body.innerText")
        result(f"Inget kursintyg med koden {wrong} hittades" in text and not any(n in body for n in people),
               f"a wrong code is not found and shows no name: {text!r}")
        if shots:
            b.screenshot(s, os.path.join(shots, "verify-wrong.png"))
        s = b.open(url + "#" + tuula)
        b.wait_for(s, done)
        text = b.evaluate(s, "document.getElementById('result').innerText")
        result("är återkallat" in text and "Tuula Nieminen" in text, f"a revoked code says so: {text!r}")
        # Typed in, in lower case without the dash.
        s = b.open(url)
        b.wait_for(s, "document.readyState === 'complete'")
        b.evaluate(s, f"document.getElementById('code').value = '{par.lower().replace('-', '')}'; "
                      "document.getElementById('form').requestSubmit(); true")
        b.wait_for(s, done)
        text = b.evaluate(s, "document.getElementById('result').innerText")
        result("är återkallat" in text and "Pär Pettersson" in text, f"a typed code works: {text!r}")
        s = b.open(url + "#" + issued[("aneby/2023-09-14-grundutbildning", next(
            n for (pk, n) in issued if pk == "aneby/2023-09-14-grundutbildning"))][0])
        b.wait_for(s, done)
        text = b.evaluate(s, "document.getElementById('result').innerText")
        result("ännu inte är genomförd" in text, f"a planned visit's certificate says so: {text!r}")

shutil.rmtree(tmp, ignore_errors=True)
sys.exit(checks.finish())
