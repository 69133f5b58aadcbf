#!/usr/bin/env python3
"""Each stage's CMake target links exactly what the stage's code includes:
every other stage it includes (cp_<stage>) and every library whose headers
it includes, and nothing it does not include. A dependency that only
arrives through another target (transitively) does not count.

    check_links.py SRC_DIR

prints one line per difference,
  `src/STAGE: includes X but does not link TARGET` or
  `src/STAGE: links TARGET but includes nothing of it`,
and exits 1 when there is one. It first runs on a made-up tree with one
difference of each kind, which it must find (so the check can fail).
"""
import os
import re
import sys
import tempfile

import structure_check

# A library's headers (the start of the include path) → its CMake target.
LIBRARIES = [
    ("fmt/", "fmt::fmt"), ("nlohmann/", "nlohmann_json::nlohmann_json"), ("yaml-cpp/", "yaml-cpp"),
    ("unicode/", "ICU"), ("libxml/", "PkgConfig::LIBXML2"), ("zip.h", "PkgConfig::LIBZIP"),
    ("fontconfig/", "PkgConfig::FONTCONFIG"), ("hb.h", "PkgConfig::HARFBUZZ"), ("hb-", "PkgConfig::HARFBUZZ"),
    ("hyphen.h", "${HYPHEN_LIBRARY}"), ("hpdf.h", "${HPDF_LIBRARY}"), ("qpdf/", "PkgConfig::QPDF"),
    ("qrencode.h", "PkgConfig::QRENCODE"), ("curl/", "CURL::libcurl"), ("openssl/", "OpenSSL::Crypto"),
    ("hunspell.h", "PkgConfig::HUNSPELL"), ("zlib.h", "ZLIB::ZLIB"),
]
IGNORED = {"Threads::Threads", "PUBLIC", "PRIVATE", "INTERFACE"}
LOCAL = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"')
SYSTEM = re.compile(r"^\s*#\s*include\s+<([^>]+)>")


def target_of(token):
    return "ICU" if token.startswith("ICU::") else token


def includes(folder, stage):
    stages, libraries = set(), set()
    for base, _, names in os.walk(folder):
        for name in names:
            if not name.endswith((".cpp", ".h")):
                continue
            with open(os.path.join(base, name), encoding="utf-8") as f:
                for line in f:
                    m = LOCAL.match(line)
                    if m and m.group(1) != stage:
                        stages.add("cp_" + m.group(1))
                    m = SYSTEM.match(line)
                    if m:
                        for prefix, target in LIBRARIES:
                            if m.group(1).startswith(prefix):
                                libraries.add(target)
    return stages | libraries


def links(cmake, stage):
    text = re.sub(r"#[^\n]*", "", open(cmake, encoding="utf-8").read())
    linked = set()
    for m in re.finditer(r"target_link_libraries\s*\(\s*cp_" + stage + r"\s+([^)]*)\)", text):
        linked |= {target_of(t) for t in m.group(1).split() if t not in IGNORED}
    return linked


def findings(src):
    found = []
    for stage in sorted(os.listdir(src)):
        folder = os.path.join(src, stage)
        cmake = os.path.join(folder, "CMakeLists.txt")
        if not os.path.isfile(cmake):
            continue
        used, linked = includes(folder, stage), links(cmake, stage)
        for t in sorted(used - linked):
            what = t[3:] + "/" if t.startswith("cp_") else t + "'s headers"
            found.append(f"src/{stage}: includes {what} but does not link {t}")
        for t in sorted(linked - used):
            found.append(f"src/{stage}: links {t} but includes nothing of it")
    return found


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        for stage in ("core", "load", "app"):
            os.makedirs(os.path.join(src, stage))
        files = {
            "core/CMakeLists.txt": "add_library(cp_core a.cpp)\ntarget_link_libraries(cp_core PUBLIC fmt::fmt ICU::uc ICU::i18n Threads::Threads)\n",
            "core/a.cpp": "#include <fmt/format.h>\n#include <unicode/coll.h>\n#include \"core/a.h\"\n",
            "load/CMakeLists.txt": "add_library(cp_load a.cpp)\ntarget_link_libraries(cp_load PUBLIC cp_core cp_model # a comment\n  PRIVATE yaml-cpp)\n",
            "load/a.cpp": "#include \"core/files.h\"\n#include <yaml-cpp/yaml.h>\n",
            "app/CMakeLists.txt": "add_library(cp_app a.cpp)\ntarget_link_libraries(cp_app PUBLIC cp_core)\n",
            "app/a.cpp": "#include \"core/x.h\"\n#include \"layout/frame.h\"\n#include <nlohmann/json.hpp>\n",
        }
        for name, text in files.items():
            with open(os.path.join(src, name), "w") as f:
                f.write(text)
        got = findings(src)
    want = [
        "src/app: includes layout/ but does not link cp_layout",
        "src/app: includes nlohmann_json::nlohmann_json's headers but does not link nlohmann_json::nlohmann_json",
        "src/load: links cp_model but includes nothing of it",
    ]
    if got != want:
        print("self-test: expected\n  " + "\n  ".join(want) + "\ngot\n  " + "\n  ".join(got))
        return False
    return True


if __name__ == "__main__":
    sys.exit(structure_check.run(
        self_test, findings,
        lambda n: f"{n} difference(s) between what the stages include and what their targets link",
        "every stage links exactly what it includes"))
