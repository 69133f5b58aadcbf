// What every composed document shares: fonts resolved from a layout's
// families, text pieces from plain strings, running headers and footers.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "fonts/fonts.h"
#include "layout/flow.h"
#include "frame/frame.h"
#include "model/model.h"
#include "model/placeholders.h"

namespace cp::documents {

// The colours the composed documents share (the handout takes its own from
// its layout file).
inline constexpr model::Color kAccent{0.0, 0.32, 0.55};
inline constexpr model::Color kText{0.1, 0.1, 0.1};
inline constexpr model::Color kMuted{0.4, 0.4, 0.4};

// Thrown when the environment cannot provide what a layout needs (a font
// family that is not installed): the app turns it into exit status 3.
struct EnvironmentError {
  std::string message;
};

// Resolves a family to ids in `set` (missing styles fall back to regular,
// bold italic to bold). Throws EnvironmentError if the family is unknown.
layout::FamilyFonts resolve_family(const model::FontFamily& family, fonts::FontSet& set);

// Splits plain text into Text/Space/NbSpace pieces in one style.
std::vector<layout::Piece> text_pieces(const std::string& text, const layout::TextStyle& style);

layout::TextStyle make_style(fonts::FontId font, double size, model::Color color, bool hyphenate = false);

// The flow style of the forms and sheets (attendance sheet, trainer brief,
// evaluation form): one family for body text, headings and code, ragged
// right, never hyphenated, in `text` with `accent` for rules and headings.
// body_size and leading are left at their defaults for the caller to set.
layout::FlowStyle single_family_style(const layout::FamilyFonts& family, model::Color text = kText,
                                      model::Color accent = kAccent);

// `text` set as one line from x = 0 on the baseline 0, set smaller when it
// is wider than `max_width` (0: any width); the line's width is the text's.
// Characters no installed font has are reported as warnings at `where`
// when `diags` is given.
layout::SetLine one_line(const std::string& text, const layout::TextStyle& style, fonts::FontSet& fonts,
                         double max_width = 0, Diagnostics* diags = nullptr, const SourceLoc& where = {});

// A single line of text at a baseline, aligned at x (left), centred on x, or
// ending at x (right). Returns its width. Text too wide for `max_width` is
// set smaller so it fits (running headers never overflow).
// Characters no installed font has are reported as warnings at `where`
// when `diags` is given.
double place_text(layout::Page& page, const std::string& text, const layout::TextStyle& style, double x,
                  double baseline, model::Align align, fonts::FontSet& fonts, double max_width = 0,
                  Diagnostics* diags = nullptr, const SourceLoc& where = {});

// Running header and footer texts (placeholders filled per page).
struct RunningTexts {
  std::string header_left, header_right, footer_left, footer_right;
};

// Height taken from the top and the bottom of the text area by the header
// and the footer.
inline constexpr double kHeaderBand = 22;
inline constexpr double kFooterBand = 20;

// Adds headers and footers to pages [first, end) of `doc`, each item a
// pagination artifact (not content, in a tagged document).
void add_running_texts(layout::Document& doc, std::size_t first, const RunningTexts& texts,
                       model::PlaceholderContext ctx, const layout::TextArea& area, const layout::TextStyle& style,
                       model::Color rule);

layout::TextArea text_area(const model::PageSpec& page);

// The part of a text area that body text flows into: between the running
// header and footer.
layout::TextArea body_area(const layout::TextArea& area);

// A composed document's metadata: by the project's organisation, in
// Swedish. No participant's name belongs in it: metadata travels with
// every file.
layout::Metadata document_metadata(const model::Project& project, std::string title, std::string subject,
                                   std::string keywords);

// The strings one after the other with `sep` between them.
std::string join(const std::vector<std::string>& v, const std::string& sep);

// Shrink-to-fit: type sizes start, start − step, … down to `floor` (within
// rounding; `start` is always tried), largest first, each handed to
// attempt(size, last) until it returns true; `last` marks the smallest.
// The size accepted, or nullopt when none was.
std::optional<double> shrink_to_fit(double start, double floor, double step,
                                    const std::function<bool(double size, bool last)>& attempt);

// The same for a page laid out whole at each size: each try reports into
// diagnostics of its own and only the accepted one's reach `diags`; the
// smallest size is always accepted (attempt's result is ignored there) and
// reports straight into `diags`. Returns the size accepted.
double shrink_to_fit(double start, double floor, double step, Diagnostics& diags,
                     const std::function<bool(double size, Diagnostics& try_diags, bool last)>& attempt);

// The date with its weekday, as Swedish print writes it: "tisdag 14 mars 2023".
std::string swedish_date_with_weekday(const model::Date& date);

// A label in a column of `label_width` with its value wrapped beside it,
// both on the same first baseline, as one unbreakable chunk of `width`
// (the "Datum   tisdag 14 mars 2023" rows of sheets and briefs).
layout::Chunk labelled_row(layout::Flow& flow, const std::string& label, const layout::TextStyle& label_style,
                           const std::vector<layout::Piece>& value, double label_width, double width,
                           double leading);

}  // namespace cp::documents
