#include "app/build.h"

#include "app/index_page.h"
#include "app/machine_check.h"
#include "app/progress.h"
#include "app/publish.h"

#include <fmt/format.h>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <functional>
#include <iostream>
#include <map>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "content/pandoc.h"
#include "content/process.h"
#include "core/files.h"
#include "core/parallel.h"
#include "core/sha256.h"
#include "core/text.h"
#include "documents/attendance.h"
#include "content/html.h"
#include "documents/brief.h"
#include "documents/evaluation.h"
#include "documents/certificate.h"
#include "documents/handout.h"
#include "documents/verification.h"
#include "documents/typeset.h"
#include "export/calendar.h"
#include "layout/hyphenate.h"
#include "pack/lock.h"
#include "pack/ownership.h"
#include "pack/pack.h"
#include "render/pdf.h"
#include "render/impose.h"
#include "render/pdf_split.h"
#include "tailor/tailor.h"
#include "verify/register.h"
#include "validate/validate.h"

namespace cp::app {

namespace fs = std::filesystem;

namespace {

// What validation read of an input file, when it did.
const model::Programme::Input* read_input(const model::Programme& programme, const fs::path& p) {
  if (auto it = programme.inputs.find(p.string()); it != programme.inputs.end()) return &it->second;
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(p, ec);
  if (auto it = programme.inputs.find(real.string()); !ec && it != programme.inputs.end()) return &it->second;
  return nullptr;
}

// Hashes of input files: of the bytes validation parsed, or (for files it
// does not parse, such as images) read once per run.
class FileHashes {
 public:
  explicit FileHashes(const model::Programme& programme) : programme_(programme) {}
  std::string of(const fs::path& p) {
    if (const auto* in = read_input(programme_, p)) return in->sha256;
    {
      std::lock_guard lock(mutex_);
      if (auto it = cache_.find(p.string()); it != cache_.end()) return it->second;
    }
    const auto r = files::read_file(p, 256u * 1024u * 1024u);
    const std::string h = r.status == files::ReadStatus::Ok ? sha256_hex(r.bytes) : "missing";
    std::lock_guard lock(mutex_);
    cache_[p.string()] = h;
    return h;
  }

