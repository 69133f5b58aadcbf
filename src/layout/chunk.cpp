// Chunks: moving their items, stacking them into one.
#include "layout/flow.h"

#include <type_traits>
#include <variant>

#include "layout/flow_internal.h"

namespace cp::layout {

std::string superscript(int n) {
  static const char* digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string s = std::to_string(n), out;
  for (char c : s) out += digits[c - '0'];
  return out;
}

void shift_item(Item& item, double dx, double dy) {
  std::visit(
      [&](auto& it) {
        using T = std::decay_t<decltype(it)>;
        if constexpr (std::is_same_v<T, Line>) {
          it.x1 += dx;
          it.x2 += dx;
          it.y1 += dy;
          it.y2 += dy;
        } else {
          it.x += dx;
          it.y += dy;
        }
      },
      item);
}

Chunk stack(const std::vector<Chunk>& parts, double dx) {
  Chunk out;
  double y = 0;
  bool first = true;
  for (const auto& c : parts) {
    if (!first) y += c.space_before;
    if (first) out.first_baseline = c.first_baseline;
    for (auto item : c.items) {
      shift_item(item, dx, -y);
      out.items.push_back(std::move(item));
    }
    for (const auto& n : c.notes) out.notes.push_back(n);
    y += c.height;
    first = false;
  }
  out.height = y;
  return out;
}


fonts::FontId FamilyFonts::pick(bool b, bool i) const {
  if (b && i) return bold_italic;
  if (b) return bold;
  if (i) return italic;
  return regular;
}

void Chunk::shift(double dx, double dy) {
  for (auto& item : items) shift_item(item, dx, dy);
}

}  // namespace cp::layout
