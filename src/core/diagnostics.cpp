#include "core/diagnostics.h"

#include <fmt/format.h>

namespace cp {

std::string format_diagnostic(const Diagnostic& d) {
  const char* sev = d.severity == Severity::Error ? "error" : "warning";
  std::string out;
  if (d.loc.known()) {
    out = fmt::format("{}:{}:{}: {}: {}", d.loc.path, d.loc.line > 0 ? d.loc.line : 1,
                      d.loc.col > 0 ? d.loc.col : 1, sev, d.message);
  } else {
    out = fmt::format("coursepack: {}: {}", sev, d.message);
  }
  if (!d.hint.empty()) out += fmt::format("\n  hint: {}", d.hint);
  return out;
}

void Diagnostics::error(SourceLoc loc, std::string message, std::string hint) {
  add({Severity::Error, std::move(loc), std::move(message), std::move(hint)});
}

void Diagnostics::warning(SourceLoc loc, std::string message, std::string hint) {
  add({Severity::Warning, std::move(loc), std::move(message), std::move(hint)});
}

void Diagnostics::add(Diagnostic d) {
  std::lock_guard lock(mutex_);
  if (d.severity == Severity::Error)
    ++errors_;
  else
    ++warnings_;
  items_.push_back(std::move(d));
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

std::size_t Diagnostics::warning_count() const {
  std::lock_guard lock(mutex_);
  return warnings_;
}

std::vector<Diagnostic> Diagnostics::all() const {
  std::lock_guard lock(mutex_);
  return items_;
}

void Diagnostics::print(std::ostream& out) const {
  std::lock_guard lock(mutex_);
  std::size_t printed_errors = 0;
  for (const auto& d : items_) {
    if (d.severity == Severity::Error) {
      if (printed_errors == kMaxErrors) continue;
      ++printed_errors;
    }
    out << format_diagnostic(d) << '\n';
  }
  if (errors_ > kMaxErrors)
    out << fmt::format("coursepack: error: {} more errors not shown\n", errors_ - kMaxErrors);
}

}  // namespace cp
