// Chunks → pages: greedy fill, backtracking to the last allowed break,
// footnotes at the page foot, repeated table headers, boxes split between pages.
#include "layout/flow.h"

#include "layout/flow_internal.h"

namespace cp::layout {

Flowed Flow::paginate(const TextArea& area, double page_width, double page_height) const {
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

  const auto notes_height = [](const Chunk& c) {
    double h = 0;
    for (const auto& n : c.notes) h += n.height + n.space_before;
    return h;
  };
  constexpr double kNoteRule = 8;  // space for the rule above the notes

  std::vector<PageState> pages;
  PageState cur;
  std::size_t page_start = 0;  // index of the first chunk (not repeated) on the current page
  std::size_t i = 0;

  auto place = [&](std::size_t idx, bool repeated) {
    const Chunk& c = chunks_[idx];
    const double sb = cur.placed.empty() ? 0 : c.space_before;
    cur.placed.push_back({idx, cur.used + sb, repeated});
    cur.used += sb + c.height;
    if (!repeated) {
      const double nh = notes_height(c);
      if (nh > 0) cur.notes += nh + (cur.notes == 0 ? kNoteRule : 0);
    }
  };
  auto fits = [&](std::size_t idx) {
    const Chunk& c = chunks_[idx];
    const double sb = cur.placed.empty() ? 0 : c.space_before;
    const double nh = notes_height(c);
    const double extra_notes = nh > 0 ? nh + (cur.notes == 0 ? kNoteRule : 0) : 0;
    return cur.used + sb + c.height + cur.notes + extra_notes <= area.height + 0.01;
  };
  auto finish = [&]() {
    pages.push_back(std::move(cur));
    cur = PageState{};
  };
  auto start_page_with = [&](std::size_t idx) {
    page_start = idx;
    const Chunk& c = chunks_[idx];
    if (c.repeat_header >= 0 && static_cast<std::size_t>(c.repeat_header) != idx)
      place(static_cast<std::size_t>(c.repeat_header), true);
  };

  while (i < chunks_.size()) {
    const Chunk& c = chunks_[i];
    if (c.new_page && !cur.placed.empty()) {
      finish();
      start_page_with(i);
    }
    if (cur.placed.empty()) start_page_with(i);
    if (fits(i) || cur.placed.empty() || (cur.placed.size() == 1 && cur.placed[0].repeated_header)) {
      // A chunk taller than a whole page is placed anyway (images are scaled
      // to fit, so this is only ever an extreme table cell).
      if (c.height == 0 && cur.placed.empty() && !c.new_page) {
        ++i;  // pure space at a page top is dropped
        continue;
      }
      place(i, false);
      ++i;
      continue;
    }
    // Find the last chunk on this page before which a break is allowed.
    std::size_t brk = i;
    while (brk > page_start && !chunks_[brk].break_before && !chunks_[brk].new_page) --brk;
    if (brk == page_start) brk = i;  // nothing allowed: break here after all
    // Take back the chunks from brk on.
    while (!cur.placed.empty() && !cur.placed.back().repeated_header && cur.placed.back().chunk >= brk)
      cur.placed.pop_back();
    // Recompute the page's totals.
    PageState rebuilt;
    std::swap(rebuilt, cur);
    for (const auto& p : rebuilt.placed) place(p.chunk, p.repeated_header);
    finish();
    i = brk;
    start_page_with(i);
  }
  if (!cur.placed.empty()) finish();

  Flowed result;
  for (std::size_t p = 0; p < pages.size(); ++p) {
    Page page;
    page.width = page_width;
    page.height = page_height;
    const auto& st = pages[p];
    // Box decorations behind runs of chunks in the same box.
    for (std::size_t k = 0; k < st.placed.size();) {
      const int box = chunks_[st.placed[k].chunk].box;
      std::size_t e = k;
      while (e + 1 < st.placed.size() && chunks_[st.placed[e + 1].chunk].box == box && box >= 0) ++e;
      if (box >= 0) {
        const auto& deco = boxes_[static_cast<std::size_t>(box)];
        const double top = area.top() - st.placed[k].top;
        const double bottom = area.top() - st.placed[e].top - chunks_[st.placed[e].chunk].height;
        if (deco.fill)
          page.items.emplace_back(
              Rect{area.left + deco.left, bottom, deco.right - deco.left, top - bottom, true, deco.fill_color, false, {}, 0});
        if (deco.bar)
          page.items.emplace_back(Rect{area.left + deco.left, bottom, 2.5, top - bottom, true, deco.bar_color, false, {}, 0});
      }
      k = e + 1;
    }
    for (const auto& pl : st.placed) {
      const Chunk& c = chunks_[pl.chunk];
      const double y = area.top() - pl.top;
      for (auto item : c.items) {
        shift_item(item, area.left, y);
        page.items.push_back(std::move(item));
      }
      if (c.mark && !pl.repeated_header)
        result.headings.push_back({c.mark->level + 1, c.mark->title, c.anchor, static_cast<int>(p), y});
    }
    // Footnotes at the foot of the page, under a short rule.
    double y = area.bottom + st.notes;
    if (st.notes > 0) {
      page.items.emplace_back(Line{area.left, y - 3, area.left + 100, y - 3, 0.5, style_.rule, false});
      y -= kNoteRule;
      for (const auto& pl : st.placed) {
        if (pl.repeated_header) continue;
        for (const auto& n : chunks_[pl.chunk].notes) {
          y -= n.space_before;
          for (auto item : n.items) {
            shift_item(item, area.left, y);
            page.items.push_back(std::move(item));
          }
          y -= n.height;
        }
      }
    }
    result.pages.push_back(std::move(page));
  }
  return result;
}

}  // namespace cp::layout
