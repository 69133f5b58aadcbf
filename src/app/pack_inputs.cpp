#include "app/pack_inputs.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <system_error>

#include "core/file_store.h"
#include "core/files.h"
#include "core/sha256.h"
#include "pack/pack.h"

namespace cp::app {

namespace fs = std::filesystem;

const model::Programme::Input* read_input(const model::Programme& programme, const fs::path& p) {
  if (auto it = programme.inputs.find(p.string()); it != programme.inputs.end()) return &it->second;
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(p, ec);
  if (auto it = programme.inputs.find(real.string()); !ec && it != programme.inputs.end()) return &it->second;
  return nullptr;
}

namespace {

// Hashes of input files: of the bytes validation parsed, or (for files it
// does not parse, such as images) of the bytes the run's file store read,
// which layout and render then use too.
class FileHashes {
 public:
  FileHashes(const model::Programme& programme, files::FileStore& store) : programme_(programme), store_(store) {}
  std::string of(const fs::path& p) {
    if (const auto* in = read_input(programme_, p)) return in->sha256;
    const auto f = store_.get(p);
    return f->status == files::ReadStatus::Ok ? f->sha256 : "missing";
  }

 private:
  const model::Programme& programme_;
  files::FileStore& store_;
};

// The municipality's data and one of its visits as text, for hashing.
std::string visit_text(const model::Municipality& m, const model::Visit& v) {
  std::string t;
  auto field = [&t](const std::string& value) {
    t += value;
    t += '\x1f';
  };
  for (const auto* f : {&m.slug, &m.name, &m.code, &m.local_notes}) field(*f);
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
  files::FileStore own_store;
  FileHashes files;
  std::string project;
  std::string contacts;
  std::vector<std::pair<std::string, std::string>> layouts;
  Impl(const model::Programme& p, files::FileStore* store) : programme(p), files(p, store ? *store : own_store) {}
};

PackHasher::PackHasher(const model::Programme& p, files::FileStore* store)
    : impl_(std::make_unique<Impl>(p, store)) {
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

std::string combined_hash(const std::vector<std::pair<std::string, std::string>>& inputs) {
  std::string all;
  for (const auto& [name, hash] : inputs) all += name + '\0' + hash + '\n';
  return sha256_hex(all);
}

std::string pack_status(PackHasher& hasher, const model::Municipality& m, const model::Visit& v,
                        const fs::path& out_dir) {
  const auto state = pack::check_pack(out_dir, m.slug, v.key(), false);
  if (state.kind == pack::PackState::Missing) return "missing";
  if (state.kind == pack::PackState::Damaged) return "stale";
  if (state.purged) return "purged";
  return state.inputs_hash == combined_hash(hasher.inputs(m, v)) ? "built" : "stale";
}

}  // namespace cp::app