 private:
  const model::Programme& programme_;
  std::mutex mutex_;
  std::map<std::string, std::string> cache_;
};

// The municipality's data and one of its visits as text, for hashing.
std::string visit_text(const model::Municipality& m, const model::Visit& v) {
  std::string t;
  auto field = [&t](const std::string& value) {
    t += value;
    t += '\x1f';
  };
  for (const auto* f : {&m.slug, &m.name, &m.code, &m.notes}) field(*f);
  field(m.population ? std::to_string(*m.population) : "-");
  field(m.guideline ? std::to_string(static_cast<int>(m.guideline->status)) +
                          (m.guideline->date ? m.guideline->date->iso() : "")
                    : "-");
  for (const auto& c : m.contacts)
    for (const auto* f : {&c.name, &c.role, &c.email, &c.phone}) field(*f);
  t += '\x1e';
  for (const auto& r : m.resources)
    for (const auto* f : {&r.name, &r.phone, &r.url, &r.note}) field(*f);
  t += '\x1e';
  field(v.date.iso());
  field(v.start ? v.start->str() : "-");
  field(v.end ? v.end->str() : "-");
  for (const auto* f : {&v.venue, &v.address, &v.course, &v.participants_file}) field(*f);
  for (const auto& tr : v.trainers) field(tr);
  field(std::to_string(v.seats));
  field(v.status == model::VisitStatus::Held ? "held" : v.status == model::VisitStatus::Cancelled ? "cancelled" : "planned");
  t += '\x1e';
  for (const auto& pa : v.participants) {
    for (const auto* f : {&pa.name, &pa.title, &pa.unit, &pa.email}) field(*f);
    field(pa.attended ? (*pa.attended ? "1" : "0") : "-");
  }
  return t;
}

}  // namespace

struct PackHasher::Impl {
  const model::Programme& programme;
  FileHashes files;
  std::string project;
  std::string contacts;
  std::vector<std::pair<std::string, std::string>> layouts;
  explicit Impl(const model::Programme& p) : programme(p), files(p) {}
};

PackHasher::PackHasher(const model::Programme& p) : impl_(std::make_unique<Impl>(p)) {
  const fs::path root(p.root);
  impl_->project = impl_->files.of(root / "materials" / "project.yaml");
  // The handout lists every municipality's contact persons.
  std::string contacts;
  for (const auto& other : p.municipalities)
    for (const auto& c : other.contacts)
      contacts += other.name + '\t' + c.name + '\t' + c.role + '\t' + c.phone + '\t' + c.email + '\n';
  impl_->contacts = sha256_hex(contacts);
  std::error_code ec;
  std::vector<fs::path> layout_files;
  for (auto it = fs::recursive_directory_iterator(root / "layouts", ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file()) layout_files.push_back(it->path());
  std::sort(layout_files.begin(), layout_files.end());
  for (const auto& f : layout_files) impl_->layouts.emplace_back(fs::relative(f, root).string(), impl_->files.of(f));
}

PackHasher::~PackHasher() = default;

std::vector<std::pair<std::string, std::string>> PackHasher::inputs(const model::Municipality& m,
                                                                    const model::Visit& v) {
  const auto& p = impl_->programme;
  auto& hashes = impl_->files;
  std::vector<std::pair<std::string, std::string>> in;
  const fs::path materials = fs::path(p.root) / "materials";
  in.emplace_back("coursepack", COURSEPACK_VERSION);
  in.emplace_back("materials/project.yaml", impl_->project);
  in.emplace_back("materials/courses/" + v.course + ".yaml", hashes.of(materials / "courses" / (v.course + ".yaml")));
  if (auto c = p.courses.find(v.course); c != p.courses.end())
    for (const auto& mod : c->second.modules) in.emplace_back("materials/" + mod.path, hashes.of(materials / mod.path));
  // The municipality's file holds every visit: hash what this pack uses of
  // it, so a change to another visit's participants leaves this pack alone.
  in.emplace_back(m.file + " (this visit)", sha256_hex(visit_text(m, v)));
  if (!v.participants_file.empty())
    in.emplace_back("materials/" + v.participants_file, hashes.of(materials / v.participants_file));
  in.emplace_back("county contacts", impl_->contacts);
  in.insert(in.end(), impl_->layouts.begin(), impl_->layouts.end());
  return in;
}

namespace {

std::string combined_hash(const std::vector<std::pair<std::string, std::string>>& inputs) {
  std::string all;
  for (const auto& [name, hash] : inputs) all += name + '\0' + hash + '\n';
  return sha256_hex(all);
}


struct Job {
  const model::Municipality* municipality;
  const model::Visit* visit;
};

struct Shared {
  const model::Programme* programme = nullptr;
  std::map<std::string, doc::Module> modules;     // by path relative to materials/
  std::map<std::string, doc::Blocks> notes;       // by municipality slug
  std::unique_ptr<layout::Hyphenator> hyphenator;
  // The handouts' paragraphs, set once for all packs of the build.
  std::unique_ptr<layout::ParagraphCache> paragraphs = std::make_unique<layout::ParagraphCache>();
  render::PdfOptions pdf;
  long long calendar_stamp = 0;  // DTSTAMP of the calendar entries
  fs::path out;
  std::unique_ptr<content::ProcessRunner> runner;  // safe to share between threads
  std::string pandoc;
  std::string pandoc_version;                // Pandoc's version line
  std::unique_ptr<content::HtmlPages> html;  // handout.html's converted blocks
  // Pandoc converts handout.html's blocks while the packs' PDFs are made;
  // a pack waits for it only when it takes its page. Empty when it went
  // well, else the error.
  std::shared_future<std::string> html_converted;
};

struct JobResult {
  bool ok = true;
  bool environment = false;
  std::string error;
  int pages = 0;
  pack::StagedPack staged;
};

// The handout's input for a visit: every module and the municipality's
// notes tailored to it.
documents::HandoutInput handout_input(const Shared& s, const Job& job) {
  const auto& p = *s.programme;
  const auto& m = *job.municipality;
  const auto& v = *job.visit;
  const auto& course = p.courses.at(v.course);
  model::PlaceholderContext ctx{&p.project, &course, &m, &v, nullptr, 0, 0};
  documents::HandoutInput hin;
  hin.programme = &p;
  hin.municipality = &m;
  hin.visit = &v;
  hin.course = &course;
  for (const auto& ref : course.modules) hin.modules.push_back(tailor::tailor(s.modules.at(ref.path), ctx));
  if (auto it = s.notes.find(m.slug); it != s.notes.end()) hin.municipality_notes = tailor::tailor(it->second, ctx);
  hin.hyphenator = s.hyphenator.get();
  hin.paragraphs = s.paragraphs.get();
  return hin;
}

// handout.html's title and how its images are found.
content::HtmlMeta html_meta(const Shared& s, const Job& job) {
  const auto& p = *s.programme;
  content::HtmlMeta meta;
  meta.title = p.courses.at(job.visit->course).title + " – " + job.municipality->name;
  meta.subtitle = documents::swedish_date_with_weekday(job.visit->date);
  meta.program = s.pandoc;
  const fs::path materials = fs::path(p.root) / "materials";
  meta.image_source = [materials](const std::string& written) {
    const auto res = files::resolve_inside(materials, written);
    return res.status == files::ResolveStatus::Ok ? content::image_data_uri(res.path.string()) : std::string{};
  };
  return meta;
}

// Files of a pack with their manifest entries, in manifest order.
struct PackFiles {
  bool ok = true;
  bool environment = false;
  std::string error;
  int pages = 0;
  std::vector<pack::OutputFile> files;
  nlohmann::json outputs = nlohmann::json::array();

  void add(const std::string& name, std::string bytes, std::optional<std::size_t> pages_in_file) {
    nlohmann::json entry = {{"file", name}, {"sha256", sha256_hex(bytes)}, {"bytes", bytes.size()}};
    if (pages_in_file) {
      entry["pages"] = *pages_in_file;
      pages += static_cast<int>(*pages_in_file);
    }
    outputs.push_back(std::move(entry));
    files.push_back({name, std::move(bytes)});
  }
  // Certificate `number`: listed by its number, not its file name, which is
  // made from the participant's name (a manifest names no one).
  void add_certificate(std::size_t number, const std::string& name, std::string bytes) {
    outputs.push_back({{"certificate", number}, {"sha256", sha256_hex(bytes)}, {"bytes", bytes.size()}, {"pages", 1}});
    pages += 1;
    files.push_back({name, std::move(bytes)});
  }
  // Renders; the bytes are also returned for callers that split them.
  std::string add_pdf(const Shared& s, const Job& job, const std::string& name, const layout::Document& d,
                      Diagnostics& diags) {
    auto pdf = render::render_pdf(d, s.pdf);
    if (!pdf.ok) {
      fail(fmt::format("{}: {}", name, pdf.error), false);
      return {};
    }
    for (const auto& w : pdf.warnings)
      diags.warning(SourceLoc{}, fmt::format("{}/{}/{}: {}", job.municipality->slug, job.visit->key(), name, w));
    add(name, pdf.bytes, d.pages.size());
    return std::move(pdf.bytes);
  }
  void fail(std::string message, bool env) {
    if (!ok) return;
    ok = false;
    environment = env;
    error = std::move(message);
  }
};

// The documents of a pack that do not depend on the course texts: the
// evaluation form, the attendance sheet, the certificates and the
// trainer's brief. They can be made while Pandoc still reads the texts.
PackFiles build_documents(const Shared& s, const Job& job, Diagnostics& diags) {
  PackFiles r;
  const auto& p = *s.programme;
  const auto& m = *job.municipality;
  const auto& v = *job.visit;
  const auto& course = p.courses.at(v.course);
  if (v.status == model::VisitStatus::Cancelled) {
    // Nothing to print or certify: the calendar entry says it is off.
    r.add("visit.ics", calendar::visit_ics(p, m, v, s.calendar_stamp), std::nullopt);
    return r;
  }
  try {
    r.add_pdf(s, job, "evaluation.pdf", documents::compose_evaluation({&p, &course, &m, &v}, diags), diags);

    documents::AttendanceInput ain{&p, &m, &v, &course, s.hyphenator.get()};
    const layout::Document sheet = documents::compose_attendance(ain, diags);
    r.add_pdf(s, job, "attendance.pdf", sheet, diags);

    // Certificates: all in one file for printing, and one file each for e-mail.
    documents::CertificateInput cin{&p, &m, &v, &course, documents::certificate_entries(p, m, v, course)};
    std::vector<verify::Issued> issued;
    if (!cin.participants.empty()) {
      const layout::Document all = documents::compose_certificates(cin, diags);
      const std::string combined = r.add_pdf(s, job, "certificates.pdf", all, diags);
      // The e-mail files are the combined file's pages: one rendering, and
      // each file is exactly the page that was printed.
      render::SplitResult single;
      if (r.ok) single = render::split_pages(combined);
      if (r.ok && (!single.ok || single.pages.size() != cin.participants.size()))
        r.fail("certificates/: " + (single.ok ? std::string("page count differs from the participants") : single.error),
               false);
      for (std::size_t i = 0; i < cin.participants.size() && r.ok; ++i) {
        const auto& entry = cin.participants[i];
        const std::string file =
            "certificates/" + documents::participant_slug(i + 1, entry.participant->name) + ".pdf";
        r.add_certificate(i + 1, file, std::move(single.pages[i]));
        issued.push_back({entry.code, entry.participant->name, m.slug, v.key(), m.name, course.title, v.date.iso(),
                          v.status == model::VisitStatus::Held ? verify::Status::Valid : verify::Status::Planned,
                          entry.participant->email, file});
      }
    }
    r.add("certificates.csv", verify::pack_certificates_csv(issued), std::nullopt);

    documents::BriefInput bin{&p, &m, &v, &course, static_cast<int>(sheet.pages.size())};
    r.add_pdf(s, job, "brief.pdf", documents::compose_brief(bin, diags), diags);
    r.add("visit.ics", calendar::visit_ics(p, m, v, s.calendar_stamp), std::nullopt);
  } catch (const documents::EnvironmentError& e) {
    r.fail(e.message, true);
  }
  return r;
}

// The rest of a pack (handout.pdf and handout.html), then the manifest,
// staged in a temporary folder.
JobResult build_pack(const Shared& s, const Job& job, std::size_t html_page, PackFiles documents,
                     const std::vector<std::pair<std::string, std::string>>& inputs, const std::string& inputs_hash,
                     Diagnostics& diags) {
  JobResult r;
  const auto& m = *job.municipality;
  const auto& v = *job.visit;
  PackFiles files;
  const bool cancelled = v.status == model::VisitStatus::Cancelled;
  if (!cancelled) {  // a cancelled visit has no handout
    try {
      const std::string handout =
          files.add_pdf(s, job, "handout.pdf", documents::compose_handout(handout_input(s, job), diags), diags);
      if (files.ok && s.programme->layouts.handout.booklet) {
        // The same A5 pages, two to an A4 sheet, for folding into a booklet.
        auto booklet = render::impose_booklet(handout);
        if (booklet.ok)
          files.add("handout-booklet.pdf", std::move(booklet.pdf), render::booklet_order(static_cast<int>(
                                                                        files.outputs.front()["pages"].get<int>())).size());
        else
          files.fail("handout-booklet.pdf: " + booklet.error, false);
      }
    } catch (const documents::EnvironmentError& e) {
      files.fail(e.message, true);
    }
  }
  if (files.ok && documents.ok && !cancelled) {
    // The handout's text as an accessible web page, from the blocks Pandoc
    // has been converting meanwhile.
    std::string html_error = s.html_converted.valid() ? s.html_converted.get() : std::string{};
    std::string html = html_error.empty() ? s.html->page(html_page, html_error) : std::string{};
    if (html.empty())
      files.fail("handout.html: " + html_error, true);
    else
      files.add("handout.html", std::move(html), std::nullopt);
  }
  if (files.ok && !documents.ok) files.fail(documents.error, documents.environment);
  if (!files.ok) {
    r.ok = false;
    r.environment = files.environment;
    r.error = files.error;
    return r;
  }
  r.pages = files.pages + documents.pages;
  for (auto& entry : documents.outputs) files.outputs.push_back(std::move(entry));
  for (auto& f : documents.files) files.files.push_back(std::move(f));
  if (!cancelled) {
    // Everything the brief lists, in the counts it gives, in one file.
    auto find = [&files](const std::string& name) -> const std::string* {
      for (const auto& f : files.files)
        if (f.name == name) return &f.bytes;
      return nullptr;
    };
    const auto& p = *s.programme;
    const auto counts = documents::print_list({&p, &m, &v, &p.courses.at(v.course), 1});
    auto print = render::print_file({{find("attendance.pdf"), 1, false},
                                     {find("handout.pdf"), counts.handouts, false},
                                     {find("evaluation.pdf"), counts.evaluation_forms, false},
                                     {find("certificates.pdf"), 1, true}});
    if (!print.ok) {
      r.ok = false;
      r.error = "print.pdf: " + print.error;
      return r;
    }
    files.add("print.pdf", std::move(print.pdf), print.pages);
  }
  nlohmann::json& outputs = files.outputs;

  nlohmann::json manifest;
  manifest["tool"] = fmt::format("coursepack {}", COURSEPACK_VERSION);
  manifest["municipality"] = m.slug;
  manifest["visit"] = v.key();
  manifest["status"] = v.status == model::VisitStatus::Held        ? "held"
                       : v.status == model::VisitStatus::Cancelled ? "cancelled"
                                                                   : "planned";
  manifest["inputs_hash"] = inputs_hash;
  manifest["registered"] = v.participants.size();
  manifest["certificates"] = v.certified().size();
  nlohmann::json in = nlohmann::json::array();
  for (const auto& [name, hash] : inputs) in.push_back({{"file", name}, {"sha256", hash}});
  manifest["inputs"] = in;
  manifest["outputs"] = outputs;
  files.files.push_back({"manifest.json", manifest.dump(2) + "\n"});
  if (auto e = pack::stage_pack(s.out, m.slug, v.key(), files.files, r.staged); !e.empty()) {
    r.ok = false;
    r.environment = true;
    r.error = e;
  }
  return r;
}

// --only names a municipality by its slug, its name or its name as a place
// ("eksjo", "Eksjö kommun", "Eksjö"; case does not matter), optionally
// followed by /DATE or /DATE-COURSE.
bool names_municipality(std::string_view word, const model::Municipality& m) {
  const std::string w = text::to_lower(text::trim(word));
  return w == text::to_lower(m.slug) || w == text::to_lower(m.name) ||
         w == text::to_lower(model::short_municipality_name(m.name));
}

bool selected(const std::string& only, const model::Municipality& m, const model::Visit& v) {
  if (only.empty()) return true;
  const auto slash = only.find('/');
  if (!names_municipality(std::string_view(only).substr(0, slash), m)) return false;
  if (slash == std::string::npos) return true;
  const std::string_view visit = text::trim(std::string_view(only).substr(slash + 1));
  return visit == v.key() || visit == v.date.iso();
}

// What --only could have said, for the message when it matches nothing.
std::string only_hint(const model::Programme& p, const std::string& only) {
  const auto slash = only.find('/');
  for (const auto& m : p.municipalities) {
    if (slash == std::string::npos || !names_municipality(std::string_view(only).substr(0, slash), m)) continue;
    std::string visits;
    for (const auto& v : m.visits) visits += (visits.empty() ? "" : ", ") + m.slug + "/" + v.key();
    return visits.empty() ? fmt::format("{} has no visits", m.name) : "its visits are " + visits;
  }
  std::string names;
  for (const auto& m : p.municipalities) names += (names.empty() ? "" : ", ") + m.slug;
  return "give a municipality's name or one of " + names + ", optionally with /DATE";
}

}  // namespace

std::string pack_status(PackHasher& hasher, const model::Municipality& m, const model::Visit& v,
                        const fs::path& out_dir) {
  const auto state = pack::check_pack(out_dir, m.slug, v.key(), false);
  if (state.kind == pack::PackState::Missing) return "missing";
  if (state.kind == pack::PackState::Damaged) return "stale";
  if (state.purged) return "purged";
  return state.inputs_hash == combined_hash(hasher.inputs(m, v)) ? "built" : "stale";
}

// Wall and CPU time per phase of a build, printed to stderr at the end when
// COURSEPACK_TIMINGS=1 (for benchmarks; not part of the normal output). CPU
// time counts this process's threads and the child processes (Pandoc) it
// has waited for.
class PhaseTimes {
 public:
  explicit PhaseTimes(bool on) : on_(on), last_(std::chrono::steady_clock::now()), last_cpu_(cpu_seconds()) {}
  ~PhaseTimes() {
    if (on_)
      for (const auto& [name, secs, cpu] : done_)
        std::cerr << fmt::format("timing: {:<12} {:.3f} s, cpu {:.3f} s\n", name, secs, cpu);
  }
  // Ends the phase running since the last call.
  void end(const char* name) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    const double cpu = cpu_seconds();
    done_.push_back({name, std::chrono::duration<double>(now - last_).count(), cpu - last_cpu_});
    last_ = now;
    last_cpu_ = cpu;
  }

 private:
  static double cpu_seconds() {
    double total = 0;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
      rusage u{};
      if (getrusage(who, &u) != 0) continue;
      for (const timeval& t : {u.ru_utime, u.ru_stime})
        total += static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    }
    return total;
  }
  struct Phase {
    const char* name;
    double wall, cpu;
  };
  bool on_;
  std::chrono::steady_clock::time_point last_;
  double last_cpu_;
  std::vector<Phase> done_;
};

