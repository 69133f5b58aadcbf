// The validated data of a programme: plain structs, no library types.
//
// Everything here has passed validation; later stages may rely on required
// fields being present and well-formed. Each object keeps the location it
// was read from so that late errors can still point at the input.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/color.h"
#include "core/diagnostics.h"

namespace cp::model {

struct Date {
  int year = 0, month = 0, day = 0;

  auto operator<=>(const Date&) const = default;
  bool operator==(const Date&) const = default;
  std::string iso() const;            // 2023-03-14
  std::string swedish_long() const;   // 14 mars 2023
  static std::optional<Date> parse_iso(const std::string& s);  // real calendar dates only
  // The same day `months` later; the month's last day when it is shorter
  // (2024-01-31 + 1 month = 2024-02-29).
  Date plus_months(int months) const;
};

struct Time {
  int hour = 0, minute = 0;

  auto operator<=>(const Time&) const = default;
  bool operator==(const Time&) const = default;
  std::string str() const;  // 09:30
  static std::optional<Time> parse(const std::string& s);  // HH:MM, 00:00..23:59
};

struct Person {
  std::string name;
  std::string title;
  std::string email;
  std::string phone;
};

struct Contact {
  std::string name;
  std::string role;
  std::string email;
  std::string phone;
};

struct Signatory {
  std::string name;
  std::string title;
  std::string signature;  // image path relative to materials/ or layouts/ (resolved, absolute) or empty
};

// How long participants' personal data is kept after a visit: the period
// the privacy notice promises (project.yaml `retention`), in months.
struct Retention {
  int months = 0;
  std::string written;  // as written, e.g. "2 years"
  SourceLoc loc;
};

struct Project {
  std::string title;
  std::string organisation;
  std::vector<std::string> partners;
  Person coordinator;
  std::vector<Signatory> signatories;
  std::string language = "sv";
  std::string verify_url;      // contains {code}; empty = no QR code
  std::string privacy_notice;  // printed on attendance sheets
  std::optional<Retention> retention;  // none: coursepack does not purge
  SourceLoc loc;
};

struct ModuleRef {
  std::string path;  // as written, relative to materials/ (e.g. modules/01-begrepp.md)
  SourceLoc loc;     // where the reference is written in the course file
};

struct Evaluation {
  std::vector<std::string> statements;  // rated 1–5
  std::vector<std::string> questions;   // open questions
};

struct Course {
  std::string id;  // file name without .yaml
  std::string title;
  std::string subtitle;
  double hours = 0;
  std::vector<ModuleRef> modules;
  std::vector<std::string> learning_goals;
  Evaluation evaluation;
  SourceLoc loc;
};

struct Participant {
  std::string name;
  std::string title;
  std::string unit;
  std::string email;
  std::optional<bool> attended;
  SourceLoc loc;  // the inline entry or the CSV row
};

// A cancelled visit does not take place: its pack holds the calendar entry
// that says so and the brief, and no participant's data.
enum class VisitStatus { Planned, Held, Cancelled };

// How many forms answered 1, 2, 3, 4 and 5 on one rated row.
using AnswerCounts = std::array<int, 5>;

// The tallied evaluation forms of a held visit (its evaluation_results CSV):
// the confidence question before and after the training, and the course's
// statements by their number on the form (1-based; only those given).
struct EvaluationResults {
  AnswerCounts before{};
  AnswerCounts after{};
  std::map<int, AnswerCounts> statements;
  std::string file;  // relative to materials/, as written
  SourceLoc loc;     // the CSV's header row
};

struct Visit {
  Date date;
  std::optional<Time> start, end;
  std::string venue;
  std::string address;
  std::string course;  // course id
  std::vector<std::string> trainers;
  int seats = 0;  // 0 = not given (then the registered count)
  VisitStatus status = VisitStatus::Planned;
  std::vector<Participant> participants;
  std::string participants_file;  // relative to materials/ when read from CSV
  std::optional<EvaluationResults> evaluation_results;  // held visits whose forms are tallied
  SourceLoc loc;
  // The files read for this visit alone (participants, evaluation results),
  // relative to the root as diagnostics name them, even when reading failed.
  std::vector<std::string> own_files;

