#!/usr/bin/env python3
"""Records and retention, end to end.

A held visit's pack is a record of a training that took place: when its
visit leaves the data, a build keeps it (and says so), index.html lists it
as kept, and its certificates stay valid in register.csv; a planned
visit's pack is removed as before.

Retention: with `retention: 2 years` in project.yaml, on 2025-12-01 every
2023 visit is past it. `check` warns at the first name each input still
holds; `purge --dry-run` changes no byte under out/; `purge` leaves no
participant's name or address in any file under out/ (PDFs read with
pdftotext) while report.pdf says the same as before, also after the names
are deleted from the inputs; a build does not bring them back; purge
refuses a folder that is not coursepack's and waits for no build (the
lock).

Manifests name no one: no participant's name, nor the slug a certificate
file is named with, is in any manifest.json. A pack whose own manifest is
truncated or garbage is made again when it holds only coursepack's files,
and refused (left as it is) when it holds a file of the user's.

Usage: test_records.py COURSEPACK ROOT
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, project_copy  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1696118400")  # 2023-10-01
checks = Checks()
result = checks.check

tmp = tempfile.mkdtemp(prefix="coursepack-records-")
root, out, mdir = project_copy(SRC, tmp, ["aneby", "eksjo"])


def run(*args, env=ENV):
    return subprocess.run([BIN, *args, "--root", root, "--out", out], env=env, capture_output=True, text=True)


def files_under(top):
    """Every file under top: relative path → bytes."""
    got = {}
    for dirpath, _, names in os.walk(top):
        for n in names:
            p = os.path.join(dirpath, n)
            got[os.path.relpath(p, top)] = open(p, "rb").read()
    return got


def cut_visit(slug, date):
    """Removes the visit on `date` from the municipality's file."""
    path = os.path.join(mdir, slug + ".yaml")
    text = open(path, encoding="utf-8").read()
    start = text.index(f"  - date: {date}\n")
    nxt = text.find("\n  - date: ", start + 1)
    text = text[:start] + (text[nxt + 1:] if nxt >= 0 else "")
    open(path, "w", encoding="utf-8").write(text)


def register_rows():
    with open(os.path.join(out, "register.csv"), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, dialect="excel", delimiter=";"))


r = run("build", "-q")
assert r.returncode == 0, r.stderr[-2000:]

# ---- a held visit's pack stays when its visit leaves the data
held_pack = os.path.join(out, "eksjo", "2023-03-14-grundutbildning")
planned_pack = os.path.join(out, "aneby", "2023-09-14-grundutbildning")
held_files = files_under(held_pack)
result(len(held_files) > 10, f"the held visit's pack was built ({len(held_files)} files)")
result(os.path.isdir(planned_pack), "the planned visit's pack was built")
valid_before = [row for row in register_rows() if row["Datum"] == "2023-03-14" and row["Kommun"] == "Eksjö kommun"]
result(valid_before and all(row["Status"] == "giltigt" for row in valid_before),
       f"the held visit's certificates are valid ({len(valid_before)})")
cut_visit("eksjo", "2023-03-14")
cut_visit("aneby", "2023-09-14")
r = run("build")
result(r.returncode == 0, f"the build after removing two visits succeeds: {r.stderr[-500:]!r}")
result("kept eksjo/2023-03-14-grundutbildning (a held visit's records; its visit is no longer in the data)\n"
       in r.stdout, f"the build says the held visit's pack is kept: {r.stdout!r}")
result("removed aneby/2023-09-14-grundutbildning (its visit is no longer in the data)\n" in r.stdout,
       f"the planned visit's pack is removed: {r.stdout!r}")
summary = r.stdout.strip().splitlines()[-1]
result(re.match(r"0 built, \d+ unchanged, 1 removed, 1 kept, 0 pages, ", summary) is not None,
       f"the summary counts the kept pack: {summary!r}")
result(files_under(held_pack) == held_files, "the held visit's pack is kept byte for byte")
result(not os.path.exists(planned_pack), "the planned visit's pack is gone")
index = open(os.path.join(out, "index.html"), encoding="utf-8").read()
kept_rows = [line for line in index.splitlines() if line.startswith('<tr class="kept">')]
result(len(kept_rows) == 1 and "<td>Eksjö kommun</td><td class=\"d\">2023-03-14</td><td>grundutbildning</td>"
       "<td>genomförd, sparad</td>" in kept_rows[0] and 'href="eksjo/2023-03-14-grundutbildning/attendance.pdf"'
       in kept_rows[0], f"index.html lists the kept pack, linked: {kept_rows}")
