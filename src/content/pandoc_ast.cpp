// Pandoc's JSON → the document tree: the entry point, the document's title
// and the converter's warnings (content/pandoc_ast.h).
#include "content/pandoc_ast.h"

#include "content/pandoc_converter.h"
#include "content/pandoc_text.h"
#include "core/json.h"
#include "core/text.h"

namespace cp::content {

namespace detail {

namespace {

std::string first_heading_title(const doc::Blocks& b) {
  for (const auto& block : b)
    if (block.kind == doc::BlockKind::Heading && block.level == 1)
      return std::string(text::trim(doc::plain_text(block.inlines)));
  return {};
}

}  // namespace

doc::Module Converter::module(const json& root) {
  if (!root.is_object()) throw Malformed{"the document is not a JSON object"};
  check_version(root);
  doc::Module m;
  m.path = locator_.base().path;
  const json& blocks_json = member(root, "blocks");
  blocks(blocks_json, m.blocks, 0);
  m.title = meta_title(root);
  if (m.title.empty()) m.title = first_heading_title(m.blocks);
  return m;
}

std::string Converter::meta_title(const json& root) {
  const auto meta = root.find("meta");
  if (meta == root.end() || !meta->is_object()) return {};
  const auto title = meta->find("title");
  if (title == meta->end()) return {};
  const std::string& t = tag(*title);
  if (t == "MetaString") return nfc(string(content(*title, t), "the title"));
  // The title is read for its words only: its warnings are not the body's.
  Diagnostics ignored;
  Diagnostics* saved = diags_;
  diags_ = &ignored;
  doc::Inlines in;
  doc::Blocks b;
  const std::size_t cursor = locator_.cursor();
  if (t == "MetaInlines") inlines(content(*title, t), in, 1);
  if (t == "MetaBlocks") blocks(content(*title, t), b, 1);
  locator_.set_cursor(cursor);
  diags_ = saved;
  if (t == "MetaBlocks") {
    for (const auto& block : b)
      if (!block.inlines.empty()) return std::string(text::trim(doc::plain_text(block.inlines)));
    return {};
  }
  return std::string(text::trim(doc::plain_text(in)));
}

void Converter::warn_raw(const SourceLoc& loc, std::string_view format, std::string_view raw) {
  if (loc.line > 0 && loc.line == last_raw_line_) return;
  last_raw_line_ = loc.line;
  diags_->warning(loc, "raw " + format_name(format) + " is not printed and was dropped: " + first_line(raw, 40),
                  "write it in Markdown instead; raw HTML and LaTeX are not supported");
}

void Converter::warn_unknown(const std::string& t) {
  if (!unknown_reported_.insert(t).second) return;
  diags_->warning(locator_.find({}, false), "unsupported Pandoc element " + first_line(t, 40) + " was skipped");
}

}  // namespace detail

Conversion convert_pandoc_json(std::string_view json_text, const ConvertOptions& options, Diagnostics& diags) {
  using detail::json;
  Conversion result;
  result.module.path = options.base.path;
  // Diagnostics of a failed conversion are not reported: keep them apart.
  Diagnostics local;
  try {
    const json root = cp::json::parse(json_text);
    if (root.is_discarded()) {
      result.status = Status::EnvironmentError;
      result.message = "Pandoc's output is not valid JSON";
      return result;
    }
    detail::Converter converter(options, local);
    result.module = converter.module(root);
  } catch (const detail::Unsupported& e) {
    result.status = Status::EnvironmentError;
    result.message = e.what;
    return result;
  } catch (const detail::Malformed& e) {
    result.status = Status::EnvironmentError;
    result.message = "Pandoc's output has an unexpected shape: " + e.what;
    return result;
  } catch (const detail::TooDeep&) {
    result.status = Status::InputError;
    result.message = "the text is nested too deeply (more than " + std::to_string(kMaxNesting) + " levels)";
    diags.error(options.base, result.message, "flatten the nested lists or block quotes");
    result.module = doc::Module{};
    result.module.path = options.base.path;
    return result;
  } catch (const std::bad_alloc&) {
    result.status = Status::EnvironmentError;
    result.message = "out of memory while reading Pandoc's output";
    return result;
  } catch (const std::exception& e) {
    result.status = Status::EnvironmentError;
    result.message = std::string("cannot read Pandoc's output: ") + e.what();
    return result;
  } catch (...) {
    result.status = Status::EnvironmentError;
    result.message = "cannot read Pandoc's output";
    return result;
  }
  for (auto& d : local.all()) diags.add(std::move(d));
  return result;
}

}  // namespace cp::content
