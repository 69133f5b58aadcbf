#!/usr/bin/env python3
"""End-to-end checks of `coursepack build` as a whole (issue 5).

    test_build.py COURSEPACK_BINARY REPO_ROOT

Copies the repository's materials/ and layouts/ into a temporary root (so the
test may change inputs) and checks, on the bundled data:

  no-op       a second build builds nothing, touches no file, starts no Pandoc
  one change  renaming one participant rebuilds only that visit's pack
  removal     deleting a visit removes its pack folder and says so
  jobs        --jobs 1 and --jobs 2 give byte-identical outputs, and so do
              a cold build and a --force build over cached texts
  failure     a failure injected while a pack is written (the test hook
              COURSEPACK_FAIL_AFTER_FILES) exits non-zero and leaves the old
              pack byte-for-byte intact; the next run cleans the leftovers
  permissions pack folders 0700 and files 0600 even with umask 000
  privacy     no pack holds a name registered only in another municipality

Pandoc runs through a wrapper (COURSEPACK_PANDOC) that logs every start.
Prints `N passed, N failed` last; exits non-zero on any failure.
Standard library only, plus pdftotext from poppler-utils.
"""
import concurrent.futures
import csv
import hashlib
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks  # noqa: E402

BIN, REPO = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
checks = Checks()
check = checks.check
SDE = "1680000000"


def build(root, out, *args, env_extra=None, umask=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH=SDE, COURSEPACK_PANDOC=PANDOC_WRAPPER)
    env.pop("COURSEPACK_FAIL_AFTER_FILES", None)
    env.pop("COURSEPACK_TIMINGS", None)
    env.update(env_extra or {})
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    r = subprocess.run([BIN, "build", "--root", root, "--out", out, *args], capture_output=True, text=True,
                       env=env, preexec_fn=preexec)
    return r


def summary(r):
    """(built, unchanged, removed) from the summary line, or None."""
    m = re.search(r"^(\d+) built, (\d+) unchanged, (\d+) removed, (\d+) pages, [\d.]+ s, \d+ warning\(s\)$",
                  r.stdout, re.M)
    return tuple(int(g) for g in m.groups()[:3]) if m else None


