#include "export/html.h"

#include "core/files.h"
#include "core/image_probe.h"
#include "export/pandoc_json.h"

namespace cp::html {

namespace {

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

}  // namespace

// Pandoc's html5 template of 2.x carries `<!--[if lt IE 9]><script
// src="//cdnjs…"></script><![endif]-->`: a reference to elsewhere, if only
// for old browsers. Removed.
void remove_ie_shim(std::string& html) {
  for (;;) {
    const auto start = html.find("<!--[if lt IE 9]>");
    if (start == std::string::npos) return;
    const auto end = html.find("<![endif]-->", start);
    if (end == std::string::npos) return;
    auto stop = end + std::string_view("<![endif]-->").size();
    if (stop < html.size() && html[stop] == '\n') ++stop;
    // Drop the indentation before it as well.
    auto from = start;
    while (from > 0 && html[from - 1] == ' ') --from;
    html.erase(from, stop - from);
  }
}

std::string run_pandoc_html(const std::string& input, bool standalone, const std::string& program,
                            std::chrono::milliseconds timeout, content::ProcessRunner& runner, std::string& error) {
  content::ProcessRequest req;
  req.argv = {program, "-f", "json", "-t", "html5", "--sandbox", "--wrap=none"};
  if (standalone) req.argv.push_back("--standalone");
  req.stdin_bytes = input;
  req.timeout = timeout;
  const auto r = runner.run(req);
  if (!r.ok()) {
    error = content::describe(r, program);
    if (r.status == content::ProcessStatus::Exited && !r.err.empty()) {
      std::string first = r.err.substr(0, r.err.find('\n'));
      error += ": " + first;
    }
    return {};
  }
  return r.out;
}

std::string handout_html(const doc::Blocks& blocks, const HtmlMeta& meta, content::ProcessRunner& runner,
                         std::string& error) {
  std::string html = run_pandoc_html(pandoc_json(blocks, meta), true, meta.program, meta.timeout, runner, error);
  remove_ie_shim(html);
  return html;
}

std::string image_data_uri(const std::string& path) {
  const auto r = files::read_file(path, 32u * 1024u * 1024u);
  const std::string_view type = image::mime_type(image::sniff(r.bytes));
  if (r.status != files::ReadStatus::Ok || type.empty()) return {};
  return "data:" + std::string(type) + ";base64," + base64(r.bytes);
}

}  // namespace cp::html
