// The command line: parsing argv into a request, and running it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cp::app {

enum class Command { Build, Check, List, Report, Send, Publish, Purge, Help, Version };

struct Options {
  Command command = Command::Help;
  std::string root = ".";
  std::string out;  // empty = <root>/out
  std::string only;  // SLUG or SLUG/VISIT
  int jobs = 0;      // 0 = number of cores
  bool force = false;
  bool keep_going = false;  // build: packs whose own inputs are valid, even when others have errors
  bool verify = false;      // build: check every pack file's SHA-256 against its manifest
  bool quiet = false;
  bool dry_run = false;  // send: write .eml files, send nothing; purge: say what would go, change nothing
  std::string resend;    // send: a participant (name, e-mail or code) or "all"
};

// Exit statuses (README.md, "Commands").
inline constexpr int kExitOk = 0;
inline constexpr int kExitInput = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitEnvironment = 3;

// What the process gets from outside; injected so tests can pin the clock.
struct Environment {
  std::optional<long long> source_date_epoch;  // SOURCE_DATE_EPOCH (0 is a valid epoch); none when unset
  long long now = 0;                // seconds since the epoch
  std::string pandoc = "pandoc";
  // COURSEPACK_PANDOC_TIMEOUT: seconds a Pandoc run reading the texts may
  // take (1 to 3600); none = content::PandocOptions' 30 s.
  std::optional<long long> pandoc_timeout_s;
  bool stderr_is_terminal = false;
  long fail_after_files = -1;       // COURSEPACK_FAIL_AFTER_FILES: test hook, see pack::set_fail_after_files
  bool timings = false;             // COURSEPACK_TIMINGS=1: build phases' wall times on stderr
  std::string smtp_settings;        // send: COURSEPACK_SMTP, or ~/.config/coursepack/smtp.yaml
  // send: an environment variable's value (the SMTP password), nullopt when unset.
  std::function<std::optional<std::string>(const std::string&)> variable;
};

// SOURCE_DATE_EPOCH's value: whole seconds since 1970 from 0 to 253402300799
// (the last second of 9999); nullopt for anything else.
std::optional<long long> parse_source_date_epoch(const std::string& value);

// Parses argv (without argv[0]). On error returns nullopt and sets `error`.
std::optional<Options> parse_args(const std::vector<std::string>& args, std::string& error);

std::string help_text();

// Runs a command; returns the exit status.
int run(const Options& options, const Environment& env);

}  // namespace cp::app