result("<h2>Sparade besök</h2>" in index, "index.html has a section for kept packs")
valid_after = [row for row in register_rows() if row["Datum"] == "2023-03-14" and row["Kommun"] == "Eksjö kommun"]
result(valid_after == valid_before, "the kept visit's certificates stay valid in register.csv")
r = run("build", "--only", "aneby")
index = open(os.path.join(out, "index.html"), encoding="utf-8").read()
result(r.returncode == 0 and index.count('<tr class="kept">') == 1, "a build with --only lists the kept pack too")
r = run("build")
result(r.returncode == 0 and files_under(held_pack) == held_files and "1 kept" in r.stdout,
       f"the next build keeps it again: {r.stdout[-200:]!r}")

# ---- manifests name no one
r = run("build", "-q")
for slug in ("aneby", "eksjo"):
    for visit in os.listdir(os.path.join(out, slug)):
        pack = os.path.join(out, slug, visit)
        manifest = open(os.path.join(pack, "manifest.json"), encoding="utf-8").read()
        certs = os.listdir(os.path.join(pack, "certificates")) if os.path.isdir(os.path.join(pack, "certificates")) else []
        stems = [c[c.index("-") + 1:-4] for c in certs]
        names = [row["Namn"] for row in register_rows() if row["Besök"] == f"{slug}/{visit}"]
        result(certs and not [x for x in stems + names if x in manifest],
               f"{slug}/{visit}: manifest.json names none of its {len(certs)} certificate holders")
        entries = json.loads(manifest)["outputs"]
        result(sorted(e["certificate"] for e in entries if "certificate" in e) == list(range(1, len(certs) + 1)),
               f"{slug}/{visit}: the certificates are listed by number")

# ---- a pack whose own manifest is damaged
pack = os.path.join(out, "aneby", "2023-03-02-grundutbildning")
good = files_under(pack)
mpath = os.path.join(pack, "manifest.json")
for damage in (good["manifest.json"][:200], b"", b"\0" * 512, b"garbage\n"):
    open(mpath, "wb").write(damage)
    r = run("list")
    result("2023-03-02" in r.stdout and [l for l in r.stdout.splitlines() if "2023-03-02" in l][0].endswith("stale"),
           "list calls a pack with a damaged manifest stale")
    r = run("build")
    result(r.returncode == 0 and "rebuilding aneby/2023-03-02-grundutbildning: manifest.json is damaged (it is not "
           "JSON); the pack is made again\n" in r.stdout, f"a damaged manifest ({len(damage)} bytes) is repaired: "
           f"{r.stdout[-300:]!r} {r.stderr[-300:]!r}")
    result(files_under(pack) == good, "the repaired pack is the pack as it was")
    result(not [n for n in os.listdir(os.path.join(out, "aneby")) if n.startswith(".tmp-")],
           "the replaced folder is gone")
open(mpath, "wb").write(b"garbage\n")
open(os.path.join(pack, "anteckningar.txt"), "w").write("mina anteckningar\n")
r = run("build")
result(r.returncode == 3 and f"'{pack}' has a damaged manifest.json and holds 'anteckningar.txt', which coursepack "
       "did not write; move it away to build this pack" in r.stderr, f"with a file of the user's it is refused: "
       f"{r.stderr[-300:]!r}")
result(open(mpath, "rb").read() == b"garbage\n" and os.path.exists(os.path.join(pack, "anteckningar.txt")),
       "and left as it is")
os.remove(os.path.join(pack, "anteckningar.txt"))
open(mpath, "w").write('{"tool": "someone else"}\n')
r = run("build")
result(r.returncode == 3 and "exists and is not a pack coursepack wrote" in r.stderr,
       "a manifest that parses but is not coursepack's is not taken for a damaged one")
open(mpath, "wb").write(good["manifest.json"])

# ---- retention and purge
import fcntl  # noqa: E402

from checks import require_tool  # noqa: E402

require_tool("pdftotext")
PURGE_ENV = dict(os.environ, SOURCE_DATE_EPOCH="1764547200")  # 2025-12-01
root, out, mdir = project_copy(SRC, os.path.join(tmp, "retention"), ["aneby", "eksjo"])
project = os.path.join(root, "materials", "project.yaml")
text = open(project, encoding="utf-8").read()
open(project, "w", encoding="utf-8").write(text.replace("verify_url:", "retention: 2 years\nverify_url:", 1))


def pdf_text(path):
    p = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


def readable(path):
    """A file's text as a reader sees it (PDFs through pdftotext)."""
    if path.endswith(".pdf"):
        return pdf_text(path)
    return open(path, "rb").read().decode("utf-8", errors="replace")


