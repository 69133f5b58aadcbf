#include "content/pandoc.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "core/files.h"
#include "core/sha256.h"
#include "core/text.h"

namespace cp::content {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxPandocOutput = 64u * 1024u * 1024u;

// What one text became: kept per (text, location) in memory.
struct Parsed {
  Status status = Status::Ok;
  std::string message;
  doc::Module module;
};

// Pandoc's output for one text, before conversion.
struct PandocOutput {
  Status status = Status::Ok;
  std::string message;   // when not Ok
  SourceLoc error_loc;   // for input errors
  std::string json;
  std::string warnings;  // Pandoc's stderr
};

struct VersionCheck {
  Status status = Status::Ok;
  std::string message;
  std::string line;  // "pandoc 2.17.1.1"
};

// One cached text; its mutex makes concurrent requests for the same text
// wait for the first instead of running Pandoc twice.
struct Slot {
  std::mutex mutex;
  bool done = false;
  Parsed parsed;
};

std::string join_lines(std::string_view s, std::size_t max_chars) {
  std::string out;
  std::size_t start = 0;
  while (start < s.size() && out.size() < max_chars) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view line = text::trim(s.substr(start, end - start));
    if (!line.empty()) {
      if (!out.empty()) out += ' ';
      out += line;
    }
    start = end + 1;
  }
  if (out.size() > max_chars) {
    std::size_t cut = max_chars;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "…";
  }
  return out;
}

bool parse_uint(std::string_view s, std::size_t& i, int& value) {
  const std::size_t start = i;
  long long v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && v < 100000000) v = v * 10 + (s[i++] - '0');
  value = static_cast<int>(v);
  return i > start;
}

// "pandoc 2.17.1.1" → (2, 17).
bool pandoc_version_numbers(std::string_view line, int& major, int& minor) {
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return false;
  std::size_t i = space + 1;
  if (!parse_uint(line, i, major)) return false;
  if (i >= line.size() || line[i] != '.') return false;
  ++i;
  return parse_uint(line, i, minor);
}

// `… at line 5 column 1` at the end of a Pandoc warning: the position, and
// the message without it.
bool split_position(std::string_view msg, std::string& rest, int& line, int& col) {
  const std::size_t at = msg.rfind(" at line ");
  if (at == std::string_view::npos) return false;
  std::size_t i = at + 9;
  if (!parse_uint(msg, i, line)) return false;
  if (msg.substr(i, 8) != " column ") return false;
  i += 8;
  if (!parse_uint(msg, i, col)) return false;
  if (i != msg.size()) return false;
  rest = std::string(msg.substr(0, at));
  return true;
}

// The 1-based line and column of byte `offset` in `s`.
SourceLoc loc_of_offset(const SourceLoc& base, std::string_view s, std::size_t offset) {
  SourceLoc loc = base;
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < s.size(); ++i)
    if (s[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  loc.line = line;
  loc.col = static_cast<int>(text::length(s.substr(line_start, offset - line_start))) + 1;
  return loc;
}

std::size_t first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    const char32_t cp = text::next_code_point(s, i);
    if (cp == 0xFFFD && s.substr(start, 3) != "\xEF\xBF\xBD") return start;
  }
  return s.size();
}

}  // namespace

std::vector<std::string> pandoc_arguments(const PandocOptions& options) {
  // Pandoc's Markdown with its default extensions; raw HTML/LaTeX stays in the
  // AST so that we can say what was dropped. --sandbox: no file or network
  // access from inside the text.
  return {options.program, "-f", "markdown", "-t", "json", "--sandbox"};
}

struct PandocCache::State {
  std::shared_ptr<CacheStore> store;  // null: memory only
  PandocOptions options;

  std::mutex version_mutex;  // held while Pandoc's version is asked for
  mutable std::mutex mutex;  // guards everything below
  std::optional<VersionCheck> version;
  std::map<std::string, std::shared_ptr<Slot>> slots;  // by text hash + location
  std::map<std::string, std::string> json;             // Pandoc output by text hash
  // The first environment error of a conversion (Pandoc hung, crashed or
  // failed on its own account): every later text fails with it at once
  // instead of starting Pandoc again.
  std::optional<std::string> failure;
  Stats stats;
};

PandocCache::PandocCache(std::shared_ptr<CacheStore> store, PandocOptions options)
    : state_(std::make_unique<State>()) {
  state_->store = std::move(store);
  state_->options = std::move(options);
}

