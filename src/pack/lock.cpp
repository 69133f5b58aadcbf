#include "pack/lock.h"

#include "pack/ownership.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace cp::pack {

OutLock::OutLock(OutLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

OutLock& OutLock::operator=(OutLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

OutLock::~OutLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the flock
}

std::string lock_out_dir(const std::filesystem::path& out_dir, OutLock& lock) {
  if (auto e = claim_out_dir(out_dir); !e.empty()) return e;
  const std::filesystem::path file = out_dir / ".lock";
  // O_NOFOLLOW: a symlink planted at out/.lock is refused, not followed.
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return "cannot open " + file.string() + ": " + std::strerror(errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK)
      return "another coursepack build is writing to " + out_dir.string() +
             " (lock held); try again when it has finished";
    return "cannot lock " + file.string() + ": " + std::strerror(err);
  }
  lock = OutLock{};
  lock.fd_ = fd;
  return {};
}

}  // namespace cp::pack