def snapshot(out, skip_cache=False):
    """{relative path: (mtime_ns, inode, sha256)} of every file under out/."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(out):
        rel_dir = os.path.relpath(dirpath, out)
        if skip_cache and rel_dir.split(os.sep)[0] == ".cache":
            continue
        for name in filenames:
            p = os.path.join(dirpath, name)
            st = os.stat(p)
            with open(p, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            files[os.path.relpath(p, out)] = (st.st_mtime_ns, st.st_ino, digest)
    return files


def packs(out):
    """Every pack folder as 'slug/visit'."""
    found = []
    for slug in sorted(os.listdir(out)):
        if slug.startswith(".") or not os.path.isdir(os.path.join(out, slug)):
            continue
        for visit in sorted(os.listdir(os.path.join(out, slug))):
            if os.path.isfile(os.path.join(out, slug, visit, "manifest.json")):
                found.append(f"{slug}/{visit}")
    return found


def pandoc_starts():
    if not os.path.exists(PANDOC_LOG):
        return 0
    with open(PANDOC_LOG) as f:
        return len(f.read().splitlines())


# --- reading participants from the inputs, roughly ------------------------

def read_csv_names(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    first = text.splitlines()[0] if text else ""
    delim = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    if not rows:
        return set()
    header = [h.strip().lower() for h in rows[0]]
    col = header.index("name") if "name" in header else header.index("namn")
    return {r[col].strip() for r in rows[1:] if len(r) > col and r[col].strip()}


def participant_names(root):
    """{slug: set of participant names} from inline lists and CSV files."""
    names = {}
    mdir = os.path.join(root, "materials", "municipalities")
    for fn in sorted(os.listdir(mdir)):
        if not fn.endswith(".yaml"):
            continue
        slug = fn[:-5]
        found = set()
        indent = None  # indentation of the `participants:` key while inside an inline list
        for line in open(os.path.join(mdir, fn), encoding="utf-8"):
            stripped = line.strip()
            here = len(line) - len(line.lstrip())
            if indent is not None and stripped and here <= indent and not stripped.startswith("- "):
                indent = None
            if indent is not None and stripped.startswith("- ") and here <= indent:
                indent = None
            m = re.match(r"^(\s*)participants:\s*(.*?)\s*$", line)
            if m:
                value = m.group(2).strip("\"'")
                if value:
                    found |= read_csv_names(os.path.join(root, "materials", value))
                else:
                    indent = len(m.group(1))
                continue
            if indent is not None:
                n = re.match(r"^\s*-?\s*name:\s*(.+?)\s*$", line)
                if n:
                    found.add(n.group(1).strip("\"'"))
        names[slug] = found
    return names


def pack_text(path):
    if path.endswith(".pdf"):
        r = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True)
        text = r.stdout
    else:
        text = open(path, encoding="utf-8", errors="replace").read()
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # hyphenated line ends joined
    return " ".join(text.split())


# --------------------------------------------------------------------------

tmp = tempfile.mkdtemp(prefix="coursepack-build-e2e-")
try:
    root = os.path.join(tmp, "root")
    for sub in ["materials", "layouts"]:
        shutil.copytree(os.path.join(REPO, sub), os.path.join(root, sub))
    PANDOC_LOG = os.path.join(tmp, "pandoc.log")
    PANDOC_WRAPPER = os.path.join(tmp, "pandoc-logged")
    real_pandoc = shutil.which("pandoc") or "pandoc"
    with open(PANDOC_WRAPPER, "w") as f:
        f.write(f'#!/bin/sh\necho "$$ $*" >> "{PANDOC_LOG}"\nexec "{real_pandoc}" "$@"\n')
    os.chmod(PANDOC_WRAPPER, 0o755)
    out = os.path.join(tmp, "out")
    registered = participant_names(root)
    check(sum(len(v) for v in registered.values()) > 100, "participant names read from the inputs")

    # Cold build, umask 000, two threads.
    r = build(root, out, "--jobs", "2", umask=0)
    if not check(r.returncode == 0, f"cold build exits 0 (got {r.returncode}): {r.stderr[-2000:]}"):
        raise SystemExit(1)
    all_packs = packs(out)
    visits = sum(len(re.findall(r"^  - date:", open(os.path.join(root, "materials", "municipalities", f),
                                                          encoding="utf-8").read(), re.M))
                 for f in os.listdir(os.path.join(root, "materials", "municipalities")))
    check(len(all_packs) == visits and visits > 0, f"one pack per visit ({len(all_packs)} packs, {visits} visits)")
    check(summary(r) == (visits, 0, 0), f"cold summary says {visits} built: {r.stdout.splitlines()[-1:]}")
    check(len(re.findall(r"^\[\d+/\d+\] \S+ built$", r.stdout, re.M)) == visits,
          "one plain progress line per pack when not a terminal")
    check(pandoc_starts() > 0, "the cold build ran Pandoc (through the logging wrapper)")
    check(os.path.isfile(os.path.join(out, "index.html")), "index.html written")

    # Permissions, although the umask was 000.
    bad = []
    for p in all_packs:
        for dirpath, dirnames, filenames in os.walk(os.path.join(out, p)):
            mode = stat.S_IMODE(os.stat(dirpath).st_mode)
            if mode != 0o700:
                bad.append(f"{os.path.relpath(dirpath, out)} {oct(mode)}")
            for name in filenames:
                mode = stat.S_IMODE(os.stat(os.path.join(dirpath, name)).st_mode)
                if mode != 0o600:
                    bad.append(f"{os.path.relpath(os.path.join(dirpath, name), out)} {oct(mode)}")
    for slug in {p.split("/")[0] for p in all_packs}:
        mode = stat.S_IMODE(os.stat(os.path.join(out, slug)).st_mode)
        if mode != 0o700:
            bad.append(f"{slug} {oct(mode)}")
    index_mode = stat.S_IMODE(os.stat(os.path.join(out, "index.html")).st_mode)
    if index_mode & 0o077:
        bad.append(f"index.html {oct(index_mode)}")
    check(not bad, f"pack folders 0700, files 0600 with umask 000: {bad[:10]}")

    # No-op rebuild: nothing built, no file touched, no Pandoc started.
    before = snapshot(out)
    open(PANDOC_LOG, "w").close()
    r = build(root, out, "--jobs", "2")
    check(r.returncode == 0, f"no-op build exits 0 (got {r.returncode}): {r.stderr[-2000:]}")
    check(summary(r) == (0, visits, 0), f"no-op summary '0 built, {visits} unchanged': {r.stdout.splitlines()[-1:]}")
    check(pandoc_starts() == 0, f"no-op build started no Pandoc process ({pandoc_starts()} started)")
    after = snapshot(out)
    check(before == after, "no-op build touched no file: " +
          str(sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))[:10]))
    check(not re.search(r"^\[\d+/\d+\]", r.stdout, re.M), "no-op build prints no per-pack line")

    # --quiet: only errors, so nothing at all here.
    r = build(root, out, "--quiet")
    check(r.returncode == 0 and r.stdout == "" and r.stderr == "", f"--quiet prints nothing: {r.stdout!r} {r.stderr!r}")

    # COURSEPACK_TIMINGS=1: the phases' wall and CPU times on stderr, nothing else changes.
    r = build(root, out, "--quiet", env_extra={"COURSEPACK_TIMINGS": "1"})
    phases = re.findall(r"^timing: (\S+(?: \S+)?) +\d+\.\d{3} s, cpu \d+\.\d{3} s$", r.stderr, re.M)
    check(r.returncode == 0 and r.stdout == "" and len(phases) == len(r.stderr.splitlines()),
          f"COURSEPACK_TIMINGS=1 prints only timing lines: {r.stderr!r}")
    check(phases[:1] == ["validate"] and phases[-1:] == ["finish"] and "packs+html" in phases,
          f"the timing lines name the phases: {phases}")

    # --jobs 1 gives the same bytes as --jobs 2 (same SOURCE_DATE_EPOCH).
    out1 = os.path.join(tmp, "out-jobs1")
    r = build(root, out1, "--jobs", "1")
    check(r.returncode == 0, f"--jobs 1 build exits 0 (got {r.returncode}): {r.stderr[-2000:]}")
    a = {k: v[2] for k, v in snapshot(out, skip_cache=True).items()}
    b = {k: v[2] for k, v in snapshot(out1, skip_cache=True).items()}
    check(set(a) == set(b), f"--jobs 1 and --jobs 2 write the same files: {sorted(set(a) ^ set(b))[:10]}")
    check(all(a[k] == b[k] for k in set(a) & set(b)),
          f"--jobs 1 and --jobs 2 byte-identical: {sorted(k for k in set(a) & set(b) if a[k] != b[k])[:10]}")
    # A cold build makes some documents while Pandoc reads the texts; with
    # the texts cached (--force) every document is made with its pack.
    r = build(root, out1, "--force")
    check(r.returncode == 0, f"--force build exits 0 (got {r.returncode}): {r.stderr[-2000:]}")
    c = {k: v[2] for k, v in snapshot(out1, skip_cache=True).items()}
    check(a == c, f"a cold and a --force build byte-identical: {sorted(k for k in set(a) | set(c) if a.get(k) != c.get(k))[:10]}")
    shutil.rmtree(out1)

    # One participant renamed in one CSV: only that visit's pack is rebuilt.
    eksjo = open(os.path.join(root, "materials", "municipalities", "eksjo.yaml"), encoding="utf-8").read()
    csv_rel = re.search(r"participants:\s*(participants/\S+\.csv)", eksjo).group(1)
    visit_date = re.search(r"(\d{4}-\d{2}-\d{2})", csv_rel).group(1)
    changed_pack = next(p for p in all_packs if p.startswith(f"eksjo/{visit_date}-"))
    csv_path = os.path.join(root, "materials", csv_rel)
    lines = open(csv_path, encoding="utf-8-sig").read().split("\n")
    old_name = lines[1].split(",")[0]
    new_name = "Zebulon Quistgaard"
    lines[1] = lines[1].replace(old_name, new_name, 1)
    open(csv_path, "w", encoding="utf-8").write("\n".join(lines))
    before = snapshot(out)
    open(PANDOC_LOG, "w").close()
    r = build(root, out, "--jobs", "2")
    check(r.returncode == 0, f"one-change build exits 0 (got {r.returncode}): {r.stderr[-2000:]}")
    check(summary(r) == (1, visits - 1, 0), f"one-change summary '1 built': {r.stdout.splitlines()[-1:]}")
    check(re.search(rf"^\[1/1\] {re.escape(changed_pack)} built$", r.stdout, re.M) is not None,
          f"one-change build names {changed_pack}: {r.stdout!r}")
    # No module changed, so no Pandoc at all: the texts and the handout.html
    # blocks come from the cache, and Pandoc's version is remembered for its
    # binary.
    check(pandoc_starts() == 0,
          f"one-change build started no Pandoc process: {open(PANDOC_LOG).read().splitlines()[:3]}")
    after = snapshot(out)
    touched = sorted(k for k in set(before) | set(after)
                     if before.get(k) != after.get(k) and not k.startswith(changed_pack + "/"))
    # The county-wide certificate register records the renamed participant.
    touched = [k for k in touched if k not in (".register.json", "register.csv")]
    check(touched in ([], ["index.html"]), f"only {changed_pack} (and index.html) touched: {touched[:10]}")
    check(any(before.get(k) != after.get(k) for k in after if k.startswith(changed_pack + "/")),
          f"{changed_pack} rewritten")
    texts = [pack_text(os.path.join(out, changed_pack, f)) for f in os.listdir(os.path.join(out, changed_pack))
             if f.endswith(".pdf")]
    # The attendance sheet and the certificates print every registered name.
    check(any(new_name in t for t in texts), f"the rebuilt pack prints the new name '{new_name}'")
    check(not any(old_name in t for t in texts), f"the rebuilt pack no longer prints the old name '{old_name}'")

    # Failure injected while writing a pack: exit non-zero, old pack intact.
    target = os.path.join(out, changed_pack)
    before = snapshot(target)
    r = build(root, out, "--force", "--only", "eksjo", env_extra={"COURSEPACK_FAIL_AFTER_FILES": "1"})
    check(r.returncode != 0, f"injected failure exits non-zero (got {r.returncode})")
    check("injected failure" in r.stderr, f"injected failure reported: {r.stderr[-500:]!r}")
    after = snapshot(target)
    check(before == after, "old pack byte-for-byte intact after the injected failure: " +
          str(sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))[:10]))
    check(all(os.path.isfile(os.path.join(out, p, "manifest.json")) for p in packs(out)) and
          len(packs(out)) == visits, "every pack still complete after the injected failure")
    r = build(root, out, "--only", "eksjo")
    check(r.returncode == 0 and summary(r) == (0, 2, 0) if summary(r) else False,
          f"after the failure the old eksjo packs are still current: {r.stdout.splitlines()[-1:]}")
    r = build(root, out, "--force", "--only", "eksjo")
    leftovers = [os.path.join(d, n) for d, dn, fn in os.walk(out) for n in dn + fn if n.startswith(".tmp-")]
    check(r.returncode == 0 and not leftovers, f"the next run cleans temporary folders: {leftovers[:5]}")

    # Pandoc failing on handout.html, which it converts while the PDFs are
    # made: one error, exit 3, no pack written.
    failing = os.path.join(tmp, "pandoc-no-html")
    with open(failing, "w") as f:
        f.write(f'#!/bin/sh\ncase "$*" in *html5*) echo "pandoc: cannot write HTML" >&2; exit 1;; esac\n'
                f'exec "{real_pandoc}" "$@"\n')
    os.chmod(failing, 0o755)
    out_fail = os.path.join(tmp, "out-html-fails")
    r = build(root, out_fail, "--only", "eksjo", env_extra={"COURSEPACK_PANDOC": failing})
    html_errors = [l for l in r.stderr.splitlines() if "handout.html" in l]
    check(r.returncode == 3 and len(html_errors) == 1 and html_errors[0].startswith("coursepack: error: handout.html: "),
          f"Pandoc failing on handout.html: exit 3, one error ({r.returncode}): {r.stderr[-800:]!r}")
    written = [os.path.join(d, n) for d, dn, fn in os.walk(out_fail) for n in fn
               if ".cache" not in d and n not in ("index.html",)]
    check(not packs(out_fail) and not [w for w in written if ".tmp-" in w or w.endswith(".pdf")],
          f"no pack and no temporary folder left when handout.html fails: {written[:5]}")

    # A module Pandoc cannot read stops a cold build with exit 1 and writes
    # no pack, although the packs' other documents are started meanwhile.
    broken = os.path.join(tmp, "root-broken")
    for sub in ["materials", "layouts"]:
        shutil.copytree(os.path.join(root, sub), os.path.join(broken, sub))
    module = sorted(os.listdir(os.path.join(broken, "materials", "modules")))[-1]
    with open(os.path.join(broken, "materials", "modules", module), "a", encoding="utf-8") as f:
        f.write("\n---\ntitle: [unclosed\n---\n")
    out_broken = os.path.join(tmp, "out-broken")
    r = build(broken, out_broken)
    check(r.returncode == 1 and module in r.stderr,
          f"a module Pandoc cannot read: exit 1 naming it ({r.returncode}): {r.stderr[-800:]!r}")
    left = [os.path.join(d, n) for d, dn, fn in os.walk(out_broken) for n in dn + fn
            if ".cache" not in d and n != ".cache" and not n.startswith(".lock")]
    check(not packs(out_broken) and not [x for x in left if ".tmp-" in x or x.endswith(".pdf")],
          f"nothing written for a module Pandoc cannot read: {left[:5]}")

    # Removal: the last visit of one municipality deleted from its file.
    mfile = os.path.join(root, "materials", "municipalities", "habo.yaml")
    text = open(mfile, encoding="utf-8").read()
    starts = [m.start() for m in re.finditer(r"^  - date: ", text, re.M)]
    last = starts[-1]
    end = re.search(r"^\S", text[last:], re.M)
    gone_date = re.match(r"  - date: (\S+)", text[last:]).group(1)
    text = text[:last] + (text[last + end.start():] if end else "")
    open(mfile, "w", encoding="utf-8").write(text)
    gone = next(p for p in all_packs if p.startswith(f"habo/{gone_date}-"))
    habo_left = len([p for p in all_packs if p.startswith("habo/")]) - 1
    before = snapshot(out)
    r = build(root, out, "--jobs", "2")
    check(r.returncode == 0, f"removal build exits 0 (got {r.returncode}): {r.stderr[-2000:]}")
    # habo.yaml is an input of habo's other visits too, so they may be rebuilt.
    s = summary(r)
    check(s is not None and s[2] == 1 and s[0] <= habo_left and s[0] + s[1] == visits - 1,
          f"removal summary '1 removed', at most habo rebuilt: {r.stdout.splitlines()[-1:]}")
    after = snapshot(out)
    touched = sorted(k for k in set(before) | set(after)
                     if before.get(k) != after.get(k) and not k.startswith("habo/")
                     and k not in ("index.html", ".register.json", "register.csv", "calendar.ics"))
    check(not touched, f"removal touched no other municipality's pack: {touched[:10]}")
    check(not os.path.exists(os.path.join(out, gone)), f"{gone} removed from out/")
    check(gone.replace("/", "-") + "@coursepack" not in open(os.path.join(out, "calendar.ics"), encoding="utf-8").read(),
          f"{gone} is no longer in calendar.ics")
    check(f"removed {gone}" in r.stdout, f"removal of {gone} reported: {r.stdout!r}")
    check(gone not in open(os.path.join(out, "index.html"), encoding="utf-8").read().replace("%2F", "/"),
          "index.html no longer links the removed pack")

    # Privacy: no pack holds a name registered only in another municipality.
    registered = participant_names(root)
    jobs = []
    for p in packs(out):
        slug = p.split("/")[0]
        for dirpath, dirnames, filenames in os.walk(os.path.join(out, p)):
            for name in filenames:
                # print.pdf and the booklet are the pack's own pages again
                # (e2e_print checks them page by page against the parts).
                if name in ("print.pdf", "handout-booklet.pdf"):
                    continue
                if name.endswith((".pdf", ".html", ".csv", ".ics")):
                    jobs.append((slug, os.path.join(dirpath, name)))
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        texts = list(pool.map(lambda j: pack_text(j[1]), jobs))
    # Whole names only: "Klara Ståhl" is not in "Klara Ståhl-Jakobsson".
    patterns = {}
    for slug in registered:
        others = set().union(*(v for k, v in registered.items() if k != slug)) - registered[slug]
        patterns[slug] = [(n, re.compile(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])")) for n in sorted(others)]
    leaks = []
    own_seen = 0
    for (slug, path), text in zip(jobs, texts):
        own_seen += any(n in text for n in registered.get(slug, ()))
        # The pack's own participants blanked out first (longest first), so
        # "Klara Ståhl" elsewhere is not found inside "Klara Ståhl Jakobsson" here.
        for own in sorted(registered.get(slug, ()), key=len, reverse=True):
            text = text.replace(own, " ")
        for name, pattern in patterns.get(slug, []):
            if pattern.search(text):
                leaks.append(f"{os.path.relpath(path, out)}: {name}")
    has_names = any(os.path.basename(path).startswith(("attendance", "certificates")) for _, path in jobs)
    if has_names:
        check(own_seen > 0, "packs hold their own participants' names (the scan sees names at all)")
    else:
        print("NOTE: no attendance sheets or certificates in the packs yet; the privacy scan saw only handouts")
    check(not leaks, f"no pack holds another municipality's participant ({len(jobs)} files scanned): {leaks[:10]}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(checks.finish())
