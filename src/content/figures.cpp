#include "content/figures.h"

#include <filesystem>

namespace cp::content {

namespace {

// Walks the tree in source order; `at` is where the last image was found.
class FigureCheck {
 public:
  FigureCheck(const std::string& path, std::string_view source, Diagnostics& diags)
      : path_(path), source_(source), diags_(diags) {}

  void blocks(const doc::Blocks& blocks) {
    for (const auto& b : blocks) {
      if (b.kind == doc::BlockKind::Figure) figure(b);
      inlines(b.inlines);
      this->blocks(b.children);
      for (const auto& item : b.items) this->blocks(item);
      if (b.table) {
        for (const auto& cell : b.table->header) this->blocks(cell.blocks);
        for (const auto& row : b.table->rows)
          for (const auto& cell : row) this->blocks(cell.blocks);
      }
    }
  }

 private:
  void inlines(const doc::Inlines& inlines) {
    for (const auto& in : inlines) {
      if (in.note) blocks(*in.note);
      this->inlines(in.children);
    }
  }

  void figure(const doc::Block& b) {
    // The image's `](target` after the previous image's, its `![` before.
    std::size_t found = source_.find("](" + b.target, at_);
    if (found == std::string_view::npos) found = source_.find("](" + b.target);
    std::size_t start = found;
    if (found != std::string_view::npos) {
      start = source_.rfind("![", found);
      at_ = found + 2;
    }
    if (!b.alt.empty() || !doc::plain_text(b.inlines).empty()) return;
    SourceLoc loc = b.loc;
    if (start != std::string_view::npos) loc = location(start);
    const std::string name = std::filesystem::path(b.target).filename().string();
    diags_.warning(loc, "image '" + b.target + "' has no alt text; the PDF can only name it by its file, '" + name + "'",
                   "say what the image shows between the brackets: ![what it shows](" + b.target + ")");
  }

  SourceLoc location(std::size_t offset) const {
    SourceLoc loc{path_, 1, 1};
    for (std::size_t i = 0; i < offset; ++i) {
      if (source_[i] == '\n') {
        ++loc.line;
        loc.col = 1;
      } else if ((static_cast<unsigned char>(source_[i]) & 0xC0) != 0x80) {
        ++loc.col;  // a character, not a continuation byte
      }
    }
    return loc;
  }

  const std::string& path_;
  std::string_view source_;
  Diagnostics& diags_;
  std::size_t at_ = 0;
};

}  // namespace

void check_figures(const doc::Module& module, std::string_view source, Diagnostics& diags) {
  FigureCheck(module.path, source, diags).blocks(module.blocks);
}

}  // namespace cp::content
