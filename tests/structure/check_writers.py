#!/usr/bin/env python3
"""Only src/pack (and src/core's file primitives, which pack uses) create,
write, rename or remove files: every other stage hands bytes to pack/, and
keeps its caches through core/cache_store.h.

    check_writers.py SRC_DIR

prints one line per call of a raw writer elsewhere,
`src/STAGE/FILE:LINE: writes files outside src/pack: CALL`, and exits 1
when there is one. Run with no findings on src/, and on a made-up tree with
one call of each kind, which it must find (so the check can fail).
"""
import os
import re
import sys
import tempfile

import structure_check

ALLOWED = ("pack", "core")

# Calls that create, write, move or remove a file or folder. std::remove
# with iterators (the algorithm) is not one of them.
WRITERS = [
    r"\bofstream\b", r"\bstd::fstream\b", r"\bbasic_filebuf\b", r"\bfopen\s*\(", r"\bfreopen\s*\(",
    r"\bfwrite\s*\(", r"\bcreat\s*\(", r"\bO_CREAT\b", r"\bO_WRONLY\b", r"\bO_RDWR\b",
    r"(?:std::|::|fs::|filesystem::)rename\s*\(", r"\brenameat2?\s*\(",
    r"(?:fs::|filesystem::|(?<!\w)::)remove(?:_all)?\s*\(", r"\bstd::remove\s*\(\s*(?:\"|[a-z_]*path|[a-z_]*file)",
    r"\bunlink(?:at)?\s*\(", r"\brmdir\s*\(", r"\bmkdir(?:at)?\s*\(", r"\bmkstemp\s*\(", r"\bmkdtemp\s*\(",
    r"\bcreate_director(?:y|ies)\s*\(", r"\bcopy(?:_file)?\s*\((?=[^)]*(?:path|/))",
    r"\bpermissions\s*\(", r"\bchmod\s*\(", r"\bsymlink\s*\(", r"\btruncate\s*\(",
    r"\bwrite_private_file\s*\(", r"\bwrite_with_mode\s*\(", r"\bcreate_private_dirs\s*\(",
    r"\bsetOutputFilename\s*\(", r"\bHPDF_SaveToFile\s*\(",
]
PATTERN = re.compile("|".join(f"(?:{w})" for w in WRITERS))


def code_of(line):
    """The line without a // comment (string literals kept)."""
    out, quote, i = [], None, 0
    while i < len(line):
        c = line[i]
        if quote:
            out.append(c)
            if c == "\\" and i + 1 < len(line):
                out.append(line[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
            out.append(c)
        elif line.startswith("//", i):
            break
        else:
            out.append(c)
        i += 1
    return "".join(out)


def findings(src):
    found = []
    for stage in sorted(os.listdir(src)):
        folder = os.path.join(src, stage)
        if stage in ALLOWED or not os.path.isdir(folder):
            continue
        for base, _, names in sorted(os.walk(folder)):
            for name in sorted(names):
                if not name.endswith((".cpp", ".h", ".hpp", ".cc")):
                    continue
                path = os.path.join(base, name)
                in_block = False
                with open(path, encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        if in_block:
                            if "*/" not in line:
                                continue
                            line = line[line.index("*/") + 2:]
                            in_block = False
                        if "/*" in line and "*/" not in line[line.index("/*"):]:
                            line, in_block = line[: line.index("/*")], True
                        m = PATTERN.search(code_of(line))
                        if m:
                            rel = os.path.relpath(path, os.path.dirname(src))
                            found.append(f"{rel}:{number}: writes files outside src/pack: {m.group(0).strip()}")
    return found


def self_test():
    """Each kind of call is found in a made-up stage, none in comments,
    none in src/pack or src/core."""
    bad = [
        'std::ofstream out(path);', 'FILE* f = fopen(name, "w");', 'std::rename(a, b);', '::rename(a, b);',
        'fs::rename(a, b);', 'fs::remove(p, ec);', 'std::filesystem::remove_all(dir);', '::unlink(p.c_str());',
        'mkdir(dir, 0700);', 'fs::create_directories(dir, ec);', 'files::write_private_file(p, b, false);',
        'files::write_with_mode(p, b, 0600, true);', 'files::create_private_dirs(dir);',
        'int fd = ::open(p, O_WRONLY | O_CREAT, 0600);', 'fs::permissions(p, fs::perms::owner_all);',
        'std::remove("out.txt");', 'std::fstream f(p, std::ios::out);',
    ]
    fine = [
        'text.erase(std::remove(text.begin(), text.end(), 0), text.end());', '// fs::remove(p) is pack\'s job',
        'std::ifstream in(path, std::ios::binary);', 'store.remove(name);', 'cache->write(name, bytes, false);',
        'const char* s = "rename(";', '#include <fstream>',
    ]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        for stage in ("content", "pack", "core"):
            os.makedirs(os.path.join(src, stage))
            with open(os.path.join(src, stage, "bad.cpp"), "w") as f:
                f.write("\n".join(bad + fine) + "\n/*\nfs::remove(p);\n*/\n")
        got = findings(src)
    want = [f"src/content/bad.cpp:{i + 1}:" for i in range(len(bad))]
    prefixes = [g.split(" ", 1)[0] for g in got]
    if prefixes != want:
        print("self-test: expected one finding per raw writer on lines 1.." + str(len(bad)) + " of src/content only, got:")
        for g in got:
            print("  " + g)
        return False
    return True


if __name__ == "__main__":
    sys.exit(structure_check.run(
        self_test, findings,
        lambda n: f"{n} call(s) of a raw file writer outside src/pack and src/core: "
                  "hand the bytes to pack/ (pack/pack.h, pack/cache.h) instead",
        "only src/pack and src/core write files"))
