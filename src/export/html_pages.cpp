#include "export/html_pages.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_map>

#include "core/parallel.h"
#include "core/sha256.h"
#include "export/pandoc_json.h"

namespace cp::html {

// ---------------------------------------------------------------------------
// HtmlPages: many pages, each distinct block converted once.
//
// Pandoc writes a page as its template around the top-level blocks' HTML,
// joined by newlines, empty ones left out. So a page can be assembled from
//   - the shell: the template for the page's title, subtitle and language,
//     with markers where title, subtitle and body go;
//   - the title and subtitle as Pandoc writes them (as a paragraph's text);
//   - each top-level block's HTML.
// Each of these is a part, keyed by the SHA-256 of what Pandoc is given.
// Parts not in the cache are converted together: fragments in a few large
// runs, each block after a numbered marker paragraph to find it by in the
// output, and shells in one standalone run each.

namespace {

constexpr std::string_view kTitleMark = "cpmark0title";
constexpr std::string_view kPageTitleMark = "cpmark0pagetitle";
constexpr std::string_view kSubtitleMark = "cpmark0subtitle";
constexpr std::string_view kBodyMark = "cpmark0body";
// JSON per Pandoc run of fragments: Pandoc needs about 60 times its input
// in memory (2 MB: about 170 MB).
constexpr std::size_t kRunBytes = 2u * 1024u * 1024u;
constexpr std::uint32_t kNone = ~std::uint32_t{0};
constexpr std::string_view kCacheFile = "cache.bin";

// A page as parts, by index into HtmlPages::Impl::parts.
struct PageParts {
  std::uint32_t shell = kNone;
  std::uint32_t title = kNone, subtitle = kNone;  // the paragraphs of title and subtitle
  std::vector<std::uint32_t> blocks;              // the top-level blocks
};

struct Part {
  std::string key;    // SHA-256 (hex) of its kind and Pandoc input
  std::string input;  // Pandoc's input while it is still to convert
  std::string html;
  bool standalone = false;  // a shell
  bool ready = false;
};

std::string paragraph_text(const std::string& para) {
  // "<p>…</p>" → "…"
  if (para.size() >= 7 && para.compare(0, 3, "<p>") == 0 && para.compare(para.size() - 4, 4, "</p>") == 0)
    return para.substr(3, para.size() - 7);
  return para;
}

}  // namespace

struct HtmlPages::Impl {
  std::string salt;  // tool version and program: a new Pandoc means new keys
  std::shared_ptr<CacheStore> cache;  // null: nothing kept between runs
  content::ProcessRunner& runner;
  std::string program;
  std::chrono::milliseconds timeout;
  mutable std::mutex mutex;
  std::vector<Part> parts;
  std::unordered_map<std::string, std::uint32_t> by_key;
  std::vector<PageParts> pages;
  std::size_t converted = 0;

  Impl(const std::string& version, std::shared_ptr<CacheStore> store, content::ProcessRunner& r, std::string prog,
       std::chrono::milliseconds t)
      : salt(version + '\0' + prog), cache(std::move(store)), runner(r), program(std::move(prog)), timeout(t) {}

  // The cache: the HTML of every part converted before, by key, read at
  // the first intern(). On disk it is one file, cache.bin, of records
  //   <key> <length> <SHA-256 of the HTML>\n<HTML>\n
  // (one file, because creating hundreds of small files costs more than
  // Pandoc). A record cut short or damaged (the file is not synced to
  // disk) fails its check; it and everything after it are converted again.
  bool cache_loaded = false;
  std::unordered_map<std::string, std::string> cached;