PandocCache::~PandocCache() = default;

PandocCache::Stats PandocCache::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->stats;
}

const PandocOptions& PandocCache::options() const { return state_->options; }

std::string PandocCache::version() const {
  std::lock_guard lock(state_->mutex);
  return state_->version && state_->version->status == Status::Ok ? state_->version->line : std::string{};
}

// The conversion pipeline, with access to the cache's state.
struct PandocAccess {
  static PandocCache::State& state(PandocCache& c) { return *c.state_; }
};

namespace {

// Where the version line of this very Pandoc binary is kept: a file named
// by the hash of the binary's path, size, inode and modification time, so a
// build that converts nothing starts no `pandoc --version` either, and an
// upgraded Pandoc is asked again. Empty when there is no cache store or
// the runner cannot say which file it would start.
std::optional<std::string> version_file(const ProcessRunner& runner, const PandocCache::State& st) {
  if (!st.store) return std::nullopt;
  const auto program = runner.locate(st.options.program);
  if (!program) return std::nullopt;
  std::error_code ec;
  const fs::path real = fs::canonical(*program, ec);
  struct ::stat info;
  if (ec || ::stat(real.c_str(), &info) != 0) return std::nullopt;
  const std::string identity = real.string() + '\n' + std::to_string(info.st_size) + '\n' +
                               std::to_string(info.st_ino) + '\n' + std::to_string(info.st_mtim.tv_sec) + '.' +
                               std::to_string(info.st_mtim.tv_nsec);
  return "version-" + sha256_hex(identity).substr(0, 32);
}

VersionCheck check_version(ProcessRunner& runner, PandocCache::State& st) {
  // One `pandoc --version` per cache, even when many threads ask at once.
  std::lock_guard version_lock(st.version_mutex);
  {
    std::lock_guard lock(st.mutex);
    if (st.version) return *st.version;
  }
  const auto kept = version_file(runner, st);
  if (kept) {
    if (const auto r = st.store->read(*kept, 4096); r.status == files::ReadStatus::Ok) {
      VersionCheck v;
      v.line = std::string(text::trim(r.bytes));
      int major = 0, minor = 0;
      if (pandoc_version_numbers(v.line, major, minor) &&
          (major > kMinPandocMajor || (major == kMinPandocMajor && minor >= kMinPandocMinor))) {
        std::lock_guard lock(st.mutex);
        st.version = v;
        return v;
      }
    }
  }
  ProcessRequest req;
  req.argv = {st.options.program, "--version"};
  req.timeout = std::chrono::milliseconds(10'000);
  req.max_output = 1u << 20;
  const ProcessResult r = runner.run(req);
  VersionCheck v;
  if (r.status == ProcessStatus::NotFound) {
    v.status = Status::EnvironmentError;
    v.message = "pandoc is not installed (" + r.error + "); install it with: apt-get install pandoc";
  } else if (!r.ok()) {
    v.status = Status::EnvironmentError;
    v.message = "`" + st.options.program + " --version` failed: " + describe(r, st.options.program);
  } else {
    v.line = std::string(text::trim(std::string_view(r.out).substr(0, r.out.find('\n'))));
    int major = 0, minor = 0;
    if (!pandoc_version_numbers(v.line, major, minor)) {
      v.status = Status::EnvironmentError;
      v.message = "cannot tell Pandoc's version from `" + v.line + "`";
    } else if (major < kMinPandocMajor || (major == kMinPandocMajor && minor < kMinPandocMinor)) {
      v.status = Status::EnvironmentError;
      v.message = v.line + " is too old: coursepack needs pandoc " + std::to_string(kMinPandocMajor) + "." +
                  std::to_string(kMinPandocMinor) + " or later (it reads " + std::string(kSupportedPandocApi) + ")";
    }
  }
  if (kept && v.status == Status::Ok) {
    // Kept for the next run; a file that cannot be written only costs a run.
    st.store->write(*kept, v.line + "\n", false);
  }
  std::lock_guard lock(st.mutex);
  if (!st.version) {
    st.version = v;
    ++st.stats.version_checks;
  }
  return *st.version;
}

// Pandoc's exit statuses for a text it cannot read (PandocParseError,
// PandocParsecError, PandocMacroLoop, PandocUTF8DecodingError): the input's
// fault. Any other failure is Pandoc's own.
bool input_exit_status(int code) { return code == 64 || code == 65 || code == 91 || code == 92; }

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

void remember_failure(PandocCache::State& st, const std::string& failure) {
  std::lock_guard lock(st.mutex);
  if (!st.failure) st.failure = failure;
}

// Pandoc's output for `bytes`: from memory, the store, or a run.
PandocOutput pandoc_output(const std::string& key, std::string_view bytes, bool from_disk_allowed,
                           const SourceLoc& base, bool leading_front_matter, ProcessRunner& runner,
                           PandocCache::State& st) {
  PandocOutput out;
  {
    std::lock_guard lock(st.mutex);
    const auto it = st.json.find(key);
    if (it != st.json.end()) {
      out.json = it->second;
      return out;
    }
  }
  const std::string json_file = key + ".json";
  const std::string stderr_file = key + ".stderr";
  if (st.store && from_disk_allowed) {
    auto cached = st.store->read(json_file, kMaxPandocOutput);
    if (cached.status == files::ReadStatus::Ok) {
      auto warnings = st.store->read(stderr_file, kMaxPandocOutput);
      out.json = std::move(cached.bytes);
      if (warnings.status == files::ReadStatus::Ok) out.warnings = std::move(warnings.bytes);
      std::lock_guard lock(st.mutex);
      ++st.stats.disk_hits;
      return out;
    }
  }

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
  if (r.exit_code != 0) {  // a parse error (environment_failure took every other status)
    // Pandoc refuses the text (in practice: broken YAML front matter).
    out.status = Status::InputError;
    out.error_loc = base;
    const std::string msg = join_lines(r.err, 300);
    out.message = "pandoc cannot read this text: " + (msg.empty() ? describe(r, st.options.program) : msg);
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
  out.json = std::move(r.out);
  out.warnings = std::move(r.err);
  if (st.store) {
    // The warnings first: a .json without its .stderr would lose them.
    const bool warnings_ok =
        out.warnings.empty() ? (st.store->remove(stderr_file), true) : st.store->write(stderr_file, out.warnings, true);
    if (warnings_ok) st.store->write(json_file, out.json, true);
  }
  return out;
}

void report_pandoc_warnings(std::string_view err, const SourceLoc& base, bool positions, Diagnostics& diags) {
  std::size_t start = 0;
  while (start < err.size()) {
    std::size_t end = err.find('\n', start);
    if (end == std::string_view::npos) end = err.size();
    const std::string_view line = text::trim(err.substr(start, end - start));
    start = end + 1;
    constexpr std::string_view kWarning = "[WARNING] ";
    if (!line.starts_with(kWarning)) continue;
    std::string msg(line.substr(kWarning.size()));
    SourceLoc loc = base;
    std::string rest;
    int l = 0, c = 0;
    if (split_position(msg, rest, l, c)) {
      msg = rest;
      if (positions) {
        loc.line = l;
        loc.col = c;
      }
    }
    diags.warning(loc, "pandoc: " + msg);
  }
}

// The key of Pandoc's output for a text: Pandoc's version, the arguments
// and the text.
std::string text_key(const std::string& version_line, const PandocOptions& options, std::string_view bytes) {
  std::string key_text = version_line;
  for (const auto& a : pandoc_arguments(options)) key_text += "\n" + a;
  key_text += "\n\n";
  key_text += bytes;
  return sha256_hex(key_text);
}

// Keeps Pandoc's output for a text in memory and, with a store, on disk.
void remember_output(PandocCache::State& st, const std::string& key, std::string json) {
  if (st.store) {
    st.store->remove(key + ".stderr");
    st.store->write(key + ".json", json, true);
  }
  std::lock_guard lock(st.mutex);
  st.json.emplace(key, std::move(json));
}

Parsed parse_text(std::string_view bytes, const SourceLoc& base, bool positions, ProcessRunner& runner,
                  PandocCache& cache, Diagnostics& diags) {
  PandocCache::State& st = PandocAccess::state(cache);
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);

  Parsed parsed;
  parsed.module.path = base.path;
  if (!text::is_valid_utf8(bytes)) {
    parsed.status = Status::InputError;
    parsed.message = "the text is not valid UTF-8";
    diags.error(positions ? loc_of_offset(base, bytes, first_invalid_utf8(bytes)) : base, parsed.message,
                "save the file as UTF-8");
    return parsed;
  }
  const VersionCheck version = check_version(runner, st);
  if (version.status != Status::Ok) {
    parsed.status = version.status;
    parsed.message = version.message;
    return parsed;
  }

  const std::string key = text_key(version.line, st.options, bytes);
  const std::string slot_key = key + "\n" + base.path + ":" + std::to_string(base.line) + ":" +
                               std::to_string(base.col) + (positions ? ":positions" : "");

  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(st.mutex);
    auto& s = st.slots[slot_key];
    if (!s) s = std::make_shared<Slot>();
    slot = s;
  }
  std::lock_guard slot_lock(slot->mutex);
  if (slot->done) {
    std::lock_guard lock(st.mutex);
    ++st.stats.memory_hits;
    return slot->parsed;
  }

  ConvertOptions opts;
  opts.base = base;
  if (positions) opts.source = bytes;
  const bool leading_front_matter = bytes.starts_with("---");
  Diagnostics local;
  Conversion conv;
  bool from_disk_allowed = true;
  for (int attempt = 0; attempt < 2; ++attempt) {
    PandocOutput out = pandoc_output(key, bytes, from_disk_allowed, base, leading_front_matter, runner, st);
    if (out.status != Status::Ok) {
      parsed.status = out.status;
      parsed.message = out.message;
      if (out.status == Status::InputError) local.error(out.error_loc, out.message);
      break;
    }
    Diagnostics attempt_diags;
    conv = convert_pandoc_json(out.json, opts, attempt_diags);
    if (conv.status == Status::EnvironmentError && from_disk_allowed && st.store) {
      // Perhaps a damaged cache file: ask Pandoc itself once more.
      std::lock_guard lock(st.mutex);
      if (st.json.find(key) == st.json.end()) {
        from_disk_allowed = false;
        continue;
      }
    }
    report_pandoc_warnings(out.warnings, base, positions, local);
    for (auto& d : attempt_diags.all()) local.add(std::move(d));
    parsed.status = conv.status;
    parsed.message = conv.message;
    parsed.module = std::move(conv.module);
    if (conv.status == Status::Ok) {
      std::lock_guard lock(st.mutex);
      st.json.emplace(key, std::move(out.json));
    }
    break;
  }
  for (auto& d : local.all()) diags.add(std::move(d));
  // Environment errors are not cached: the next text tries again.
  if (parsed.status != Status::EnvironmentError) {
    slot->parsed = parsed;
    slot->done = true;
  }
  return parsed;
}

}  // namespace

