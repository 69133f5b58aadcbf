// Markdown → document tree through Pandoc: one text converted once per
// cache, its errors and warnings reported (content/pandoc.h).
#include "content/pandoc.h"

#include <memory>
#include <mutex>

#include "content/pandoc_cache.h"
#include "content/pandoc_messages.h"
#include "content/pandoc_run.h"
#include "content/pandoc_version.h"
#include "core/text.h"

namespace cp::content {

namespace {

using detail::check_version;
using detail::PandocOutput;
using detail::pandoc_output;
using detail::Parsed;
using detail::report_pandoc_warnings;
using detail::Slot;
using detail::text_key;
using detail::VersionCheck;

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

// The slot of one text at one location, made when it is first asked for.
std::shared_ptr<Slot> slot_for(PandocCache::State& st, const std::string& slot_key) {
  std::lock_guard lock(st.mutex);
  auto& s = st.slots[slot_key];
  if (!s) s = std::make_shared<Slot>();
  return s;
}

// The text (kept under `key`) through Pandoc and the converter into
// `parsed`, its diagnostics into `local`. When output from the store does
// not convert, Pandoc is asked once more: the file may be damaged.
void convert_text(const std::string& key, std::string_view bytes, const SourceLoc& base, bool positions,
                  ProcessRunner& runner, PandocCache::State& st, Parsed& parsed, Diagnostics& local) {
  ConvertOptions opts;
  opts.base = base;
  if (positions) opts.source = bytes;
  const bool leading_front_matter = bytes.starts_with("---");
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
  const std::shared_ptr<Slot> slot = slot_for(st, slot_key);
  std::lock_guard slot_lock(slot->mutex);
  if (slot->done) {
    std::lock_guard lock(st.mutex);
    ++st.stats.memory_hits;
    return slot->parsed;
  }

  Diagnostics local;
  convert_text(key, bytes, base, positions, runner, st, parsed, local);
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
