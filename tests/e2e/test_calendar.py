#!/usr/bin/env python3
"""Calendar entries, end to end, read with a real iCalendar parser
(Debian's python3-icalendar).

Builds three municipalities of the bundled data and checks every pack's
visit.ics and out/calendar.ics: they parse; each visit is one VEVENT whose
DTSTART/DTEND are the visit's times in Europe/Stockholm (through the file's
own VTIMEZONE, in winter and in summer time); LOCATION holds the venue and
address, DESCRIPTION the course and the trainers; content lines are at most
75 octets and end in CRLF; no participant's name or e-mail address is in
them; the files are private. A rebuild gives the same bytes, and a visit
moved to another room keeps its UID. A real calendar program (Debian's
khal) imports calendar.ics and lists every visit at its Swedish time, and
takes the cancelled visit's updated entry as cancelled.

Usage: test_calendar.py COURSEPACK ROOT
"""
import csv
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import zoneinfo

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, project_copy, require_tool  # noqa: E402

try:
    import icalendar
    import yaml
except ImportError as e:
    raise SystemExit(f"FAIL: {e}: this test needs Debian's python3-icalendar and python3-yaml")

BIN, SRC = sys.argv[1], sys.argv[2]
KEEP = ["aneby", "eksjo", "jonkoping"]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1686650000")
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
checks = Checks()
result = checks.check

tmp = tempfile.mkdtemp(prefix="coursepack-calendar-")
root, out, mdir = project_copy(SRC, tmp, KEEP)


def build(*extra):
    p = subprocess.run([BIN, "build", "--root", root, "--out", out, "-q", *extra], env=ENV, capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr[-2000:]


def load(path):
    # BaseLoader: every scalar as written ("13:00" stays a string).
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=yaml.BaseLoader)


courses = {f[:-5]: load(os.path.join(root, "materials", "courses", f))
           for f in os.listdir(os.path.join(root, "materials", "courses")) if f.endswith(".yaml")}
visits = {}  # uid → (municipality, visit)
for slug in KEEP:
    m = load(os.path.join(mdir, slug + ".yaml"))
    for v in m["visits"]:
        visits[f"{slug}-{v['date']}-{v['course']}@coursepack"] = (slug, m, v)

build()

# Everyone whose name or address must not be in a calendar.
people = []
with open(os.path.join(out, "register.csv"), encoding="utf-8-sig", newline="") as f:
    for row in csv.DictReader(f, dialect="excel", delimiter=";"):
        people.append(row["Namn"])
for slug, m, v in visits.values():
    pack = os.path.join(out, slug, f"{v['date']}-{v['course']}")
    with open(os.path.join(pack, "certificates.csv"), encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f, dialect="excel", delimiter=";"):
            people += [x for x in (row.get("Namn"), row.get("E-post")) if x]
result(len(people) > 50, f"participants found to look for ({len(people)})")


def check_file(path, expected_uids):
    raw = open(path, "rb").read()
    name = os.path.relpath(path, out)
    result(oct(os.stat(path).st_mode & 0o777) == "0o600", f"{name} is private")
    result(raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), f"{name}: every line ends with CRLF")
    lines = raw.split(b"\r\n")[:-1]
    result(all(len(l) <= 75 for l in lines), f"{name}: no line longer than 75 octets")
    result(any(l.startswith(b" ") for l in lines) or all(len(l) < 75 for l in lines),
           f"{name}: long lines are folded")
    text = raw.decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    for who in people:
        if who in unfolded:
            result(False, f"{name}: a participant's name or address is in the calendar: {who}")
            break
    cal = icalendar.Calendar.from_ical(raw)
    result(cal["VERSION"] == "2.0" and "PRODID" in cal, f"{name}: VERSION and PRODID")
    zones = cal.walk("VTIMEZONE")
    result(len(zones) == 1 and str(zones[0]["TZID"]) == "Europe/Stockholm", f"{name}: one VTIMEZONE Europe/Stockholm")
    # The file's own time-zone rules, as a calendar program applies them.
    tz = zones[0].to_tz()
    for when, offset in ((datetime.datetime(2023, 1, 15, 12), 1), (datetime.datetime(2023, 7, 15, 12), 2),
                         (datetime.datetime(2026, 3, 29, 3), 2), (datetime.datetime(2026, 10, 25, 4), 1)):
        got = tz.utcoffset(when) if hasattr(tz, "utcoffset") else None
        if hasattr(tz, "localize"):
            got = tz.localize(when).utcoffset()
        result(got == datetime.timedelta(hours=offset), f"{name}: VTIMEZONE gives UTC+{offset} on {when}: {got}")
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    result(uids == expected_uids, f"{name}: the visits' UIDs in order: {uids}")
    for e in events:
        uid = str(e["UID"])
        if uid not in visits:
            continue
        slug, m, v = visits[uid]
        what = f"{name} {uid}"
        date = datetime.date.fromisoformat(v["date"])
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        sh, sm = map(int, v["start"].split(":"))
        eh, em = map(int, v["end"].split(":"))
        want_start = datetime.datetime(date.year, date.month, date.day, sh, sm, tzinfo=STOCKHOLM)
        want_end = datetime.datetime(date.year, date.month, date.day, eh, em, tzinfo=STOCKHOLM)
        result(e["DTSTART"].params.get("TZID") == "Europe/Stockholm", f"{what}: DTSTART has TZID=Europe/Stockholm")
        result(start == want_start and end == want_end,
               f"{what}: {start}–{end} is {want_start}–{want_end} in Europe/Stockholm")
        result(start.utcoffset() == want_start.utcoffset(), f"{what}: UTC offset {start.utcoffset()}")
        location = str(e["LOCATION"])
        result(v["venue"] in location and v["address"] in location, f"{what}: venue and address in LOCATION: {location}")
        description = str(e["DESCRIPTION"])
        result(courses[v["course"]]["title"] in description, f"{what}: the course in DESCRIPTION")
        result(all(t in description for t in v["trainers"]), f"{what}: the trainers in DESCRIPTION: {description}")
        result(str(e["STATUS"]) == "CONFIRMED", f"{what}: STATUS")
        result(e.decoded("DTSTAMP") == datetime.datetime(2023, 6, 13, 9, 53, 20, tzinfo=datetime.timezone.utc),
               f"{what}: DTSTAMP from SOURCE_DATE_EPOCH: {e.decoded('DTSTAMP')}")


