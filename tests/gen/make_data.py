#!/usr/bin/env python3
"""Writes a synthetic coursepack project for timing `coursepack check`.

    make_data.py --scale N --out DIR

Copies materials/courses, materials/modules, materials/project.yaml and
layouts/ from this repository, then writes the county's 13 municipalities
with 2 x N visits each (N times the county's yearly activity: at N = 100,
2 600 visits, as many as 1 300 municipalities with two visits each) and
about 25 participants per visit: every other visit inline, the others from a
CSV file (UTF-8, UTF-8 with BOM, or Windows-1252 with `;`, as Excel in a
Swedish locale writes it). Deterministic for a given scale. Standard library
only.

The number of municipalities stays 13 because a handout lists the contact
persons of every municipality in the county: a synthetic county of 1 300
municipalities would give every handout a 50-page contact list, which no
county has. Growing the visits grows the work linearly, as a busier county
would.
"""

import argparse
import datetime
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

TOWNS = ["Aneby", "Eksjö", "Gislaved", "Gnosjö", "Habo", "Jönköping", "Mullsjö",
         "Nässjö", "Sävsjö", "Tranås", "Vaggeryd", "Vetlanda", "Värnamo"]

# First and last names as a Swedish social services office has them. The
# Windows-1252 files only draw on the names that encoding can hold.
FIRST = ["Anna", "Åsa", "Björn", "Cecilia", "Daniel", "Elin", "Fredrik", "Göran", "Hanna",
         "Ida", "Johan", "Karin", "Lars-Göran", "Maja", "Niklas", "Olof", "Päivi", "Satu",
         "Katarzyna", "Mehmet", "Ayşe", "Fatima", "Nguyễn", "Γιώργος", "Zeynep", "Ahmad"]
LAST = ["Andersson", "Öberg", "Åkesson", "Lindström", "Nyström", "Ek", "Sjöholm",
        "Korhonen", "Wójcik", "Yılmaz", "Al-Hassan", "Trần", "Παπαδόπουλος", "Heikkinen"]
TITLES = ["Socialsekreterare", "Enhetschef", "Biståndshandläggare", "Familjebehandlare",
          "Fältassistent", "Metodutvecklare"]
UNITS = ["Barn och familj", "Vuxenenheten", "Försörjningsstöd", "Mottagningsenheten",
         "Socialpsykiatri"]


def encodable(text, encoding):
    try:
        text.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def person(rng, taken, encoding="utf-8"):
    """A participant dict with a name not yet used in this visit."""
    first = [n for n in FIRST if encodable(n, encoding)]
    last = [n for n in LAST if encodable(n, encoding)]
    while True:
        name = f"{rng.choice(first)} {rng.choice(last)}"
        if name.lower() not in taken:
            taken.add(name.lower())
            break
    email = "".join(c for c in name.lower().replace(" ", ".") if c.isascii()) + "@example.se"
    return {"name": name, "title": rng.choice(TITLES), "unit": rng.choice(UNITS),
            "email": email, "attended": rng.random() < 0.9}  # drawn, not written: every visit is planned


def yaml_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def inline_participants(people):
    lines = ["    participants:"]
    for p in people:
        lines += [f"      - name: {yaml_quote(p['name'])}",
                  f"        title: {p['title']}",
                  f"        unit: {p['unit']}",
                  f"        email: {p['email']}"]
    return lines


def write_csv(path, people, style):
    """style 0: UTF-8 `,`; 1: UTF-8 with BOM `,`; 2: Windows-1252 `;`, CRLF."""
    if style == 2:
        header = "namn;befattning;enhet;e-post"
        rows = [f"{p['name']};{p['title']};{p['unit']};{p['email']}"
                for p in people]
        path.write_bytes(("\r\n".join([header] + rows) + "\r\n").encode("cp1252"))
        return
    header = "name,title,unit,email"
    rows = [f"\"{p['name']}\",{p['title']},\"{p['unit']}\",{p['email']}"
            for p in people]
    text = "\n".join([header] + rows) + "\n"
    path.write_text(("\ufeff" if style == 1 else "") + text, encoding="utf-8")


def visit_dates(rng, count):
    """count distinct dates from 2023 on, sorted; a visit's key is its date."""
    first = datetime.date(2023, 1, 2)
    span = max(300, 2 * count)
    return [(first + datetime.timedelta(days=d)).isoformat() for d in sorted(rng.sample(range(span), count))]


def write_municipality(out, index, course, visits, rng):
    town = TOWNS[index]
    slug = town.lower().translate(str.maketrans("åäö", "aao"))
    code = f"{1000 + index:04d}"
    dates = visit_dates(rng, visits)
    lines = [f"name: {town}", f'code: "{code}"', "population: 12000",
             "contacts:", f"  - name: Kontakt {index}", "    role: Samordnare",
             "guideline: {status: draft}", "visits:"]
    for n, date in enumerate(dates):
        lines += [f"  - date: {date}", '    start: "09:00"', '    end: "12:30"',
                  "    venue: Stadshuset", f"    address: Storgatan 1, {town}",
                  f"    course: {course}", "    trainers: [Annika Hedlund]", "    seats: 40",
                  "    status: planned"]
        style = index % 3
        encoding = "cp1252" if style == 2 and n % 2 == 1 else "utf-8"
        taken = set()
        people = [person(rng, taken, encoding) for _ in range(20 + rng.randrange(11))]
        if n % 2 == 0:
            lines += inline_participants(people)
        else:
            csv = f"participants/{slug}-{date}.csv"
            write_csv(out / "materials" / csv, people, style)
            lines.append(f"    participants: {csv}")
    (out / "materials" / "municipalities" / f"{slug}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def copy_sources(out):
    for rel in ["materials/courses", "materials/modules", "layouts"]:
        if (REPO / rel).is_dir():
            shutil.copytree(REPO / rel, out / rel, dirs_exist_ok=True)
    if (REPO / "materials/project.yaml").is_file():
        shutil.copy(REPO / "materials/project.yaml", out / "materials/project.yaml")
    else:
        (out / "materials/project.yaml").write_text("title: Syntetiskt program\norganisation: Region\n",
                                                    encoding="utf-8")
    courses = sorted((out / "materials/courses").glob("*.yaml"))
    if courses:
        return courses[0].stem
    (out / "materials/modules/01.md").write_text("# Modul\n\nText för {{municipality.name}}.\n",
                                                 encoding="utf-8")
    (out / "materials/courses/kurs.yaml").write_text("title: Kurs\nhours: 3\nmodules: [modules/01.md]\n",
                                                     encoding="utf-8")
    return "kurs"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="visits = 26 x SCALE (at most 1000)")
    parser.add_argument("--out", type=Path, required=True, help="the project folder to write")
    args = parser.parse_args()
    if not 1 <= args.scale <= 1000:
        parser.error("--scale must be between 1 and 1000")
    out = args.out
    for sub in ["materials/courses", "materials/modules", "materials/municipalities",
                "materials/participants", "layouts"]:
        (out / sub).mkdir(parents=True, exist_ok=True)
    course = copy_sources(out)
    rng = random.Random(20230314 + args.scale)
    for index in range(len(TOWNS)):
        write_municipality(out, index, course, 2 * args.scale, rng)
    print(f"wrote {len(TOWNS)} municipalities with {2 * args.scale} visits each to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
