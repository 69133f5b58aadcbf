// Diagnostics: every problem found in the inputs, with its location.
//
// A diagnostic prints as `PATH:LINE:COL: error: MESSAGE` (PATH relative to
// the project root, LINE and COL 1-based), optionally followed by a line
// `  hint: ...`. Validation collects all of them before anything stops.
#pragma once

#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace cp {

// A place in an input file. line/col are 1-based; 0 means "whole file" /
// "unknown" and is printed as 1.
struct SourceLoc {
  std::string path;
  int line = 0;
  int col = 0;

  bool known() const { return !path.empty(); }
};

enum class Severity { Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLoc loc;
  std::string message;
  std::string hint;
};

// The one formatting of a diagnostic, shared by the printer and the tests.
std::string format_diagnostic(const Diagnostic& d);

// Collects diagnostics from any stage; safe to use from several threads.
class Diagnostics {
 public:
  static constexpr std::size_t kMaxErrors = 100;

  void error(SourceLoc loc, std::string message, std::string hint = {});
  void warning(SourceLoc loc, std::string message, std::string hint = {});
  void add(Diagnostic d);

  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  // A copy, in the order reported.
  std::vector<Diagnostic> all() const;

  // Prints every warning and at most kMaxErrors errors (then one line saying
  // how many more there were), in the order reported.
  void print(std::ostream& out) const;

 private:
  mutable std::mutex mutex_;
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
};

}  // namespace cp