order = sorted(visits, key=lambda u: (visits[u][2]["date"], visits[u][0], visits[u][2]["course"]))
check_file(os.path.join(out, "calendar.ics"), order)
for uid, (slug, m, v) in visits.items():
    check_file(os.path.join(out, slug, f"{v['date']}-{v['course']}", "visit.ics"), [uid])

# A calendar program: khal, with a calendar of its own in a private HOME.
# Its clock zone (TZ) is UTC, its display zone Europe/Stockholm: the times
# it lists come from the file's TZID and VTIMEZONE, not from the machine.
KHAL = require_tool("khal")
khal_home = os.path.join(tmp, "khal")
os.makedirs(os.path.join(khal_home, "calendar"))
with open(os.path.join(khal_home, "config"), "w", encoding="utf-8") as f:
    f.write(f"""[calendars]
[[kurser]]
path = {khal_home}/calendar
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Stockholm
default_timezone = Europe/Stockholm
""")


def khal(*args):
    p = subprocess.run(["khal", "-c", os.path.join(khal_home, "config"), *args], capture_output=True, text=True,
                       env=dict(os.environ, HOME=khal_home, TZ="UTC", LC_ALL="C.UTF-8"))
    result(p.returncode == 0, f"khal {args[0]}: exit {p.returncode} {p.stderr[-500:]}")
    return p.stdout


def khal_events():
    listed = khal("list", "--day-format", "", "--format", "{cancelled}{start}|{end}|{title}|{location}",
                  "2000-01-01", "10000d")
    return [line.split("|") for line in listed.splitlines() if line.strip()]


if KHAL:
    khal("import", "--batch", "-a", "kurser", os.path.join(out, "calendar.ics"))
    listed = khal_events()
    result(len(listed) == len(visits), f"khal lists every visit ({len(listed)} of {len(visits)})")
    expected = []
    for uid in order:
        slug, m, v = visits[uid]
        expected.append([f"{v['date']} {v['start']}", f"{v['date']} {v['end']}", v["venue"], v["address"]])
    for got, want in zip(listed, expected):
        result(got[0] == want[0] and got[1] == want[1], f"khal: {got[0]}–{got[1]} is {want[0]}–{want[1]}")
        result(want[2] in got[3] and want[3] in got[3], f"khal: the venue and address at {want[0]}: {got[3]}")
    titles = [got[2] for got in listed]
    result(all(courses[visits[u][2]["course"]]["title"] in t for u, t in zip(order, titles)),
           f"khal: each event's title names its course: {titles[:1]}")


def snapshot():
    r = {}
    for dirpath, _, files in os.walk(out):
        for f in files:
            if f.endswith(".ics"):
                p = os.path.join(dirpath, f)
                r[os.path.relpath(p, out)] = open(p, "rb").read()
    return r


