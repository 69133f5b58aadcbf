#include "app/publish.h"

#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <set>
#include <thread>

#include "core/files.h"
#include "pack/cache.h"
#include "pack/lock.h"
#include "pack/ownership.h"
#include "pack/retention.h"
#include "pack/pack.h"
#include "validate/validate.h"
#include "verify/page.h"
#include "verify/register.h"

namespace cp::app {

namespace fs = std::filesystem;

namespace {

constexpr const char* kRegisterFile = ".register.json";
constexpr const char* kRegisterCsv = "register.csv";
constexpr const char* kKeyCacheFile = "verify-keys.json";

// Writes `bytes` unless the file already holds them.
std::string write_if_changed(const fs::path& path, const std::string& bytes) {
  const auto have = files::read_file(path, 256u * 1024u * 1024u);
  if (have.status == files::ReadStatus::Ok && have.bytes == bytes) return {};
  return pack::write_file(path, bytes, 0600);
}

}  // namespace

std::string update_certificate_register(const model::Programme& programme, const fs::path& out,
                                        const std::string& only) {
  verify::Register previous;
  const auto have = files::read_file(out / kRegisterFile, 256u * 1024u * 1024u);
  if (have.status == files::ReadStatus::Ok) {
    std::string error;
    auto parsed = verify::parse_register(have.bytes, error);
    if (!parsed)
      return fmt::format("{} is damaged ({}); it records every certificate ever issued: restore it from a backup",
                         (out / kRegisterFile).string(), error);
    previous = std::move(*parsed);
  }
  // A held visit's kept pack (its visit no longer in the data) keeps its
  // certificates as they were issued.
  std::set<std::string> wanted;
  for (const auto& m : programme.municipalities)
    for (const auto& v : m.visits) wanted.insert(m.slug + "/" + v.key());
  const auto held = pack::held_packs_except(out, wanted);
  std::set<std::string> kept(held.begin(), held.end());
  // A purged pack's certificates are a count in the register: the names
  // still in the inputs do not come back.
  for (const auto& name : pack::purged_packs(out)) kept.insert(name);
  auto in_scope = [&only, &kept](const std::string& slug, const std::string& visit) {
    if (kept.count(slug + "/" + visit)) return false;
    if (only.empty()) return true;
    const auto slash = only.find('/');
    if (slash == std::string::npos) return only == slug;
    return only.substr(0, slash) == slug && only.substr(slash + 1) == visit;
  };
  const auto now = verify::update_register(previous, programme, in_scope, only.empty());
  if (auto e = write_if_changed(out / kRegisterFile, verify::register_json(now)); !e.empty()) return e;
  return write_if_changed(out / kRegisterCsv, verify::register_csv(now));
}

std::string erase_from_register(const fs::path& out, const std::vector<std::string>& packs,
                                const std::string& erased_on, bool dry_run, std::size_t& rows) {
  rows = 0;
  const auto have = files::read_file(out / kRegisterFile, 256u * 1024u * 1024u);
  if (have.status != files::ReadStatus::Ok) return {};  // no certificate recorded yet
  std::string error;
  auto reg = verify::parse_register(have.bytes, error);
  if (!reg)
    return fmt::format("{} is damaged ({}); it records every certificate ever issued: restore it from a backup",
                       (out / kRegisterFile).string(), error);
  const std::size_t before = reg->entries.size();
  for (const auto& name : packs) {
    const auto slash = name.find('/');
    verify::erase_visit(*reg, name.substr(0, slash), name.substr(slash + 1), erased_on);
  }
  rows = before - reg->entries.size();
  if (dry_run || rows == 0) return {};
  if (auto e = write_if_changed(out / kRegisterFile, verify::register_json(*reg)); !e.empty()) return e;
  return write_if_changed(out / kRegisterCsv, verify::register_csv(*reg));
}

int run_publish(const Options& o, const Environment& env) {
  (void)env;
  Diagnostics diags;
  const fs::path root = fs::absolute(o.root);
  const auto programme = validate::load_programme(root, diags);
  if (!programme) {
    diags.print(std::cerr);
    std::cerr << fmt::format("coursepack: {} error(s); nothing written\n", diags.error_count());
    return kExitInput;
  }
  const fs::path out = o.out.empty() ? root / "out" : fs::absolute(o.out);
  pack::OutLock lock;
  if (auto err = pack::lock_out_dir(out, lock); !err.empty()) {
    std::cerr << "coursepack: error: " << err << "\n";
    return kExitEnvironment;
  }
  const auto have = files::read_file(out / kRegisterFile, 256u * 1024u * 1024u);
  if (have.status != files::ReadStatus::Ok) {
    std::cerr << fmt::format("coursepack: error: no certificate register in {}; run 'coursepack build' first\n",
                             out.string());
    return kExitInput;
  }
  std::string error;
  const auto reg = verify::parse_register(have.bytes, error);
  if (!reg) {
    std::cerr << fmt::format("coursepack: error: {}: {}\n", (out / kRegisterFile).string(), error);
    return kExitEnvironment;
  }
  const auto cached = files::read_file(pack::cache_path(out, kKeyCacheFile), 256u * 1024u * 1024u);
  verify::KeyCache cache = verify::parse_key_cache(cached.status == files::ReadStatus::Ok ? cached.bytes : "");
  const std::size_t before = cache.size();
  const unsigned threads =
      o.jobs > 0 ? static_cast<unsigned>(o.jobs) : std::max(1u, std::thread::hardware_concurrency());
  const auto started = std::chrono::steady_clock::now();
  const auto files = verify::verification_page(*reg, programme->project, cache, threads);
  if (auto e = pack::write_folder(out, "verify", files); !e.empty()) {
    std::cerr << "coursepack: error: " << e << "\n";
    return kExitEnvironment;
  }
  if (auto e = pack::write_cache_file(out, kKeyCacheFile, verify::key_cache_json(cache)); !e.empty()) {
    std::cerr << "coursepack: error: " << e << "\n";
    return kExitEnvironment;
  }
  std::size_t valid = 0, planned = 0, revoked = 0;
  for (const auto& e : reg->entries)
    (e.status == verify::Status::Valid ? valid : e.status == verify::Status::Planned ? planned : revoked)++;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // The cache holds one entry for the parameters besides the codes.
  const std::size_t derived = cache.size() - std::min(cache.size(), before + (before == 0 ? 1 : 0));
  if (!o.quiet)
    std::cout << fmt::format("wrote {}: {} certificates ({} valid, {} planned, {} revoked), {} new keys, {:.2f} s\n",
                             (out / "verify").string(), reg->entries.size(), valid, planned, revoked, derived, secs);
  return kExitOk;
}

}  // namespace cp::app