r = run("build", "-q", env=PURGE_ENV)
assert r.returncode == 0, r.stderr[-2000:]
r = run("send", "--dry-run", "--only", "eksjo/2023-03-14-grundutbildning", env=dict(PURGE_ENV, COURSEPACK_SMTP="/nonexistent"))
eml = os.path.join(out, "eksjo", "2023-03-14-grundutbildning", "mail")
result(r.returncode == 0 and len(os.listdir(eml)) > 5, f"send --dry-run wrote messages to purge: {r.stderr[-300:]!r}")
rows = register_rows()
people = sorted({row["Namn"] for row in rows} | {row["E-post"] for row in rows if row["E-post"]})
result(len(people) > 100, f"names and addresses to look for ({len(people)})")
# A send log as `send` writes it: an address per delivered message.
log_dir = os.path.join(out, ".sendlog", "eksjo")
os.makedirs(log_dir, mode=0o700)
address = next(row["E-post"] for row in rows if row["E-post"] and row["Datum"] == "2023-03-14")
with open(os.path.join(log_dir, "2023-03-14-grundutbildning.jsonl"), "w") as f:
    for event in ("sending", "sent"):
        f.write(json.dumps({"event": event, "key": address, "to": address, "code": "X", "message_id": "<m@x>",
                            "certificate": "0", "time": 1}) + "\n")
r = run("report", env=PURGE_ENV)
assert r.returncode == 0, r.stderr
report_before = pdf_text(os.path.join(out, "report.pdf"))
# A file of the user's in a pack.
user_file = os.path.join(out, "eksjo", "2023-06-13-grundutbildning", "anteckningar.txt")
open(user_file, "w").write("lokalen var bra\n")

r = run("check", env=PURGE_ENV)
result(r.returncode == 0 and "materials/participants/eksjo-2023-03-14.csv:2:1: warning: the visit on 2023-03-14 is past "
       "the retention period (2 years, until 2025-03-14), but this file still holds the names of its 19 "
       "participants\n  hint: run 'coursepack purge' to remove them from out/, then delete the participants here "
       "(keep the visit itself: its date, course and status)\n" in r.stderr, f"check warns about the CSV: {r.stderr!r}")
result(re.search(r"materials/municipalities/eksjo\.yaml:\d+:9: warning: the visit on 2023-06-13 is past the "
                 r"retention period", r.stderr) is not None, "check warns about an inline list at its first name")
r = run("check", env=dict(PURGE_ENV, SOURCE_DATE_EPOCH="1790000000"))  # 2026-09-21: later still
result(r.returncode == 0 and r.stderr.count("is past the retention period") == 4,
       f"every 2023 visit is warned about: {r.stderr!r}")

before = files_under(out)
r = run("purge", "--dry-run", env=PURGE_ENV)
result(r.returncode == 0 and "would purge eksjo/2023-03-14-grundutbildning (its retention period of 2 years ended on "
       "2025-03-14): attendance.pdf, certificates.csv, certificates.pdf, print.pdf, 15 certificate files, "
       in r.stdout, f"purge --dry-run says what would go: {r.stdout!r}")
result("nothing changed (--dry-run)" in r.stdout, "purge --dry-run says it changed nothing")
result(files_under(out) == before, "purge --dry-run changes no byte under out/")

# Not while a build holds the lock.
with open(os.path.join(out, ".lock"), "a") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    r = run("purge", env=PURGE_ENV)
result(r.returncode == 3 and "lock held" in r.stderr and files_under(out) == before,
       f"purge waits for no build: exit 3, nothing changed: {r.stderr!r}")
# Not in a folder coursepack did not make.
foreign = os.path.join(tmp, "foreign")
os.makedirs(foreign)
open(os.path.join(foreign, "manifest.json"), "w").write("{}")
p = subprocess.run([BIN, "purge", "--root", root, "--out", foreign], env=PURGE_ENV, capture_output=True, text=True)
result(p.returncode == 3 and "was not made by coursepack" in p.stderr and os.listdir(foreign) == ["manifest.json"],
       f"purge refuses a folder coursepack did not make: {p.stderr!r}")

r = run("purge", env=PURGE_ENV)
result(r.returncode == 0, f"purge succeeds: {r.stderr[-500:]!r}")
result("purged eksjo/2023-03-14-grundutbildning (its retention period of 2 years ended on 2025-03-14): "
       "attendance.pdf, certificates.csv, certificates.pdf, print.pdf, 15 certificate files, 15 messages in mail/, "
       "the send log\n" in r.stdout, f"purge says what went: {r.stdout!r}")
result("  eksjo/2023-06-13-grundutbildning/anteckningar.txt was not written by coursepack; it is left as it is\n"
       in r.stdout and os.path.exists(user_file), "a file of the user's in a pack stays, and is named")