  void load_cache() {
    cache_loaded = true;
    if (!cache) return;
    const auto r = cache->read(kCacheFile, std::size_t{1} << 30);
    if (r.status != files::ReadStatus::Ok) return;
    const std::string& f = r.bytes;
    std::size_t pos = 0;
    while (pos < f.size()) {
      const std::size_t nl = f.find('\n', pos);
      if (nl == std::string::npos || nl - pos < 64 + 1 + 1 + 1 + 64) break;
      const std::string_view head(f.data() + pos, nl - pos);
      const std::string_view key = head.substr(0, 64);
      const std::string_view sum = head.substr(head.size() - 64);
      std::size_t length = 0;
      const std::string_view digits = head.substr(65, head.size() - 64 - 65 - 1);
      if (digits.empty() || digits.size() > 12) break;
      bool ok = head[64] == ' ' && head[head.size() - 65] == ' ';
      for (char c : digits) {
        if (c < '0' || c > '9') ok = false;
        length = length * 10 + static_cast<std::size_t>(c - '0');
      }
      if (!ok || nl + 1 + length + 1 > f.size() || f[nl + 1 + length] != '\n') break;
      std::string html = f.substr(nl + 1, length);
      if (sha256_hex(html) != sum) break;
      cached.emplace(std::string(key), std::move(html));
      pos = nl + 1 + length + 1;
    }
  }

  // Rewrites the cache with what it had and what was converted now.
  void save_cache() const {
    std::map<std::string_view, const std::string*> all;  // sorted: the same bytes for the same cache
    for (const auto& [key, html] : cached) all.emplace(key, &html);
    for (const auto& part : parts)
      if (part.ready) all.emplace(part.key, &part.html);
    std::string out;
    for (const auto& [key, html] : all) {
      out += key;
      out += ' ';
      out += std::to_string(html->size());
      out += ' ';
      out += sha256_hex(*html);
      out += '\n';
      out += *html;
      out += '\n';
    }
    if (cache) cache->write(kCacheFile, out, false);  // failing to keep it costs a conversion
  }

  // An input's key: what Pandoc is given, under this tool and program.
  // Needs no lock.
  std::string key_of(std::string_view kind, std::string_view input) const {
    Sha256 h;
    h.update(salt);
    h.update(std::string_view("\0", 1));
    h.update(kind);
    h.update(std::string_view("\0", 1));
    h.update(input);
    return h.hex_digest();
  }

  // The part for this input (with its key_of), from memory, the cache, or
  // new (to convert). Called with the mutex held.
  std::uint32_t intern(std::string_view kind, std::string key, std::string input) {
    if (!cache_loaded) load_cache();
    if (auto it = by_key.find(key); it != by_key.end()) return it->second;
    Part part;
    part.standalone = kind == "shell";
    if (auto it = cached.find(key); it != cached.end()) {
      part.html = it->second;
      part.ready = true;
    } else {
      part.input = std::move(input);
    }
    part.key = key;
    const auto index = static_cast<std::uint32_t>(parts.size());
    parts.push_back(std::move(part));
    by_key.emplace(std::move(key), index);
    return index;
  }

  void remember(Part& part, std::string html) {
    part.html = std::move(html);
    part.input.clear();
    part.input.shrink_to_fit();
    part.ready = true;
  }

  // One Pandoc run over many fragments; false with `error` when Pandoc
  // fails or its output cannot be cut back into the fragments. The blocks
  // are given as they are, with a paragraph holding only a marker before
  // each (a wrapper div would not do: Pandoc gives a div's id to a heading
  // that is its only child). The marker holds a hash of the blocks, so no
  // paragraph of theirs can be mistaken for one.
  bool convert_fragments(const std::vector<const std::string*>& batch, std::vector<std::string>& out,
                         std::string& error) const {
    std::string all;
    for (const auto* input : batch) all += *input;
    const std::string mark = "cpbatch" + sha256_hex(all).substr(0, 16) + "n";
    std::string blocks = "[";
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (i) blocks += ',';
      blocks += R"({"t":"Para","c":[{"t":"Str","c":")" + mark + std::to_string(i) + R"("}]},)" + *batch[i];
    }
    blocks += ']';
    const std::string input = R"({"pandoc-api-version":[1,22],"meta":{},"blocks":)" + blocks + "}";
    const std::string output = run_pandoc_html(input, false, program, timeout, runner, error);
    if (output.empty()) {
      if (error.empty()) error = "Pandoc wrote nothing";
      return false;
    }
    // Where each marker paragraph starts and ends.
    std::vector<std::pair<std::size_t, std::size_t>> marks;
    std::size_t pos = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::string para = "<p>" + mark + std::to_string(i) + "</p>";
      pos = output.find(para, pos);
      if (pos == std::string::npos) {
        error = "Pandoc's HTML lacks the marker of block " + std::to_string(i);
        return false;
      }
      marks.emplace_back(pos, pos + para.size());
      pos += para.size();
    }
    out.clear();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::size_t from = marks[i].second;
      const std::size_t to = i + 1 < batch.size() ? marks[i + 1].first : output.size();
      std::string chunk = output.substr(from, to - from);
      if (!chunk.empty() && chunk.front() == '\n') chunk.erase(0, 1);
      if (!chunk.empty() && chunk.back() == '\n') chunk.pop_back();
      out.push_back(std::move(chunk));
    }
    return true;
  }
};

