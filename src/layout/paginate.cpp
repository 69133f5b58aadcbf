// Chunks → pages: greedy fill, backtracking to the last allowed break,
// footnotes at the page foot, repeated table headers, boxes split between pages.
#include "layout/flow.h"

#include <variant>

#include "layout/flow_internal.h"

namespace cp::layout {

namespace {

constexpr double kNoteRule = 8;  // space for the rule above the notes

struct Placed {
  std::size_t chunk;
  double top;  // distance from the area's top to the chunk's top
  bool repeated_header = false;
};

struct PageState {
  std::vector<Placed> placed;
  double used = 0;
  double notes = 0;
};

double notes_height(const Chunk& c) {
  double h = 0;
  for (const auto& n : c.notes) h += n.height + n.space_before;
  return h;
}

// Which chunks go on which page, and where.
class PageBreaker {
 public:
  PageBreaker(const std::vector<Chunk>& chunks, double height) : chunks_(chunks), height_(height) {}

  std::vector<PageState> run() {
    std::size_t i = 0;
    while (i < chunks_.size()) {
      const Chunk& c = chunks_[i];
      if (c.new_page && !cur_.placed.empty()) {
        finish();
        start_page_with(i);
      }
      if (cur_.placed.empty()) start_page_with(i);
      if (fits(i) || cur_.placed.empty() || (cur_.placed.size() == 1 && cur_.placed[0].repeated_header)) {
        // A chunk taller than a whole page is placed anyway (images are scaled
        // to fit, so this is only ever an extreme table cell).
        if (c.height == 0 && cur_.placed.empty() && !c.new_page) {
          ++i;  // pure space at a page top is dropped
          continue;
        }
        place(i, false);
        ++i;
        continue;
      }
      i = break_before(i);
      start_page_with(i);
    }
    if (!cur_.placed.empty()) finish();
    return std::move(pages_);
  }

 private:
  void place(std::size_t idx, bool repeated) {
    const Chunk& c = chunks_[idx];
    const double sb = cur_.placed.empty() ? 0 : c.space_before;
    cur_.placed.push_back({idx, cur_.used + sb, repeated});
    cur_.used += sb + c.height;
    if (!repeated) {
      const double nh = notes_height(c);
      if (nh > 0) cur_.notes += nh + (cur_.notes == 0 ? kNoteRule : 0);
    }
  }

  bool fits(std::size_t idx) const {
    const Chunk& c = chunks_[idx];
    const double sb = cur_.placed.empty() ? 0 : c.space_before;
    const double nh = notes_height(c);
    const double extra_notes = nh > 0 ? nh + (cur_.notes == 0 ? kNoteRule : 0) : 0;
    return cur_.used + sb + c.height + cur_.notes + extra_notes <= height_ + 0.01;
  }

  void finish() {
    pages_.push_back(std::move(cur_));
    cur_ = PageState{};
  }

  void start_page_with(std::size_t idx) {
    page_start_ = idx;
    const Chunk& c = chunks_[idx];
    if (c.repeat_header >= 0 && static_cast<std::size_t>(c.repeat_header) != idx)
      place(static_cast<std::size_t>(c.repeat_header), true);
  }

  // Chunk `i` does not fit: ends the page before the last chunk (from `i`
  // back) before which a break is allowed, and returns that chunk.
  std::size_t break_before(std::size_t i) {
    std::size_t brk = i;
    while (brk > page_start_ && !chunks_[brk].break_before && !chunks_[brk].new_page) --brk;
    if (brk == page_start_) brk = i;  // nothing allowed: break here after all
    // Take back the chunks from brk on.
    while (!cur_.placed.empty() && !cur_.placed.back().repeated_header && cur_.placed.back().chunk >= brk)
      cur_.placed.pop_back();
    // Recompute the page's totals.
    PageState rebuilt;
    std::swap(rebuilt, cur_);
    for (const auto& p : rebuilt.placed) place(p.chunk, p.repeated_header);
    finish();
    return brk;
  }

  const std::vector<Chunk>& chunks_;
  double height_;
  std::vector<PageState> pages_;
  PageState cur_;
  std::size_t page_start_ = 0;  // index of the first chunk (not repeated) on the current page
};

// Box decorations behind runs of chunks in the same box.
void draw_boxes(Page& page, const PageState& st, const std::vector<Chunk>& chunks,
                const std::vector<BoxDecoration>& boxes, const TextArea& area) {
  for (std::size_t k = 0; k < st.placed.size();) {
    const int box = chunks[st.placed[k].chunk].box;
    std::size_t e = k;
    while (e + 1 < st.placed.size() && chunks[st.placed[e + 1].chunk].box == box && box >= 0) ++e;
    if (box >= 0) {
      const auto& deco = boxes[static_cast<std::size_t>(box)];
      const double top = area.top() - st.placed[k].top;
      const double bottom = area.top() - st.placed[e].top - chunks[st.placed[e].chunk].height;
      if (deco.fill)
        page.items.emplace_back(
            Rect{area.left + deco.left, bottom, deco.right - deco.left, top - bottom, true, deco.fill_color, false, {}, 0});
      if (deco.bar)
        page.items.emplace_back(Rect{area.left + deco.left, bottom, 2.5, top - bottom, true, deco.bar_color, false, {}, 0});
    }
    k = e + 1;
  }
}

// Footnotes at the foot of the page, under a short rule.
void draw_notes(Page& page, const PageState& st, const std::vector<Chunk>& chunks, const TextArea& area,
                const Color& rule) {
  double y = area.bottom + st.notes;
  if (st.notes <= 0) return;
  page.items.emplace_back(Line{area.left, y - 3, area.left + 100, y - 3, 0.5, rule, false});
  y -= kNoteRule;
  for (const auto& pl : st.placed) {
    if (pl.repeated_header) continue;
    for (const auto& n : chunks[pl.chunk].notes) {
      y -= n.space_before;
      for (auto item : n.items) {
        shift_item(item, area.left, y);
        page.items.push_back(std::move(item));
      }
      y -= n.height;
    }
  }
}

}  // namespace

Flowed Flow::paginate(const TextArea& area, double page_width, double page_height) const {
  const std::vector<PageState> pages = PageBreaker(chunks_, area.height).run();
  Flowed result;
  for (std::size_t p = 0; p < pages.size(); ++p) {
    Page page;
    page.width = page_width;
    page.height = page_height;
    const auto& st = pages[p];
    draw_boxes(page, st, chunks_, boxes_, area);
    for (const auto& pl : st.placed) {
      const Chunk& c = chunks_[pl.chunk];
      const double y = area.top() - pl.top;
      for (auto item : c.items) {
        // A table header repeated on a later page is not content again: a
        // pagination artifact, without its links.
        if (tagged_ && pl.repeated_header) {
          if (std::holds_alternative<Link>(item)) continue;
          std::visit(
              [](auto& it) {
                it.node = -1;
                it.artifact = Artifact::Pagination;
              },
              item);
        }
        shift_item(item, area.left, y);
        page.items.push_back(std::move(item));
      }
      if (c.mark && !pl.repeated_header)
        result.headings.push_back({c.mark->level + 1, c.mark->title, c.anchor, static_cast<int>(p), y});
    }
    draw_notes(page, st, chunks_, area, style_.rule);
    result.pages.push_back(std::move(page));
  }
  return result;
}

}  // namespace cp::layout
