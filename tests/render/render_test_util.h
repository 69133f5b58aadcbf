// Helpers for the renderer tests: documents built by hand and PNG bytes;
// the PDF tools (pdftotext, pdffonts, pdfinfo, qpdf) run with support/command.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "frame/frame.h"
#include "support/command.h"
#include "support/temp_dir.h"

namespace cp::test {

// This test program's private temporary folder (support/temp_dir.h),
// removed at exit.
const std::filesystem::path& temp_dir();

// A PNG image with the given header fields; pixels all grey. `bit_depth` 8 or
// 16 and `colour_type` 0 (grey) or 2 (RGB) are enough for the tests.
std::string make_png(std::uint32_t width, std::uint32_t height, int bit_depth, int colour_type, int interlace);
// The signature and IHDR chunk alone: all check_image reads of a PNG.
std::string png_header(std::uint32_t width, std::uint32_t height, int bit_depth, int colour_type, int interlace);

// A font set with Noto Serif/Sans regular and bold (ids 0..3).
std::shared_ptr<fonts::FontSet> noto_fonts();
inline constexpr fonts::FontId kSerif = 0, kSerifBold = 1, kSans = 2, kSansBold = 3;

layout::GlyphRun run(fonts::FontId font, double x, double y, double size, const std::string& text,
                     const fonts::FontSet& set);

// Page items by their place: (x, y) is the bottom-left corner, in points.
// The other fields keep their defaults.
layout::Line line(double x1, double y1, double x2, double y2);
layout::Rect rect(double x, double y, double width, double height);
layout::Image image(const std::string& path, double x, double y, double width, double height);
// An external link (`uri`), or with an empty uri a jump to `dest_page`.
layout::Link link(const std::string& uri, double x, double y, double width, double height, int dest_page = -1,
                  double dest_y = 0);

}  // namespace cp::test