int run_build(const Options& o, const Environment& env) {
  const auto started = std::chrono::steady_clock::now();
  PhaseTimes phases(env.timings);
  pack::set_fail_after_files(env.fail_after_files);  // a test hook; -1 = off
  Diagnostics checked;
  const fs::path root = fs::absolute(o.root);
  auto programme = validate::read_programme(root, checked);
  // With --keep-going, the visits whose own inputs have errors are left out
  // and named; an error every pack shares still stops everything.
  std::vector<std::string> not_built;
  bool only_left_out = false;  // --only names visits, and all of them were left out
  if (programme && checked.has_errors() && o.keep_going) {
    const auto owners = validate::error_owners(*programme, checked.all());
    if (owners.everything) {
      programme.reset();
    } else {
      for (auto& m : programme->municipalities) {
        for (const auto& v : m.visits)
          if (owners.visits.count(&v) && selected(o.only, m, v)) {
            not_built.push_back(m.slug + "/" + v.key());
            only_left_out = !o.only.empty();
          }
        std::erase_if(m.visits, [&](const model::Visit& v) { return owners.visits.count(&v) > 0; });
      }
      for (const auto& at : owners.unread_visits)
        not_built.push_back(fmt::format("the visit at {}:{}", at.path, at.line));
    }
  } else if (checked.has_errors()) {
    programme.reset();
  }
  if (!programme) {
    checked.print(std::cerr);
    std::cerr << fmt::format("coursepack: {} error(s), {} warning(s); nothing written\n", checked.error_count(),
                             checked.warning_count());
    if (o.keep_going) std::cerr << "  hint: the errors are in inputs every pack shares, so no pack was built\n";
    return kExitInput;
  }
  // Validation's diagnostics are printed with the build's at the end, or,
  // when visits were left out, now: before the packs that are built.
  Diagnostics diags;
  std::size_t warnings_printed = 0;
  const bool input_errors = checked.has_errors();
  if (!input_errors) {
    for (auto& d : checked.all()) diags.add(std::move(d));
  } else {
    checked.print(std::cerr);
    warnings_printed = checked.warning_count();
  }
  Shared s;
  s.programme = &*programme;
  s.out = o.out.empty() ? root / "out" : fs::absolute(o.out);
  s.pdf.creation_time = env.source_date_epoch;
  s.calendar_stamp = env.source_date_epoch.value_or(env.now);
  // One build per out/ at a time; a second one stops here (exit 3).
  pack::OutLock out_lock;
  if (auto err = pack::lock_out_dir(s.out, out_lock); !err.empty()) {
    std::cerr << "coursepack: error: " << err << "\n";
    return kExitEnvironment;
  }
  pack::clean_leftovers(s.out);  // an interrupted run's temporary folders; no one else writes now

  // Which visits, and which of them changed.
  std::vector<Job> jobs;
  for (const auto& m : programme->municipalities)
    for (const auto& v : m.visits)
      if (selected(o.only, m, v)) jobs.push_back({&m, &v});
  if (!o.only.empty() && jobs.empty() && !only_left_out) {
    std::cerr << fmt::format("coursepack: error: --only '{}' matches no municipality or visit\n  hint: {}\n", o.only,
                             only_hint(*programme, o.only));
    return kExitUsage;
  }
  phases.end("validate");
  PackHasher hasher(*programme);
  std::vector<std::vector<std::pair<std::string, std::string>>> inputs(jobs.size());
  std::vector<std::string> hash(jobs.size());
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    inputs[i] = hasher.inputs(*jobs[i].municipality, *jobs[i].visit);
    hash[i] = combined_hash(inputs[i]);
    // The pack's files against its manifest: sizes always, hashes with --verify.
    const auto state = pack::check_pack(s.out, jobs[i].municipality->slug, jobs[i].visit->key(), o.verify);
    if (state.purged) continue;  // past the retention period, its personal data removed: never made again
    if (state.kind == pack::PackState::Damaged && !o.quiet)
      std::cout << fmt::format("rebuilding {}/{}: {}\n", jobs[i].municipality->slug, jobs[i].visit->key(),
                               state.problem);
    if (o.force || state.kind != pack::PackState::Present || state.inputs_hash != hash[i]) todo.push_back(i);
  }
  phases.end("hash inputs");

  // Largest packs first (a pack's cost follows its participants), so no
  // thread is left with a big one at the end while the others idle.
  std::vector<std::size_t> order(todo.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return jobs[todo[a]].visit->participants.size() > jobs[todo[b]].visit->participants.size();
  });
  // A pack's documents made early, with their diagnostics kept apart until
  // the pack is built (deque: Diagnostics do not move).
  struct Early {
    std::optional<PackFiles> files;
    Diagnostics diags;
  };
  std::deque<Early> early(todo.size());

  if (!todo.empty()) {
    // What the packs need from the machine, said once for the whole run.
    std::vector<MissingRequirement> missing = missing_fonts(pack_fonts(programme->layouts));
    // The attendance sheets made below hyphenate.
    s.hyphenator = load_hyphenation(missing);
    if (!missing.empty()) {
      print_missing(missing, std::cerr);
      std::cerr << "coursepack: nothing written\n";
      return kExitEnvironment;
    }
    pack::clean_leftovers(s.out);
    // Pandoc once per module (cached on disk between runs).
    s.runner = std::make_unique<content::SystemProcessRunner>(std::getenv("PATH") ? std::getenv("PATH") : "");
    s.pandoc = env.pandoc;
    content::ProcessRunner& runner = *s.runner;
    content::PandocOptions popts;
    popts.program = env.pandoc;
    content::PandocCache cache(s.out / ".cache" / "pandoc", popts);
    std::set<std::string> needed, slugs;
    for (auto i : todo) {
      for (const auto& ref : programme->courses.at(jobs[i].visit->course).modules) needed.insert(ref.path);
      slugs.insert(jobs[i].municipality->slug);
    }
    // The texts (modules, then municipalities' notes); each keeps its
    // diagnostics apart, and they are reported in the order of the texts.
    struct Text {
      std::string module;                            // a module's path, or
      const model::Municipality* notes = nullptr;   // a municipality's notes
      std::string bytes;                             // the module's text
      Diagnostics diags;
      content::Status status = content::Status::Ok;
      std::string message;
    };
    std::deque<Text> texts(needed.size());  // Diagnostics do not move
    std::size_t t = 0;
    for (const auto& path : needed) texts[t++].module = path;
    for (const auto& m : programme->municipalities)
      if (slugs.count(m.slug) && !m.notes.empty()) {
        texts.emplace_back();
        texts.back().notes = &m;
      }
    for (auto& text : texts)
      if (!text.notes) {
        // The bytes validation read and the pack's hash records, not the file again.
        const auto* in = read_input(*programme, root / "materials" / text.module);
        text.bytes = in ? in->bytes : files::read_file(root / "materials" / text.module).bytes;
      }
    // Pandoc reads every text in one run; each task below then finds its
    // text's JSON in the cache and turns it into the document tree.
    std::vector<std::string_view> sources;
    for (const auto& text : texts) sources.push_back(text.notes ? std::string_view(text.notes->notes) : text.bytes);
    auto prefetched = std::async(std::launch::async, [&] {
      try {
        content::prefetch_texts(sources, runner, cache);
      } catch (...) {
        // Only an optimisation: each text then has its own run.
      }
    });
    // While Pandoc reads (one process, one core), this thread makes the
    // documents that need no course text, in the order the packs will be
    // built, until Pandoc is done.
    for (const std::size_t k : order) {
      if (prefetched.wait_for(std::chrono::seconds(0)) == std::future_status::ready) break;
      early[k].files = build_documents(s, jobs[todo[k]], early[k].diags);
    }
    prefetched.get();
    std::mutex parsed;
    const unsigned threads =
        o.jobs > 0 ? static_cast<unsigned>(o.jobs) : std::max(1u, std::thread::hardware_concurrency());
    parallel_for(texts.size(), threads, [&](std::size_t task) {
        Text& text = texts[task];
        if (text.notes) {
          const auto& m = *text.notes;
          auto blocks = content::parse_markdown_string(m.notes, SourceLoc{m.file, 0, 0}, runner, cache, text.diags);
          text.status = blocks.status;
          text.message = blocks.message;
          std::lock_guard lock(parsed);
          if (blocks.status == content::Status::Ok) s.notes[m.slug] = std::move(blocks.blocks);
        } else {
          auto mod = content::parse_module("materials/" + text.module, text.bytes, runner, cache, text.diags);
          text.status = mod.status;
          text.message = mod.message;
          std::lock_guard lock(parsed);
          if (mod.status == content::Status::Ok) s.modules[text.module] = std::move(mod.module);
        }
    });
    bool env_error = false;
    for (const auto& text : texts) {
      if (text.status == content::Status::EnvironmentError) {
        // Pandoc itself is the problem: the same for every text, said once.
        std::cerr << "coursepack: error: " << text.message << "\n";
        env_error = true;
        break;
      }
      for (auto& d : text.diags.all()) diags.add(std::move(d));
    }
    s.pandoc_version = cache.version();
    phases.end("texts");
    if (diags.has_errors() || env_error) {
      diags.print(std::cerr);
      return env_error ? kExitEnvironment : kExitInput;
    }
  }

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t n_threads = std::min<std::size_t>(o.jobs > 0 ? static_cast<std::size_t>(o.jobs) : cores,
                                                      std::max<std::size_t>(todo.size(), 1));

  // handout.html: what the changed packs' pages need and the cache lacks,
  // converted by Pandoc in a few runs for all of them.
  std::vector<std::size_t> html_pages(todo.size());
  if (!todo.empty()) {
    // Keyed by Pandoc's version too: an upgraded Pandoc converts afresh.
    s.html = std::make_unique<content::HtmlPages>(std::string(COURSEPACK_VERSION) + '\n' + s.pandoc_version,
                                                  s.out / ".cache" / "html", *s.runner, s.pandoc);
    parallel_for(todo.size(), static_cast<unsigned>(n_threads), [&](std::size_t k) {
      const Job& job = jobs[todo[k]];
      html_pages[k] = s.html->add(documents::handout_blocks(handout_input(s, job)), html_meta(s, job));
    });
    phases.end("html blocks");
    s.html_converted = std::async(std::launch::async, [&s, n_threads] {
                         std::string error;
                         return s.html->convert(static_cast<unsigned>(n_threads), error) ? std::string{} : error;
                       }).share();
  }

  // Build the changed packs on N threads.
  std::atomic<int> pages{0};
  std::vector<JobResult> results(todo.size());
  Progress progress(Progress::mode_for(o.quiet, env.stderr_is_terminal), todo.size(), std::cout, std::cerr,
                    Progress::steady_clock_since(std::chrono::steady_clock::now()));
  parallel_for(todo.size(), static_cast<unsigned>(n_threads), [&](std::size_t j) {
    const std::size_t k = order[j];
    const std::size_t i = todo[k];
    const std::string name = jobs[i].municipality->slug + "/" + jobs[i].visit->key();
    progress.started(name);
    PackFiles documents;
    if (early[k].files) {
      documents = std::move(*early[k].files);
      for (auto& d : early[k].diags.all()) diags.add(std::move(d));
    } else {
      documents = build_documents(s, jobs[i], diags);
    }
    results[k] = build_pack(s, jobs[i], html_pages[k], std::move(documents), inputs[i], hash[i], diags);
    pages += results[k].pages;
    progress.finished(name, results[k].ok);
  });
  progress.close();
  phases.end("packs+html");
  // Pandoc failing on handout.html stops the build as an input error
  // would: one message, and no pack of this run is kept.
  if (s.html_converted.valid()) {
    if (const std::string& error = s.html_converted.get(); !error.empty()) {
      std::cerr << "coursepack: error: handout.html: " << error << "\n";
      pack::clean_leftovers(s.out);
      return kExitEnvironment;
    }
  }

  // Every pack written is made durable at once and swapped in.
  std::vector<pack::StagedPack> staged;
  for (const auto& r : results)
    if (r.ok) staged.push_back(r.staged);
  if (auto e = pack::commit_packs(staged); !e.empty()) {
    std::cerr << "coursepack: error: " << e << "\n";
    return kExitEnvironment;
  }
  pack::clean_leftovers(s.out);  // the old packs swapped out, and the journal of this run's temporary folders
  phases.end("commit");

  diags.print(std::cerr);
  int status = input_errors ? kExitInput : kExitOk;
  for (const auto& name : not_built)
    std::cerr << fmt::format("coursepack: not built: {} (its errors are above)\n", name);
  std::size_t built = 0;
  for (std::size_t k = 0; k < todo.size(); ++k) {
    if (results[k].ok) {
      ++built;
      continue;
    }
    const auto& j = jobs[todo[k]];
    std::cerr << fmt::format("coursepack: error: {}/{}: {}\n", j.municipality->slug, j.visit->key(), results[k].error);
    status = results[k].environment ? kExitEnvironment : std::max(status, kExitInput);
  }
  // Packs whose visit is no longer in the data are removed (a full build
  // only, and not while visits are left out for their errors).
  // A held visit's pack stays: the record of a training that took place.
  std::size_t removed = 0;
  std::set<std::string> wanted;
  for (const auto& m : programme->municipalities)
    for (const auto& v : m.visits) wanted.insert(m.slug + "/" + v.key());
  const std::vector<std::string> kept = input_errors ? std::vector<std::string>{} : pack::held_packs_except(s.out, wanted);
  if (o.only.empty() && !input_errors) {
    for (const auto& name : kept)
      if (!o.quiet)
        std::cout << fmt::format("kept {} (a held visit's records; its visit is no longer in the data)\n", name);
    for (const auto& r : pack::remove_packs_except(s.out, wanted)) {
      ++removed;
      if (!o.quiet)
        std::cout << (r.kept ? fmt::format("removed {}'s files (its visit is no longer in the data); the folder "
                                           "keeps files coursepack did not write\n", r.name)
                             : fmt::format("removed {} (its visit is no longer in the data)\n", r.name));
    }
  }
  // Every certificate issued, kept beyond the packs (out/register.csv).
  if (auto e = update_certificate_register(*programme, s.out, o.only); !e.empty()) {
    std::cerr << "coursepack: error: " << e << "\n";
    return kExitEnvironment;
  }
  // Every visit as a calendar entry, for the coordinator's calendar;
  // rewritten only when an entry changed.
  if (!todo.empty() || removed > 0 || !fs::exists(s.out / "calendar.ics")) {
    const std::string ics = calendar::programme_ics(*programme, s.calendar_stamp);
    const auto have = files::read_file(s.out / "calendar.ics", 256u * 1024u * 1024u);
    if (have.status != files::ReadStatus::Ok || have.bytes != ics) {
      if (auto e = pack::write_file(s.out / "calendar.ics", ics, 0600); !e.empty()) {
        std::cerr << "coursepack: error: " << e << "\n";
        return kExitEnvironment;
      }
    }
  }
  if (!todo.empty() || removed > 0 || !kept.empty() || !fs::exists(s.out / "index.html")) {
    const long long when = env.source_date_epoch.value_or(env.now);
    if (auto e = pack::write_file(s.out / "index.html", index_page(*programme, s.out, when, kept), 0600); !e.empty()) {
      std::cerr << "coursepack: error: " << e << "\n";
      return kExitEnvironment;
    }
  }
  phases.end("finish");
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!o.quiet)
    std::cout << fmt::format("{} built, {}{} unchanged, {} removed, {}{} pages, {:.2f} s, {} warning(s)\n", built,
                             not_built.empty() ? "" : fmt::format("{} not built, ", not_built.size()),
                             jobs.size() - todo.size(), removed,
                             kept.empty() ? "" : fmt::format("{} kept, ", kept.size()), pages.load(), secs,
                             diags.warning_count() + warnings_printed);
  return status;
}

}  // namespace cp::app
