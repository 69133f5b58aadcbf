// A page's content stream, written as PDF operators into a string. The
// renderer hands the bytes to libharu's page stream; libharu still owns the
// document (fonts, images, resources, compression).
//
// Text is set compactly: runs on one baseline in the same font, size and
// colour share one TJ array, the gaps between them written as positioning
// numbers, so a justified line is one text matrix instead of one per word.
// Graphics state (colours, line width, dash) is written only when it
// changes. Numbers are rounded to 0.001 (a thousandth of a point on the
// page, a millionth of the font size in TJ arrays).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace cp::render {

// `v` rounded to three decimals, without exponent or trailing zeros; the
// same whatever the locale.
void append_number(std::string& out, double v);

struct Rgb {
  double r = -1, g = -1, b = -1;
  bool operator==(const Rgb&) const = default;
};

// A glyph to show: its code (two bytes: the CID, here the glyph id), its
// width as the font's /W array gives it, and where shaping put it: the
// pen moves by `advance`, the glyph is drawn `dx`, `dy` from the pen. All
// in 1/1000 of the size.
struct PlacedGlyph {
  std::uint16_t code = 0;
  int width = 0;
  double advance = 0;
  double dx = 0, dy = 0;
};

class ContentStream {
 public:
  // Shows glyphs with the pen starting at (x, y), each where shaping put it:
  // a glyph whose advance differs from its width, or that is offset
  // sideways, gets a TJ number; one offset up or down starts a new text
  // matrix. Successive calls on one baseline in one font share a TJ array
  // as show_text's do. A non-empty `actual_text` (a PDF text string in hex:
  // UTF-16BE with its byte-order mark) wraps the glyphs in a marked-content
  // span saying what text they stand for.
  void show_glyphs(std::string_view font, double size, const Rgb& fill, double x, double y,
                   std::span<const PlacedGlyph> glyphs, std::string_view actual_text = {});
  // Shows `codes` (two bytes per character: the CID the font's encoding
  // gives it) with its left end at (x, y). `font` is the page's resource
  // name for the font ("F1"); `advance` the run's width in 1/1000 of the
  // size, as the font's /W array gives it, so the next run on the line can
  // be placed relative to where this one ends.
  void show_text(std::string_view font, double size, const Rgb& fill, double x, double y, std::u16string_view codes,
                 long long advance);
  // Ends the text object, if one is open.
  void end_text();

  void set_fill(const Rgb& c);
  void set_stroke(const Rgb& c);
  void set_line_width(double w);
  void set_dash(bool dashed);  // a 3 2 dash, or solid
  void line(double x1, double y1, double x2, double y2);
  // `paint`: 'f' fill, 'S' stroke, 'B' fill and stroke.
  void rect(double x, double y, double width, double height, char paint);

  // Marked content (tagged PDF): the content of one structure element,
  // `/Tag <</MCID n>> BDC`, or an artifact, `/Artifact <</Type /Layout>>
  // BDC` (with `bbox` = x1 y1 x2 y2 when given, as background artifacts
  // need), each closed by end_marked(). Each ends an open text object
  // first, so marked content and text objects never interleave.
  void begin_tagged(std::string_view tag, int mcid);
  void begin_artifact(std::string_view type, const double* bbox = nullptr);
  void end_marked();

  const std::string& bytes() const { return out_; }
  // Drops the bytes (once they are written elsewhere); the state stays.
  void clear_bytes() { out_.clear(); }
  // Starts a new page: no bytes, state unknown.
  void reset();

 private:
  void close_array();
  void append_codes(std::u16string_view codes);
  void append_code_bytes(std::uint16_t code);
  // Moves to (x, y) for the next glyph: a TJ number on the open array's
  // baseline, else a new text matrix and array.
  void move_pen(double x, double y, double size);

  std::string out_;
  bool in_text_ = false;
  bool in_array_ = false;
  std::string font_;
  double size_ = -1;
  double line_y_ = 0;  // the open array's baseline
  double pen_x_ = 0;   // where the open array's next glyph would go
  Rgb fill_, stroke_;
  double line_width_ = -1;
  int dashed_ = -1;  // unknown
};

}  // namespace cp::render
