#include "render/content_stream.h"

#include <cmath>

#include "core/text.h"

namespace cp::render {

void append_number(std::string& out, double v) { text::append_decimal(out, v, 3); }

namespace {

// The value append_number writes, as a reader parses it back.
double rounded(double v) { return static_cast<double>(std::llround(v * 1000)) / 1000; }

void append_point(std::string& out, double x, double y) {
  append_number(out, x);
  out += ' ';
  append_number(out, y);
}

void append_rgb(std::string& out, const Rgb& c, const char* op) {
  append_number(out, c.r);
  out += ' ';
  append_number(out, c.g);
  out += ' ';
  append_number(out, c.b);
  out += ' ';
  out += op;
  out += '\n';
}

}  // namespace

void ContentStream::reset() { *this = ContentStream{}; }

void ContentStream::close_array() {
  if (!in_array_) return;
  out_ += "]TJ\n";
  in_array_ = false;
}

void ContentStream::end_text() {
  close_array();
  if (!in_text_) return;
  out_ += "ET\n";
  in_text_ = false;  // the font and size (text state) stay set
}

// Two bytes per character in a literal string: half the size of hex, so
// less to compress. A string's own delimiters and backslash are escaped,
// and so are CR and LF, which a reader would otherwise normalise.
void ContentStream::append_code_bytes(std::uint16_t c) {
  for (const auto byte : {static_cast<char>(c >> 8), static_cast<char>(c & 0xFF)}) {
    switch (byte) {
      case '(': out_ += "\\("; break;
      case ')': out_ += "\\)"; break;
      case '\\': out_ += "\\\\"; break;
      case '\r': out_ += "\\r"; break;
      case '\n': out_ += "\\n"; break;
      default: out_ += byte;
    }
  }
}

void ContentStream::append_codes(std::u16string_view codes) {
  out_ += '(';
  for (char16_t c : codes) append_code_bytes(c);
  out_ += ')';
}

void ContentStream::move_pen(double x, double y, double size) {
  if (in_array_ && y == line_y_) {
    // A TJ number n moves the pen by -n/1000 of the size. The pen follows
    // the rounded number, so rounding never accumulates along the line.
    const double n = rounded((pen_x_ - x) * 1000 / size);
    if (n != 0) {
      append_number(out_, n);
      pen_x_ -= n * size / 1000;
    }
  } else {
    close_array();
    out_ += "1 0 0 1 ";
    append_point(out_, x, y);
    out_ += " Tm\n[";
    in_array_ = true;
    line_y_ = y;
    pen_x_ = rounded(x);
  }
}

void ContentStream::show_glyphs(std::string_view font, double size, const Rgb& fill, double x, double y,
                                std::span<const PlacedGlyph> glyphs, std::string_view actual_text) {
  if (glyphs.empty()) return;
  if (!in_text_) {
    out_ += "BT\n";
    in_text_ = true;
  }
  if (font != font_ || size != size_) {
    close_array();
    out_ += '/';
    out_ += font;
    out_ += ' ';
    append_number(out_, size);
    out_ += " Tf\n";
    font_ = font;
    size_ = size;
  }
  set_fill(fill);
  if (!actual_text.empty()) {
    close_array();
    out_ += "/Span<</ActualText<";
    out_ += actual_text;
    out_ += ">>>BDC\n";
  }
  const double scale = size / 1000;
  double pen = x;  // where shaping puts the next glyph's origin
  bool in_string = false;
  for (const PlacedGlyph& g : glyphs) {
    const double gx = pen + g.dx * scale, gy = y + g.dy * scale;
    // A glyph goes straight after the previous one when the pen is already
    // there (to the rounding the file keeps).
    // (rounded(v) == 0 exactly when |1000 v| < 0.5, without rounding.)
    const bool here = in_array_ && gy == line_y_ && std::fabs((pen_x_ - gx) * 1000 / size * 1000) < 0.5;
    if (!here) {
      if (in_string) out_ += ')';
      in_string = false;
      move_pen(gx, gy, size);
    }
    if (!in_string) out_ += '(';
    in_string = true;
    append_code_bytes(g.code);
    pen_x_ += g.width * scale;
    pen += g.advance * scale;
  }
  if (in_string) out_ += ')';
  if (!actual_text.empty()) {
    close_array();
    out_ += "EMC\n";
  }
}

void ContentStream::show_text(std::string_view font, double size, const Rgb& fill, double x, double y,
                              std::u16string_view codes, long long advance) {
  if (!in_text_) {
    out_ += "BT\n";
    in_text_ = true;
  }
  if (font != font_ || size != size_) {
    close_array();
    out_ += '/';
    out_ += font;
    out_ += ' ';
    append_number(out_, size);
    out_ += " Tf\n";
    font_ = font;
    size_ = size;
  }
  set_fill(fill);
  if (in_array_ && y == line_y_) {
    // Move from where the previous run ended to x: a TJ number n moves the
    // pen by -n/1000 of the size. The pen follows the rounded number, so
    // rounding never accumulates along the line.
    const double n = rounded((pen_x_ - x) * 1000 / size);
    if (n != 0) {
      append_number(out_, n);
      pen_x_ -= n * size / 1000;
    }
  } else {
    close_array();
    out_ += "1 0 0 1 ";
    append_point(out_, x, y);
    out_ += " Tm\n[";
    in_array_ = true;
    line_y_ = y;
    pen_x_ = rounded(x);
  }
  append_codes(codes);
  pen_x_ += static_cast<double>(advance) * size / 1000;
}

void ContentStream::set_fill(const Rgb& c) {
  if (c == fill_) return;
  close_array();
  append_rgb(out_, c, "rg");
  fill_ = c;
}

void ContentStream::set_stroke(const Rgb& c) {
  if (c == stroke_) return;
  close_array();
  append_rgb(out_, c, "RG");
  stroke_ = c;
}

void ContentStream::set_line_width(double w) {
  if (w == line_width_) return;
  close_array();
  append_number(out_, w);
  out_ += " w\n";
  line_width_ = w;
}

void ContentStream::set_dash(bool dashed) {
  if (static_cast<int>(dashed) == dashed_) return;
  close_array();
  out_ += dashed ? "[3 2] 0 d\n" : "[] 0 d\n";
  dashed_ = dashed;
}

void ContentStream::line(double x1, double y1, double x2, double y2) {
  end_text();
  append_point(out_, x1, y1);
  out_ += " m\n";
  append_point(out_, x2, y2);
  out_ += " l\nS\n";
}

void ContentStream::rect(double x, double y, double width, double height, char paint) {
  end_text();
  append_point(out_, x, y);
  out_ += ' ';
  append_point(out_, width, height);
  out_ += " re\n";
  out_ += paint;
  out_ += '\n';
}

void ContentStream::begin_tagged(std::string_view tag, int mcid) {
  end_text();
  out_ += '/';
  out_ += tag;
  out_ += "<</MCID ";
  out_ += std::to_string(mcid);
  out_ += ">>BDC\n";
}

void ContentStream::begin_artifact(std::string_view type, const double* bbox) {
  end_text();
  out_ += "/Artifact<</Type/";
  out_ += type;
  if (bbox) {
    out_ += "/BBox[";
    for (int i = 0; i < 4; ++i) {
      if (i) out_ += ' ';
      append_number(out_, bbox[i]);
    }
    out_ += ']';
  }
  out_ += ">>BDC\n";
}

void ContentStream::end_marked() {
  end_text();
  out_ += "EMC\n";
}

}  // namespace cp::render
