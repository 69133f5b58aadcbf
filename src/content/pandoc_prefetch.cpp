// Texts read in one Pandoc run (content/pandoc_prefetch.h).
#include "content/pandoc_prefetch.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <utility>

#include "content/pandoc_cache.h"
#include "content/pandoc_run.h"
#include "content/pandoc_version.h"
#include "core/files.h"
#include "core/json.h"
#include "core/sha256.h"
#include "core/text.h"

namespace cp::content {

namespace fs = std::filesystem;

using detail::check_version;
using detail::environment_failure;
using detail::kMaxPandocOutput;
using detail::remember_failure;
using detail::remember_output;
using detail::text_key;
using detail::VersionCheck;

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

}  // namespace cp::content
