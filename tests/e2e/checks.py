"""Pass/fail bookkeeping shared by the end-to-end scripts.

    checks = Checks()
    checks.check(cond, "what was expected")   # prints FAIL: … when cond is false
    sys.exit(checks.finish())                 # prints "N passed, N failed"; 1 on any failure
"""
import os
import shutil


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", what, flush=True)
        return cond

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return 1 if self.failed else 0


def requirements():
    """The rows of tests/support/requirements.tsv: (kind, name, Debian package)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support", "requirements.tsv")
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                kind, name, package = line.split("\t")
                rows.append((kind, name, package))
    return rows


def require_tool(program):
    """True when `program` is on PATH. When it is not: a failure under
    COURSEPACK_REQUIRE_TEST_TOOLS (set by `make test`), else a warning; the
    message names the Debian package from requirements.tsv."""
    packages = {name: package for kind, name, package in requirements() if kind == "tool"}
    if program not in packages:
        raise SystemExit(f"tests/support/requirements.tsv has no row for tool '{program}'")
    if shutil.which(program):
        return True
    message = f"the program '{program}' is missing (Debian package {packages[program]})"
    if os.environ.get("COURSEPACK_REQUIRE_TEST_TOOLS"):
        raise SystemExit(f"FAIL: {message}; `make test` installs it")
    print(f"warning: {message}: this test is skipped", flush=True)
    return False


def project_copy(src, tmp, keep):
    """A copy of the project's materials/ and layouts/ under tmp/root with
    only the municipalities named in `keep` (slugs). Returns (root, out,
    the copy's municipalities folder); out is tmp/out, not yet made."""
    import shutil as _shutil
    root, out = os.path.join(tmp, "root"), os.path.join(tmp, "out")
    os.makedirs(root)
    for d in ("materials", "layouts"):
        _shutil.copytree(os.path.join(src, d), os.path.join(root, d))
    mdir = os.path.join(root, "materials", "municipalities")
    for f in os.listdir(mdir):
        if f[:-5] not in keep:
            os.remove(os.path.join(mdir, f))
    return root, out, mdir


def output_file(pack_dir, entry):
    """The file (relative to the pack) of one entry of a manifest's outputs:
    its "file", or for a certificate listed by number, the file of
    certificates/ named with that number (NN-name.pdf); None when there is
    none."""
    if "file" in entry:
        return entry["file"]
    folder = os.path.join(pack_dir, "certificates")
    number = entry["certificate"]
    names = sorted(n for n in os.listdir(folder) if n.split("-", 1)[0].isdigit() and int(n.split("-", 1)[0]) == number) \
        if os.path.isdir(folder) else []
    return "certificates/" + names[0] if names else None
