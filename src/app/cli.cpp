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
      "  list     one line per visit: municipality, date, course, held or planned,\n"
      "           registered, attended, pack status; flags visits that look forgotten\n"
      "  report   the programme overview, out/report.pdf\n"
      "  send     e-mail each attending participant of a held visit their certificate, once\n"
      "  publish  the certificate verification page, out/verify/ (from out/register.csv's record)\n"
      "  purge    remove the personal data of visits past project.yaml's retention period from\n"
      "           out/ (their numbers stay) and list the inputs that still hold their names\n"
      "\n"
      "options:\n"
      "  --root DIR          the folder holding materials/ and layouts/ (default: .)\n"
      "  --out DIR           where packs are written (default: ROOT/out)\n"
      "  --only WHICH        one municipality (its name or slug), or one visit of it:\n"
      "                      SLUG/DATE or SLUG/DATE-COURSE\n"
      "  --jobs N            packs built in parallel (default: the number of cores)\n"
      "  --force             rebuild packs even when nothing changed\n"
      "  --keep-going, -k    build the packs whose own inputs are valid even when others\n"
      "                      have errors (exit status 1); by default nothing is written\n"

      "  --verify            build: check every pack file's SHA-256, not only its size, and\n"
      "                      rebuild damaged packs\n"
      "  --quiet             print only errors\n"
      "  --dry-run           send: write each message as out/SLUG/VISIT/mail/*.eml, send nothing;\n"
      "                      purge: say what would be removed, change nothing\n"
      "  --resend WHO        send: send again to a participant (name, e-mail or code) or 'all'\n"
      "  --help, --version\n"
      "\n"
      "SMTP settings (send): the YAML file named by COURSEPACK_SMTP, else\n"
      "~/.config/coursepack/smtp.yaml, readable by its owner only: url (smtp://host:587\n"
      "or smtps://host:465), user, password_env (the variable holding the password),\n"
      "from, rate (messages per minute, default 20), ca_file, retries, retry_seconds\n"
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
      auto v = value("--only");
      if (!v) return std::nullopt;
      if (v->find_first_not_of(" \t") == std::string::npos) {
        error = "--only needs a municipality (its name or slug), SLUG/DATE or SLUG/DATE-COURSE";
        return std::nullopt;
      }
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
    } else if (a == "--dry-run") {
      o.dry_run = true;
    } else if (is("--resend")) {
      auto v = value("--resend");
      if (!v) return std::nullopt;
      if (v->empty()) {
        error = "--resend takes a participant's name, e-mail or code, or 'all'";
        return std::nullopt;
      }
      o.resend = *v;

    } else if (a == "--keep-going" || a == "-k") {
      o.keep_going = true;

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
      else if (a == "send") o.command = Command::Send;
      else if (a == "publish") o.command = Command::Publish;
      else if (a == "purge") o.command = Command::Purge;
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
  if (o.command == Command::Purge && (!o.only.empty() || o.force || o.keep_going || o.verify)) {
    // purge goes by the retention period alone: every pack past it.
    error = "purge takes --root, --out, --dry-run and --quiet only";
    return std::nullopt;
  }
  if ((o.dry_run && o.command != Command::Send && o.command != Command::Purge) ||
      (!o.resend.empty() && o.command != Command::Send)) {
    error = o.dry_run && o.command != Command::Send && o.command != Command::Purge
                ? std::string("--dry-run is an option of 'send' and 'purge' only")
                : std::string("--resend is an option of 'send' only");
    return std::nullopt;
  }
  return o;
}

}  // namespace cp::app
