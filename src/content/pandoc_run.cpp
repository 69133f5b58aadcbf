// Running Pandoc on one text (content/pandoc_run.h).
#include "content/pandoc_run.h"

#include <fmt/format.h>

#include <algorithm>

#include "content/pandoc_messages.h"
#include "core/files.h"

namespace cp::content {

std::vector<std::string> pandoc_arguments(const PandocOptions& options) {
  // Pandoc's Markdown with its default extensions; raw HTML/LaTeX stays in the
  // AST so that we can say what was dropped. --sandbox: no file or network
  // access from inside the text.
  return {options.program, "-f", "markdown", "-t", "json", "--sandbox"};
}

namespace detail {

namespace {

// Pandoc's exit statuses for a text it cannot read (PandocParseError,
// PandocParsecError, PandocMacroLoop, PandocUTF8DecodingError): the input's
// fault. Any other failure is Pandoc's own.
bool input_exit_status(int code) { return code == 64 || code == 65 || code == 91 || code == 92; }

}  // namespace

// A run that failed for a reason of Pandoc's or the machine's, not the
// text's: hung (killed at the timeout), killed by a signal, not started, or
// exited with a status other than a parse error's. One line for the user.
std::optional<std::string> environment_failure(const ProcessResult& r, const PandocOptions& options) {
  switch (r.status) {
    case ProcessStatus::Exited:
      if (r.exit_code == 0 || input_exit_status(r.exit_code)) return std::nullopt;
      return fmt::format("{} failed (exit status {}){}{}", options.program, r.exit_code, r.err.empty() ? "" : ": ",
                         join_lines(r.err, 300));
    case ProcessStatus::TimedOut:
      return fmt::format("{} did not finish within {} s and was killed with its process group", options.program,
                         std::max<long long>(1, options.timeout.count() / 1000));
    case ProcessStatus::Signaled:
    case ProcessStatus::NotFound:
    case ProcessStatus::StartFailed:
      return describe(r, options.program);
    case ProcessStatus::OutputTooLarge:
      return std::nullopt;  // the text's fault: reported at the text
  }
  return std::nullopt;
}

namespace {

// Pandoc's output for the text kept under `key`: in memory, or (when
// `from_disk_allowed`) in the store with its warnings.
std::optional<PandocOutput> kept_output(const std::string& key, bool from_disk_allowed, PandocCache::State& st) {
  PandocOutput out;
  {
    std::lock_guard lock(st.mutex);
    const auto it = st.json.find(key);
    if (it != st.json.end()) {
      out.json = it->second;
      return out;
    }
  }
  if (st.store && from_disk_allowed) {
    auto cached = st.store->read(key + ".json", kMaxPandocOutput);
    if (cached.status == files::ReadStatus::Ok) {
      auto warnings = st.store->read(key + ".stderr", kMaxPandocOutput);
      out.json = std::move(cached.bytes);
      if (warnings.status == files::ReadStatus::Ok) out.warnings = std::move(warnings.bytes);
      std::lock_guard lock(st.mutex);
      ++st.stats.disk_hits;
      return out;
    }
  }
  return std::nullopt;
}

// Pandoc refused the text (a parse error; in practice: broken YAML front
// matter): an input error at `base`, or at the front matter's line and
// column when Pandoc names them.
PandocOutput refused_text(const ProcessResult& r, const SourceLoc& base, bool leading_front_matter,
                          const PandocOptions& options) {
  PandocOutput out;
  out.status = Status::InputError;
  out.error_loc = base;
  const std::string msg = join_lines(r.err, 300);
  out.message = "pandoc cannot read this text: " + (msg.empty() ? describe(r, options.program) : msg);
  int line = 0, col = 0;
  std::size_t i = 0;
  constexpr std::string_view kYaml = "YAML parse exception at line ";
  if (leading_front_matter && msg.starts_with(kYaml)) {
    i = kYaml.size();
    if (parse_uint(msg, i, line) && msg.substr(i, 9) == ", column ") {
      i += 9;
      parse_uint(msg, i, col);
      // Pandoc counts lines from the front matter's first line (file line 2).
      out.error_loc.line = line + 1;
      out.error_loc.col = col + 1;
    }
  }
  return out;
}

// Keeps a run's output in the store (when there is one) under `key`.
void store_output(PandocCache::State& st, const std::string& key, const PandocOutput& out) {
  if (!st.store) return;
  const std::string json_file = key + ".json";
  const std::string stderr_file = key + ".stderr";
  // The warnings first: a .json without its .stderr would lose them.
  const bool warnings_ok =
      out.warnings.empty() ? (st.store->remove(stderr_file), true) : st.store->write(stderr_file, out.warnings, true);
  if (warnings_ok) st.store->write(json_file, out.json, true);
}

}  // namespace

PandocOutput pandoc_output(const std::string& key, std::string_view bytes, bool from_disk_allowed,
                           const SourceLoc& base, bool leading_front_matter, ProcessRunner& runner,
                           PandocCache::State& st) {
  if (auto kept = kept_output(key, from_disk_allowed, st)) return std::move(*kept);
  PandocOutput out;
  {
    std::lock_guard lock(st.mutex);
    if (st.failure) {
      out.status = Status::EnvironmentError;
      out.message = *st.failure;
      return out;
    }
  }
  ProcessRequest req;
  req.argv = pandoc_arguments(st.options);
  req.stdin_bytes = std::string(bytes);
  req.timeout = st.options.timeout;
  req.max_output = kMaxPandocOutput;
  ProcessResult r = runner.run(req);
  {
    std::lock_guard lock(st.mutex);
    ++st.stats.pandoc_runs;
  }
  if (const auto failure = environment_failure(r, st.options); failure) {
    remember_failure(st, *failure);
    out.status = Status::EnvironmentError;
    out.message = *failure;
    return out;
  }
  switch (r.status) {
    case ProcessStatus::Exited:
    case ProcessStatus::TimedOut:
      break;
    case ProcessStatus::OutputTooLarge:
      out.status = Status::InputError;
      out.error_loc = base;
      out.message = "pandoc's output for this text is larger than " +
                    std::to_string(kMaxPandocOutput / (1024 * 1024)) + " MB";
      return out;
    case ProcessStatus::NotFound:
    case ProcessStatus::Signaled:
    case ProcessStatus::StartFailed:
      out.status = Status::EnvironmentError;
      out.message = describe(r, st.options.program);
      return out;
  }
  // A parse error (environment_failure took every other status).
  if (r.exit_code != 0) return refused_text(r, base, leading_front_matter, st.options);
  out.json = std::move(r.out);
  out.warnings = std::move(r.err);
  store_output(st, key, out);
  return out;
}

}  // namespace detail

}  // namespace cp::content