ModuleResult parse_module(std::string_view path, std::string_view bytes, ProcessRunner& runner, PandocCache& cache,
                          Diagnostics& diags) {
  SourceLoc base;
  base.path = std::string(path);
  Parsed p = parse_text(bytes, base, /*positions=*/true, runner, cache, diags);
  ModuleResult r;
  r.status = p.status;
  r.message = std::move(p.message);
  r.module = std::move(p.module);
  r.module.path = std::string(path);
  return r;
}

std::string expand_tabs_as_pandoc(std::string_view text) {
  constexpr std::size_t kTabStop = 4;  // Pandoc's default; coursepack passes no --tab-stop
  std::string out;
  out.reserve(text.size() + 1);
  std::size_t column = 0;  // code points since the line's start
  for (const char c : text) {
    if (c == '\n') {
      out += c;
      column = 0;
    } else if (c == '\t') {
      const std::size_t spaces = kTabStop - column % kTabStop;
      out.append(spaces, ' ');
      column += spaces;
    } else {
      out += c;
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;  // not a continuation byte
    }
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

std::vector<std::string> prefetch_arguments(const PandocOptions& options, const std::string& filter) {
  return {options.program, "-f", "json", "-t", "json", "--sandbox", "--lua-filter", filter, "-o", "/dev/null"};
}

namespace {

// Reads each CodeBlock's text as Markdown with the reader options of the
// command line (PANDOC_READER_OPTIONS: its columns decide some table
// widths) and writes it as JSON on a line of its own after a line naming
// it. JSON holds no raw line break, so the lines cannot be confused.
constexpr std::string_view kReadTextsLua = R"lua(-- coursepack: each text read on its own
function Pandoc(doc)
  for i, block in ipairs(doc.blocks) do
    local text = pandoc.read(block.text, "markdown", PANDOC_READER_OPTIONS)
    io.stdout:write("cptext ", i, "\n", pandoc.write(text, "json"), "\n")
    io.stdout:flush()
  end
  return pandoc.Pandoc({})
end
)lua";

// The filter's file in the cache, written when missing; empty when it
// cannot be.
std::optional<fs::path> read_texts_filter(CacheStore& store) {
  const std::string name = "read-texts-" + sha256_hex(kReadTextsLua).substr(0, 16) + ".lua";
  const auto kept = store.read(name, kReadTextsLua.size() + 1);
  if (kept.status == files::ReadStatus::Ok && kept.bytes == kReadTextsLua) return store.path(name);
  if (!store.write(name, kReadTextsLua, false)) return std::nullopt;
  return store.path(name);
}

}  // namespace

void prefetch_texts(const std::vector<std::string_view>& texts, ProcessRunner& runner, PandocCache& cache) {
  PandocCache::State& st = PandocAccess::state(cache);
  if (!st.store) return;
  const VersionCheck version = check_version(runner, st);
  if (version.status != Status::Ok) return;
  std::vector<std::pair<std::string, std::string_view>> todo;  // key, text
  std::set<std::string> keys;
  for (std::string_view t : texts) {
    if (t.starts_with("\xEF\xBB\xBF")) t.remove_prefix(3);
    if (!text::is_valid_utf8(t)) continue;
    std::string key = text_key(version.line, st.options, t);
    {
      std::lock_guard lock(st.mutex);
      if (st.json.count(key)) continue;
    }
    if (st.store->exists(key + ".json")) continue;
    if (keys.insert(key).second) todo.emplace_back(std::move(key), t);
  }
  if (todo.size() < 2) return;
  const auto filter = read_texts_filter(*st.store);
  if (!filter) return;

  nlohmann::json blocks = nlohmann::json::array();
  for (const auto& item : todo)
    blocks.push_back({{"t", "CodeBlock"},
                      {"c", nlohmann::json::array({nlohmann::json::array({"", nlohmann::json::array(),
                                                                          nlohmann::json::array()}),
                                                   expand_tabs_as_pandoc(item.second)})}});
  const nlohmann::json input = {
      {"pandoc-api-version", {1, 22}}, {"meta", nlohmann::json::object()}, {"blocks", std::move(blocks)}};
  ProcessRequest req;
  req.argv = prefetch_arguments(st.options, filter->string());
  req.stdin_bytes = input.dump();
  req.timeout = st.options.timeout;
  req.max_output = kMaxPandocOutput;
  const ProcessResult r = runner.run(req);
  {
    std::lock_guard lock(st.mutex);
    ++st.stats.pandoc_runs;
  }
  // Pandoc hung, crashed or could not start: the texts' own runs would fare
  // no better, so they fail at once with this error. A Lua error (a text
  // it cannot read) and anything else unexpected (a warning too): each
  // text is left to its own run, with its own diagnostics.
  // A run that timed out after writing a text (the filter flushes each) was
  // slow, not hung: the texts get their own runs then.
  const bool slow = r.status == ProcessStatus::TimedOut && r.out.starts_with("cptext 1\n") &&
                    std::count(r.out.begin(), r.out.end(), '\n') >= 2;
  if ((r.status == ProcessStatus::TimedOut && !slow) || r.status == ProcessStatus::Signaled ||
      r.status == ProcessStatus::StartFailed || r.status == ProcessStatus::NotFound) {
    if (const auto failure = environment_failure(r, st.options)) remember_failure(st, *failure);
    return;
  }
  if (r.status != ProcessStatus::Exited || r.exit_code != 0 || !r.err.empty()) return;
  std::vector<std::string_view> found(todo.size());
  std::string_view out = r.out;
  for (std::size_t i = 0; i < todo.size(); ++i) {
    const std::string head = "cptext " + std::to_string(i + 1) + "\n";
    if (!out.starts_with(head)) return;
    out.remove_prefix(head.size());
    const std::size_t nl = out.find('\n');
    if (nl == std::string_view::npos || nl == 0 || out.front() != '{') return;
    found[i] = out.substr(0, nl);
    out.remove_prefix(nl + 1);
  }
  if (!out.empty()) return;
  for (std::size_t i = 0; i < todo.size(); ++i) remember_output(st, todo[i].first, std::string(found[i]));
}

BlocksResult parse_markdown_string(std::string_view text, const SourceLoc& loc, ProcessRunner& runner,
                                   PandocCache& cache, Diagnostics& diags) {
  Parsed p = parse_text(text, loc, /*positions=*/false, runner, cache, diags);
  BlocksResult r;
  r.status = p.status;
  r.message = std::move(p.message);
  r.blocks = std::move(p.module.blocks);
  return r;
}

}  // namespace cp::content
