#!/usr/bin/env python3
"""Writes a synthetic coursepack project for timing `coursepack check`.

    make_data.py --scale N --out DIR

Copies materials/courses, materials/modules, materials/project.yaml and
layouts/ from this repository, then writes N x 13 municipalities, each with
two visits and about 25 participants per visit: the first visit inline, the
second from a CSV file (UTF-8, UTF-8 with BOM, or Windows-1252 with `;`, as
Excel in a Swedish locale writes it). Deterministic for a given scale.
Standard library only.
"""

import argparse
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
            "email": email, "attended": rng.random() < 0.9}


def yaml_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def inline_participants(people):
    lines = ["    participants:"]
    for p in people:
        lines += [f"      - name: {yaml_quote(p['name'])}",
                  f"        title: {p['title']}",
                  f"        unit: {p['unit']}",
                  f"        email: {p['email']}",
                  f"        attended: {'true' if p['attended'] else 'false'}"]
    return lines


def write_csv(path, people, style):
    """style 0: UTF-8 `,`; 1: UTF-8 with BOM `,`; 2: Windows-1252 `;`, CRLF."""
    if style == 2:
        header = "namn;befattning;enhet;e-post;närvarande"
        rows = [f"{p['name']};{p['title']};{p['unit']};{p['email']};{'ja' if p['attended'] else 'nej'}"
                for p in people]
        path.write_bytes(("\r\n".join([header] + rows) + "\r\n").encode("cp1252"))
        return
    header = "name,title,unit,email,attended"
    rows = [f"\"{p['name']}\",{p['title']},\"{p['unit']}\",{p['email']},{str(p['attended']).lower()}"
            for p in people]
    text = "\n".join([header] + rows) + "\n"
    path.write_text(("\ufeff" if style == 1 else "") + text, encoding="utf-8")


def visit_date(rng, index):
    month = 2 + (index * 5 + rng.randrange(4)) % 10
    return f"2023-{month:02d}-{1 + rng.randrange(28):02d}"


def write_municipality(out, index, course, rng):
    town = TOWNS[index % len(TOWNS)]
    slug = f"{index:05d}-" + town.lower().translate(str.maketrans("åäö", "aao"))
    code = f"{1000 + index:04d}"  # unique 4-digit codes: at most 9000 municipalities
    dates = sorted({visit_date(rng, index), visit_date(rng, index + 1)})
    if len(dates) == 1:
        dates.append("2023-12-15")
    lines = [f"name: {town} kommun {index}", f'code: "{code}"', "population: 12000",
             "contacts:", f"  - name: Kontakt {index}", "    role: Samordnare",
             "guideline: {status: draft}", "visits:"]
    for n, date in enumerate(dates):
        lines += [f"  - date: {date}", '    start: "09:00"', '    end: "12:30"',
                  "    venue: Stadshuset", f"    address: Storgatan 1, {town}",
                  f"    course: {course}", "    trainers: [Annika Hedlund]", "    seats: 40",
                  "    status: planned"]
        style = index % 3
        encoding = "cp1252" if style == 2 and n == 1 else "utf-8"
        taken = set()
        people = [person(rng, taken, encoding) for _ in range(20 + rng.randrange(11))]
        if n == 0:
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
    parser.add_argument("--scale", type=int, default=1, help="municipalities = 13 x SCALE (at most 692)")
    parser.add_argument("--out", type=Path, required=True, help="the project folder to write")
    args = parser.parse_args()
    if not 1 <= args.scale <= 692:
        parser.error("--scale must be between 1 and 692 (municipality codes have 4 digits)")
    out = args.out
    for sub in ["materials/courses", "materials/modules", "materials/municipalities",
                "materials/participants", "layouts"]:
        (out / sub).mkdir(parents=True, exist_ok=True)
    course = copy_sources(out)
    rng = random.Random(20230314 + args.scale)
    for index in range(13 * args.scale):
        write_municipality(out, index, course, rng)
    print(f"wrote {13 * args.scale} municipalities to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