  // <date>-<course-id>, the pack's folder name.
  std::string key() const { return date.iso() + "-" + course; }
  // Participants that get a certificate (all for planned, attended for held,
  // none for cancelled).
  std::vector<const Participant*> certified() const;
};

struct Resource {
  std::string name;
  std::string phone;
  std::string url;
  std::string note;
};

enum class GuidelineStatus { None, Draft, Adopted };

struct Guideline {
  GuidelineStatus status = GuidelineStatus::None;
  std::optional<Date> date;
};

struct Municipality {
  std::string slug;  // file name without .yaml
  std::string name;
  std::string code;  // 4 digits
  std::vector<Contact> contacts;
  std::vector<Resource> resources;
  std::string local_notes;  // the `notes` key: Markdown for its handouts (not footnotes)
  std::optional<long> population;
  std::optional<Guideline> guideline;
  std::vector<Visit> visits;
  std::string file;  // materials/municipalities/<slug>.yaml, relative to the root
  SourceLoc loc;
  // Where things are in the file: each top-level key's line, and the first
  // line of each entry under `visits` (also entries that could not be read),
  // so that a diagnostic's line tells whose it is.
  std::vector<std::pair<std::string, int>> key_lines;
  std::vector<int> visit_lines;
};

// "Jönköpings kommun" → "Jönköping", "Tranås kommun" → "Tranås": the name
// as a place (charts, tables, the town of a visit).
std::string short_municipality_name(const std::string& name);

// ---------------------------------------------------------------- layouts
// Lengths are in PDF points (1/72 inch) after validation.

using Color = cp::Color;

struct Margins {
  double top = 0, right = 0, bottom = 0, left = 0;
};

struct PageSpec {
  double width = 595.276;   // A4
  double height = 841.890;
  Margins margins{56.693, 56.693, 56.693, 56.693};  // 20 mm
};

// A font family: a fontconfig family name, or files for the four styles.
struct FontFamily {
  std::string family;  // e.g. "Noto Serif"; empty when files are given
  std::string regular, bold, italic, bold_italic;  // absolute paths when given as files
};

struct HandoutLayout {
  PageSpec page;
  FontFamily body_font{"Noto Serif", {}, {}, {}, {}};
  FontFamily heading_font{"Noto Sans", {}, {}, {}, {}};
  FontFamily mono_font{"Noto Sans Mono", {}, {}, {}, {}};
  double body_size = 10.5;
  double leading = 14.5;  // baseline to baseline
  double heading_sizes[3] = {20, 14, 11.5};
  double paragraph_space = 5;
  bool justify = true;
  bool hyphenate = true;
  Color text_color{0.1, 0.1, 0.1};
  Color accent{0.0, 0.32, 0.55};
  Color box_discussion{0.90, 0.95, 0.99};
  Color box_note{1.0, 0.97, 0.88};
  Color box_case{0.93, 0.97, 0.92};
  // Running header and footer; placeholders as in modules plus {{page}}, {{pages}}.
  std::string header_left = "{{project.title}}";
  std::string header_right = "{{municipality.name}}";
  std::string footer_left = "{{course.title}}";
  std::string footer_right = "sida {{page}} av {{pages}}";
  std::vector<std::string> logos;  // absolute paths under layouts/assets/
  int note_pages = 2;
  // Also print the handout as an A5 booklet (handout-booklet.pdf): its A5
  // pages two-up on A4 landscape in saddle-stitch order.
  bool booklet = false;
  SourceLoc loc;
};

enum class Align { Left, Center, Right };

// Text: a template in a box. Image: a picture scaled into its box. Line: a
// horizontal rule of `width`. Qr: the verification QR code in a square box.
// Goals: the course's learning goals as a bulleted list in the box.
// Signatures: one column per signatory (signature image, rule, name, title)
// across the box.
enum class ElementKind { Text, Image, Line, Qr, Goals, Signatures };

// A positioned element of the certificate. x/y is the top-left corner
// measured from the page's top-left corner.
struct CertificateElement {
  ElementKind kind = ElementKind::Text;
  double x = 0, y = 0, width = 0, height = 0;
  std::string text;  // template with placeholders (Text)
  std::string font = "regular";  // regular | bold | italic | bold_italic
  double size = 12;
  double min_size = 12;  // shrink the text down to this, then break into two lines
  double leading = 0;    // 0 = 1.2 × size
  Align align = Align::Center;
  Color color;
  std::string image;  // absolute path (Image)
  double line_width = 0.75;
  SourceLoc loc;
};

struct CertificateLayout {
  PageSpec page{841.890, 595.276, {42.52, 42.52, 42.52, 42.52}};  // landscape A4
  FontFamily font{"Noto Sans", {}, {}, {}, {}};
  std::vector<CertificateElement> elements;
  SourceLoc loc;
};

struct AttendanceLayout {
  PageSpec page;
  FontFamily font{"Noto Sans", {}, {}, {}, {}};
  double size = 10;
  double row_height = 28.35;  // 10 mm: tall enough to sign
  int walk_in_rows = 5;
  SourceLoc loc;
};

struct BriefLayout {
  PageSpec page;
  FontFamily font{"Noto Sans", {}, {}, {}, {}};
  double size = 10;
  double spare_share = 0.1;  // handouts printed = registered × (1 + spare_share), rounded up
  std::vector<std::string> checklist;
  SourceLoc loc;
};

struct Layouts {
  HandoutLayout handout;
  CertificateLayout certificate;
  AttendanceLayout attendance;
  BriefLayout brief;
};

// ---------------------------------------------------------------- all of it

struct Programme {
  std::string root;  // absolute path of the project root
  Project project;
  std::map<std::string, Course> courses;  // by id
  std::vector<Municipality> municipalities;  // sorted by slug
  Layouts layouts;
  // Every input file validation read, by its absolute path: the SHA-256 of
  // the bytes that were parsed, and a module's or an image's bytes (what
  // Pandoc reads, what layout sizes and render draws).
  struct Input {
    std::string sha256;
    std::string bytes;  // Markdown files and layout images only
  };
  std::map<std::string, Input> inputs;
};

}  // namespace cp::model