before = snapshot()
result(len(before) == len(visits) + 1, f"a visit.ics per pack and calendar.ics ({len(before)} files)")
build("--force")
result(snapshot() == before, "a forced rebuild writes the same calendar bytes")

# The Eksjö visit moves to another room: the same event, updated.
eksjo = os.path.join(mdir, "eksjo.yaml")
text = open(eksjo, encoding="utf-8").read()
first = load(eksjo)["visits"][0]
uid = f"eksjo-{first['date']}-{first['course']}@coursepack"
open(eksjo, "w", encoding="utf-8").write(text.replace(first["venue"], "Nya salen; plan 2", 1))
build()
cal = icalendar.Calendar.from_ical(open(os.path.join(out, "calendar.ics"), "rb").read())
moved = [e for e in cal.walk("VEVENT") if str(e["UID"]) == uid]
result(len(moved) == 1 and str(moved[0]["LOCATION"]).startswith("Nya salen; plan 2"),
       f"a visit moved to another room keeps its UID {uid}, with the new LOCATION")
result([str(e["UID"]) for e in cal.walk("VEVENT")] == order, "every UID is the same after the change")

# The planned Aneby visit is cancelled: its entry says so (a newer
# SEQUENCE, so a calendar that imported it updates it), and its pack keeps
# only the calendar entry: nothing to print, no certificates.
aneby = os.path.join(mdir, "aneby.yaml")
cancelled = [v for v in load(aneby)["visits"] if v["status"] == "planned"][0]
cancelled_uid = f"aneby-{cancelled['date']}-{cancelled['course']}@coursepack"
text = open(aneby, encoding="utf-8").read()
open(aneby, "w", encoding="utf-8").write(text.replace("    status: planned\n", "    status: cancelled\n", 1))
pack = os.path.join(out, "aneby", f"{cancelled['date']}-{cancelled['course']}")
certified_before = os.listdir(os.path.join(pack, "certificates"))
result(len(certified_before) > 0, f"the planned visit had certificates ({len(certified_before)})")
build()
for path in (os.path.join(pack, "visit.ics"), os.path.join(out, "calendar.ics")):
    cal = icalendar.Calendar.from_ical(open(path, "rb").read())
    for e in cal.walk("VEVENT"):
        is_cancelled = str(e["UID"]) == cancelled_uid
        result(str(e["STATUS"]) == ("CANCELLED" if is_cancelled else "CONFIRMED"),
               f"{os.path.relpath(path, out)} {e['UID']}: STATUS {e['STATUS']}")
        if is_cancelled:
            result(int(e.get("SEQUENCE", 0)) == 1 and str(e["SUMMARY"]).startswith("Inställd: "),
                   f"the cancelled entry has SEQUENCE 1 and says so in its summary: {e.get('SEQUENCE')} {e['SUMMARY']}")
    result(cancelled_uid in [str(e["UID"]) for e in cal.walk("VEVENT")], f"{path}: the cancelled visit is listed")
if KHAL:
    # The cancelled visit's own entry, imported over the one khal has.
    khal("import", "--batch", "-a", "kurser", os.path.join(pack, "visit.ics"))
    listed = khal_events()
    flagged = [got for got in listed if got[0].startswith("CANCELLED")]
    result(len(listed) == len(visits) and len(flagged) == 1 and cancelled["date"] in flagged[0][0]
           and flagged[0][2].startswith("Inställd: "),
           f"khal takes the updated entry: one event, cancelled: {flagged}")
result(sorted(os.listdir(pack)) == ["manifest.json", "visit.ics"],
       f"a cancelled visit's pack holds its calendar entry only: {sorted(os.listdir(pack))}")
with open(os.path.join(pack, "manifest.json"), encoding="utf-8") as f:
    import json
    manifest = json.load(f)
result(manifest["status"] == "cancelled" and manifest["certificates"] == 0,
       f"its manifest says cancelled and no certificates: {manifest['status']} {manifest['certificates']}")
with open(os.path.join(out, "register.csv"), encoding="utf-8-sig", newline="") as f:
    rows = [r for r in csv.DictReader(f, dialect="excel", delimiter=";")]
mine = [r for r in rows if r["Datum"] == cancelled["date"] and r["Kommun"].startswith("Aneby")]
result(len(mine) == len(certified_before) and all(r["Status"] == "återkallat" for r in mine),
       f"the certificates planned for it are revoked in register.csv: {[r['Status'] for r in mine][:3]}")
index = open(os.path.join(out, "index.html"), encoding="utf-8").read()
result(f"<td class=\"d\">{cancelled['date']}</td>" in index and "<td>inställd</td>" in index,
       "index.html lists the visit as cancelled (inställd)")

shutil.rmtree(tmp)
sys.exit(checks.finish())