result("  materials/participants/eksjo-2023-03-14.csv (19 participants of eksjo/2023-03-14-grundutbildning)\n"
       in r.stdout, f"purge lists the inputs to clean by hand: {r.stdout!r}")
result("4 pack(s) purged, 0 already purged\n" in r.stdout, "purge counts the packs")


def names_left():
    left = []
    for rel in sorted(files_under(out)):
        content = readable(os.path.join(out, rel))
        left += [f"{rel}: {who}" for who in people if who in content]
    return left


result(names_left() == [], f"no participant's name or address is left under out/: {names_left()[:5]}")
pack = os.path.join(out, "eksjo", "2023-03-14-grundutbildning")
result(sorted(os.listdir(pack)) == ["brief.pdf", "evaluation.pdf", "handout.html", "handout.pdf", "manifest.json",
                                    "visit.ics"], f"a purged pack keeps what holds no one's data: {os.listdir(pack)}")
manifest = json.load(open(os.path.join(pack, "manifest.json")))
result(manifest["purged"] == "2025-12-01" and manifest["registered"] == 19 and manifest["attended"] == 15
       and manifest["certificates"] == 15 and manifest["sent"] == 1,
       f"its manifest keeps the counts: {[manifest.get(k) for k in ('registered', 'attended', 'certificates', 'sent')]}")
result(not os.path.exists(os.path.join(out, ".sendlog", "eksjo")), "the send log is gone")
counted = [row for row in register_rows() if row["Status"] == "raderat"]
result(len(counted) == 4 and any(row["Namn"] == "15 intyg (15 giltiga); personuppgifterna raderade 2025-12-01"
                                  for row in counted), f"register.csv: one count per visit: {counted[:1]}")
r = run("report", env=PURGE_ENV)
result(r.returncode == 0 and pdf_text(os.path.join(out, "report.pdf")) == report_before,
       "report.pdf says the same after the purge")
r = run("purge", env=PURGE_ENV)
result(r.returncode == 0 and "0 pack(s) purged, 4 already purged\n" in r.stdout, f"a second purge has nothing to do")

# The inputs still hold the names: a build does not bring them back.
after_purge = files_under(out)
r = run("build", env=PURGE_ENV)
result(r.returncode == 0 and r.stdout.startswith("0 built, 4 unchanged"), f"a build leaves purged packs: {r.stdout!r}")
result(names_left() == [], "a build after the purge writes no name under out/")
r = run("build", "--force", env=PURGE_ENV)
result(r.returncode == 0 and names_left() == [], "nor does a forced build")
# The coordinator deletes the names from the inputs: the report keeps its numbers.
eksjo = os.path.join(mdir, "eksjo.yaml")
text = open(eksjo, encoding="utf-8").read()
open(eksjo, "w", encoding="utf-8").write(text.replace("    participants: participants/eksjo-2023-03-14.csv\n", "", 1))
os.remove(os.path.join(root, "materials", "participants", "eksjo-2023-03-14.csv"))
r = run("check", env=PURGE_ENV)
result(r.returncode == 0 and "eksjo-2023-03-14.csv" not in r.stderr, f"check: that input is clean: {r.stderr[-300:]!r}")
r = run("report", env=PURGE_ENV)
result(r.returncode == 0 and pdf_text(os.path.join(out, "report.pdf")) == report_before,
       "report.pdf keeps its numbers when the inputs no longer hold the names")
r = run("build", env=PURGE_ENV)
result(r.returncode == 0 and names_left() == [], "a build with the cleaned inputs keeps the purged pack")
row = [line for line in open(os.path.join(out, "index.html"), encoding="utf-8").read().splitlines()
       if '<td class="d">2023-03-14</td>' in line]
result(len(row) == 1 and '<td class="n">19</td><td class="n">15</td>' in row[0] and "personuppgifterna raderade" in
       row[0], f"index.html shows the purged pack's recorded counts: {row}")

# Without a retention period there is nothing to purge by.
text = open(project, encoding="utf-8").read()
open(project, "w", encoding="utf-8").write(text.replace("retention: 2 years\n", ""))
r = run("purge", env=PURGE_ENV)
result(r.returncode == 1 and re.fullmatch(r"materials/project\.yaml:\d+:1: error: 'retention' is not set; coursepack "
                                          r"purge removes the personal data of visits past it\n  hint: add the period "
                                          r"the privacy notice promises, e\.g\. 'retention: 2 years'\n", r.stderr),
       f"purge without a retention: {r.stderr!r}")

shutil.rmtree(tmp)
sys.exit(checks.finish())