HtmlPages::HtmlPages(const std::string& tool_version, std::shared_ptr<CacheStore> cache,
                     content::ProcessRunner& runner, std::string program, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(tool_version, std::move(cache), runner, std::move(program), timeout)) {}

HtmlPages::~HtmlPages() = default;

std::size_t HtmlPages::add(const doc::Blocks& blocks, const HtmlMeta& meta) {
  // Pandoc's inputs, made outside the lock.
  json shell_meta = page_meta(meta.title.empty() ? "" : std::string(kTitleMark),
                              meta.subtitle.empty() ? "" : std::string(kSubtitleMark), meta.lang);
  // <title> holds the title too, escaped as an attribute is (quotes too):
  // it gets a marker of its own.
  if (!meta.title.empty()) shell_meta["pagetitle"] = node("MetaString", std::string(kPageTitleMark));
  std::string body;
  open(body, "Para");
  body += '[';
  open(body, "Str");
  put_string(body, kBodyMark);
  body += "}]}";
  std::string shell = document_json(shell_meta, {body});
  std::string title, subtitle;
  if (!meta.title.empty()) title = node("Para", meta_inlines(meta.title)["c"]).dump();
  if (!meta.subtitle.empty()) subtitle = node("Para", meta_inlines(meta.subtitle)["c"]).dump();
  std::vector<std::string> fragments = page_blocks(blocks, meta);
  // Keys hashed before the lock: the threads adding pages do not wait on
  // each other's hashing.
  std::string shell_key = impl_->key_of("shell", shell);
  std::string title_key = title.empty() ? std::string() : impl_->key_of("fragment", title);
  std::string subtitle_key = subtitle.empty() ? std::string() : impl_->key_of("fragment", subtitle);
  std::vector<std::string> keys;
  keys.reserve(fragments.size());
  for (const auto& f : fragments) keys.push_back(impl_->key_of("fragment", f));

  std::lock_guard lock(impl_->mutex);
  PageParts p;
  p.shell = impl_->intern("shell", std::move(shell_key), std::move(shell));
  if (!title.empty()) p.title = impl_->intern("fragment", std::move(title_key), std::move(title));
  if (!subtitle.empty()) p.subtitle = impl_->intern("fragment", std::move(subtitle_key), std::move(subtitle));
  p.blocks.reserve(fragments.size());
  for (std::size_t i = 0; i < fragments.size(); ++i)
    p.blocks.push_back(impl_->intern("fragment", std::move(keys[i]), std::move(fragments[i])));
  impl_->pages.push_back(std::move(p));
  return impl_->pages.size() - 1;
}

