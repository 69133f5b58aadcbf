// The out/ folder lock: one `coursepack build` writes to an out/ folder at a
// time. A second run on the same folder fails at once (it does not wait),
// so two runs never interleave their packs.
#pragma once

#include <filesystem>
#include <string>

namespace cp::pack {

// Holds `out/.lock` with flock(LOCK_EX | LOCK_NB) for its lifetime. The
// kernel drops the lock when the process ends, however it ends (SIGKILL
// included), so a stale lock file never blocks the next run.
class OutLock {
 public:
  OutLock() = default;
  OutLock(const OutLock&) = delete;
  OutLock& operator=(const OutLock&) = delete;
  OutLock(OutLock&& other) noexcept;
  OutLock& operator=(OutLock&& other) noexcept;
  ~OutLock();

  bool held() const { return fd_ >= 0; }

 private:
  friend std::string lock_out_dir(const std::filesystem::path& out_dir, OutLock& lock);
  int fd_ = -1;
};

// Claims out_dir (claim_out_dir: created 0700 with coursepack's marker when
// missing; a non-empty folder without the marker refused) and takes its
// lock. Returns an empty string, or the one-line error for the user
// (without the "coursepack: error:" prefix): the folder is not coursepack's,
// the lock is held by another run, or out_dir is not writable.
std::string lock_out_dir(const std::filesystem::path& out_dir, OutLock& lock);

}  // namespace cp::pack
