#include "app/cli.h"

#include <fmt/format.h>

#include <charconv>

namespace cp::app {

std::string help_text() {
  return fmt::format(
      "coursepack {} — print-ready training packs\n"
      "\n"
      "usage: coursepack COMMAND [options]\n"
      "\n"
      "commands:\n"
      "  build    build every visit's pack into out/ (unchanged packs are not rewritten)\n"
      "  check    validate every input; write nothing\n"
      "  list     one line per visit: municipality, date, course, registered, status\n"
      "  report   the programme overview, out/report.pdf\n"
      "\n"
      "options:\n"
      "  --root DIR          the folder holding materials/ and layouts/ (default: .)\n"
      "  --out DIR           where packs are written (default: ROOT/out)\n"
      "  --only SLUG[/VISIT] build one municipality, or one visit (VISIT = DATE-COURSE)\n"
      "  --jobs N            packs built in parallel (default: the number of cores)\n"
      "  --force             rebuild packs even when nothing changed\n"
      "  --verify            build: check every pack file's SHA-256, not only its size, and\n"
      "                      rebuild damaged packs\n"
      "  --quiet             print only errors\n"
      "  --help, --version\n"
      "\n"
      "exit status: 0 success, 1 input errors, 2 bad command line, 3 environment problem\n",
      COURSEPACK_VERSION);
}

std::optional<long long> parse_source_date_epoch(const std::string& value) {
  long long n = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec != std::errc() || p != value.data() + value.size() || n < 0 || n > 253402300799LL)
    return std::nullopt;
  return n;
}

std::optional<Options> parse_args(const std::vector<std::string>& args, std::string& error) {
  Options o;
  bool have_command = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* name) -> std::optional<std::string> {
      const std::string prefix = std::string(name) + "=";
      if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
      if (i + 1 >= args.size()) {
        error = fmt::format("option {} needs a value", name);
        return std::nullopt;
      }
      return args[++i];
    };
    // --root, --out and --only: an empty value would mean the current
    // folder or every visit, never what was meant.
    auto nonempty = [&](const char* name) -> std::optional<std::string> {
      auto v = value(name);
      if (v && v->empty()) {
        error = fmt::format("option {} needs a value, not an empty string", name);
        return std::nullopt;
      }
      return v;
    };
    auto is = [&](const char* name) { return a == name || a.rfind(std::string(name) + "=", 0) == 0; };
    if (a == "--help" || a == "-h") {
      o.command = Command::Help;
      return o;
    }
    if (a == "--version") {
      o.command = Command::Version;
      return o;
    }
    if (is("--root")) {
      auto v = nonempty("--root");
      if (!v) return std::nullopt;
      o.root = *v;
    } else if (is("--out")) {
      auto v = nonempty("--out");
      if (!v) return std::nullopt;
      o.out = *v;
    } else if (is("--only")) {
      auto v = nonempty("--only");
      if (!v) return std::nullopt;
      o.only = *v;
    } else if (is("--jobs") || a == "-j") {
      auto v = value("--jobs");
      if (!v) return std::nullopt;
      int n = 0;
      auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc() || p != v->data() + v->size() || n < 1 || n > 256) {
        error = fmt::format("--jobs takes a whole number from 1 to 256, not '{}'", *v);
        return std::nullopt;
      }
      o.jobs = n;
    } else if (a == "--force") {
      o.force = true;
    } else if (a == "--verify") {
      o.verify = true;
    } else if (a == "--quiet" || a == "-q") {
      o.quiet = true;
    } else if (!a.empty() && a[0] == '-') {
      error = fmt::format("unknown option '{}'", a);
      return std::nullopt;
    } else if (!have_command) {
      if (a == "build") o.command = Command::Build;
      else if (a == "check") o.command = Command::Check;
      else if (a == "list") o.command = Command::List;
      else if (a == "report") o.command = Command::Report;
      else {
        error = fmt::format("unknown command '{}'", a);
        return std::nullopt;
      }
      have_command = true;
    } else {
      error = fmt::format("unexpected argument '{}'", a);
      return std::nullopt;
    }
  }
  if (!have_command) {
    error = "no command given";
    return std::nullopt;
  }
  return o;
}

}  // namespace cp::app
