// What a test needs from the machine: a program, a font family, a file or a
// locale. Each is looked up in tests/support/requirements.tsv, which names
// the Debian package that provides it (and which e2e/test_packages.py
// checks against dpkg and the Makefile's package lists).
//
// When the thing is missing the test cannot prove anything. Under
// COURSEPACK_REQUIRE_TEST_TOOLS (set by `make test`, which installs every
// package of the table) that is a failure naming the package; elsewhere it
// is a visible warning and the helper returns false / nullopt so the caller
// can stop. A name missing from the table is always a failure.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace cp::test {

// The program is on PATH.
bool require_tool(const std::string& program);

// The regular face's file of an installed font family (fontconfig), or
// nullopt.
std::optional<std::string> require_font(const std::string& family);

// The file exists.
bool require_file(const std::string& path);

// Switches LC_NUMERIC to `name` (e.g. "sv_SE.UTF-8"), generating the locale
// with localedef into a private folder when the system has not installed it.
// Returns the previous LC_NUMERIC to restore with restore_numeric_locale(), or
// nullopt when the locale cannot be had.
std::optional<std::string> use_numeric_locale(const std::string& name);
void restore_numeric_locale(const std::string& previous);

// Runs `check` under each locale that writes a decimal comma (sv_SE, de_DE),
// after making sure printf really writes "10,5" there.
void in_decimal_comma_locales(const std::function<void()>& check);

}  // namespace cp::test