bool HtmlPages::convert(unsigned threads, std::string& error) {
  std::lock_guard lock(impl_->mutex);
  auto& parts = impl_->parts;
  // Runs of fragments, then one run per shell. A run holds at most
  // kRunBytes of JSON, and there are at least as many runs as threads when
  // there is enough to share (Pandoc itself uses one core).
  std::size_t pending = 0;
  for (const auto& part : parts)
    if (!part.ready && !part.standalone) pending += part.input.size();
  const std::size_t run_bytes =
      std::clamp<std::size_t>(pending / std::max(1u, threads) + 1, std::size_t{64} * 1024, kRunBytes);
  std::vector<std::vector<std::uint32_t>> runs(1);
  std::vector<std::uint32_t> shells;
  std::size_t bytes = 0;
  for (std::uint32_t i = 0; i < parts.size(); ++i) {
    if (parts[i].ready) continue;
    if (parts[i].standalone) {
      shells.push_back(i);
      continue;
    }
    if (bytes >= run_bytes) {
      runs.emplace_back();
      bytes = 0;
    }
    bytes += parts[i].input.size();
    runs.back().push_back(i);
  }
  if (runs.back().empty()) runs.pop_back();
  std::vector<std::vector<std::string>> results(runs.size());
  std::vector<std::string> errors(runs.size());
  std::vector<std::string> shell_html(shells.size()), shell_errors(shells.size());
  parallel_for(runs.size() + shells.size(), threads, [&](std::size_t t) {
      if (t < runs.size()) {
        std::vector<const std::string*> inputs;
        for (auto i : runs[t]) inputs.push_back(&parts[i].input);
        impl_->convert_fragments(inputs, results[t], errors[t]);
      } else {
        const std::size_t k = t - runs.size();
        shell_html[k] = run_pandoc_html(parts[shells[k]].input, true, impl_->program, impl_->timeout, impl_->runner,
                                   shell_errors[k]);
        if (shell_html[k].empty() && shell_errors[k].empty()) shell_errors[k] = "Pandoc wrote nothing";
      }
  });
  std::vector<std::uint32_t> converted;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (!errors[r].empty()) {
      error = errors[r];
      return false;
    }
    for (std::size_t i = 0; i < runs[r].size(); ++i) {
      impl_->remember(parts[runs[r][i]], std::move(results[r][i]));
      converted.push_back(runs[r][i]);
    }
  }
  for (std::size_t k = 0; k < shells.size(); ++k) {
    if (!shell_errors[k].empty()) {
      error = shell_errors[k];
      return false;
    }
    remove_ie_shim(shell_html[k]);
    impl_->remember(parts[shells[k]], std::move(shell_html[k]));
    converted.push_back(shells[k]);
  }
  if (!converted.empty()) impl_->save_cache();
  impl_->converted += converted.size();
  return true;
}

std::size_t HtmlPages::converted() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->converted;
}

std::string HtmlPages::page(std::size_t id, std::string& error) const {
  std::lock_guard lock(impl_->mutex);
  if (id >= impl_->pages.size()) {
    error = "no such page";
    return {};
  }
  const PageParts& p = impl_->pages[id];
  const auto& parts = impl_->parts;
  auto ready = [&](std::uint32_t i) { return i == kNone || parts[i].ready; };
  bool all = ready(p.shell) && ready(p.title) && ready(p.subtitle);
  for (auto b : p.blocks) all = all && ready(b);
  if (!all) {
    error = "the page was not converted";
    return {};
  }
  std::string body;
  for (auto b : p.blocks) {
    const std::string& html = parts[b].html;
    if (html.empty()) continue;
    if (!body.empty()) body += '\n';
    body += html;
  }
  const std::string title = p.title == kNone ? std::string{} : paragraph_text(parts[p.title].html);
  const std::string subtitle = p.subtitle == kNone ? std::string{} : paragraph_text(parts[p.subtitle].html);
  // Pandoc escapes < > & in text; in <title> also the double quote.
  std::string page_title;
  for (char c : title) {
    if (c == '"')
      page_title += "&quot;";
    else
      page_title += c;
  }
  // The shell's markers, replaced in one pass over the shell only.
  const std::string& shell = parts[p.shell].html;
  const std::string body_mark = "<p>" + std::string(kBodyMark) + "</p>";
  std::string out;
  out.reserve(shell.size() + body.size() + 4 * title.size());
  std::size_t i = 0;
  while (i < shell.size()) {
    if (shell.compare(i, body_mark.size(), body_mark) == 0) {
      out += body;
      i += body_mark.size();
    } else if (shell.compare(i, kPageTitleMark.size(), kPageTitleMark) == 0) {
      out += page_title;
      i += kPageTitleMark.size();
    } else if (shell.compare(i, kSubtitleMark.size(), kSubtitleMark) == 0) {
      out += subtitle;
      i += kSubtitleMark.size();
    } else if (shell.compare(i, kTitleMark.size(), kTitleMark) == 0) {
      out += title;
      i += kTitleMark.size();
    } else {
      out += shell[i++];
    }
  }
  return out;
}

}  // namespace cp::html
