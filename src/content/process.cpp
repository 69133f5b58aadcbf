#include "content/process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <thread>

namespace cp::content {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kDefaultPath = "/usr/local/bin:/usr/bin:/bin";

// A file descriptor closed on scope exit.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

std::string errno_text(int err) { return std::strerror(err); }

// A close-on-exec pipe whose ends are above the standard descriptors, so a
// dup2 onto 0/1/2 in the child never meets an end already sitting there.
bool make_pipe(Fd& read_end, Fd& write_end, int& err) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    err = errno;
    return false;
  }
  Fd raw[2] = {Fd(fds[0]), Fd(fds[1])};
  Fd* ends[2] = {&read_end, &write_end};
  for (int i = 0; i < 2; ++i) {
    if (raw[i].get() > 2) {
      *ends[i] = std::move(raw[i]);
      continue;
    }
    const int moved = ::fcntl(raw[i].get(), F_DUPFD_CLOEXEC, 3);
    if (moved < 0) {
      err = errno;
      return false;
    }
    *ends[i] = Fd(moved);
  }
  return true;
}

void set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The program's path: as given when it contains a slash, else the first
// match on PATH. Empty PATH elements (the current directory) are skipped.
std::optional<std::string> resolve_program(const std::string& program, std::string_view path_variable) {
  if (program.empty()) return std::nullopt;
  if (program.find('/') != std::string::npos)
    return is_executable_file(program) ? std::optional<std::string>(program) : std::nullopt;
  std::size_t start = 0;
  while (start <= path_variable.size()) {
    std::size_t end = path_variable.find(':', start);
    if (end == std::string_view::npos) end = path_variable.size();
    const std::string_view dir = path_variable.substr(start, end - start);
    if (!dir.empty()) {
      std::string candidate(dir);
      if (candidate.back() != '/') candidate += '/';
      candidate += program;
      if (is_executable_file(candidate)) return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::string path_of_env(const std::vector<std::string>& env, const std::string& fallback) {
  for (const auto& kv : env)
    if (kv.rfind("PATH=", 0) == 0) return kv.substr(5);
  return fallback;
}

// Blocks SIGPIPE in the calling thread while we write to a child that may
// have exited, and discards a SIGPIPE that our own writes raised.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_set_);
    sigaddset(&pipe_set_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_set_, &old_mask_);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;
  ~SigpipeGuard() {
    if (!was_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec zero{0, 0};
        while (sigtimedwait(&pipe_set_, nullptr, &zero) < 0 && errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }

 private:
  sigset_t pipe_set_{};
  sigset_t old_mask_{};
  bool was_pending_ = false;
};

// The children running now, by pid (each leads its own process group).
// Guarded by `children_mutex`; a child is entered before its spawn returns
// to anyone and removed only while it is still a zombie (its pid, and so
// its group's id, not free for reuse), so killing every group listed never
// hits a stranger.
std::mutex children_mutex;
std::set<pid_t> children;
bool terminating = false;  // a termination signal arrived: no new children

void forget_child(pid_t pid) {
  std::lock_guard lock(children_mutex);
  children.erase(pid);
}

// Kills the child's whole process group (grandchildren holding its pipes
// included) while the child is a zombie or alive, then reaps it.
void kill_and_reap(pid_t pid, int& wait_status) {
  ::kill(-pid, SIGKILL);  // the child's process group (it leads it)
  ::kill(pid, SIGKILL);
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
  }
  forget_child(pid);
  while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
}

// True once the child has exited (it stays a zombie until reaped).
bool child_exited(pid_t pid) {
  siginfo_t info{};
  info.si_pid = 0;
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

// Waits for SIGINT, SIGTERM and SIGHUP (blocked in every other thread),
// kills every child's process group, then ends the process by the same
// signal with its default action.
void termination_thread(sigset_t set) {
  int sig = 0;
  while (::sigwait(&set, &sig) != 0) {
  }
  {
    std::lock_guard lock(children_mutex);
    terminating = true;
    for (const pid_t pid : children) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
    }
  }
  ::signal(sig, SIG_DFL);
  sigset_t just;
  sigemptyset(&just);
  sigaddset(&just, sig);
  ::pthread_sigmask(SIG_UNBLOCK, &just, nullptr);
  ::raise(sig);
  ::_exit(128 + sig);  // not reached
}

// The child's ends of its three pipes and ours.
struct ChildPipes {
  Fd in_read, in_write, out_read, out_write, err_read, err_write;
};

// Starts `program` in a process group of its own, its standard streams on
// the pipes, every signal unblocked and the usual ones at their defaults,
// and enters it in the list of children. 0 or the error posix_spawn gave
// (EINTR once a termination signal has arrived).
int spawn_child(const std::string& program, const std::vector<std::string>& args,
                const std::vector<std::string>& env, const ChildPipes& pipes, pid_t& pid) {
  // Everything the child needs is prepared before it starts.
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&actions, pipes.in_read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, pipes.out_write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, pipes.err_write.get(), 2);
  sigset_t no_signals, default_signals;
  sigemptyset(&no_signals);
  sigemptyset(&default_signals);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2})
    sigaddset(&default_signals, sig);
  posix_spawnattr_setsigmask(&attr, &no_signals);
  posix_spawnattr_setsigdefault(&attr, &default_signals);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  int spawn_error = 0;
  {
    // Entered in the list of children before a termination signal can look.
    std::lock_guard lock(children_mutex);
    if (terminating) {
      spawn_error = EINTR;
    } else {
      spawn_error = ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
      if (spawn_error == 0) children.insert(pid);
    }
  }
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return spawn_error;
}

// Writes what is left of `bytes` to the child's stdin as far as the pipe
// takes it; closes the pipe once all is written or the child reads no more.
void feed_stdin(Fd& fd, const std::string& bytes, std::size_t& written) {
  while (written < bytes.size()) {
    const std::size_t chunk = std::min<std::size_t>(bytes.size() - written, 65536);
    const ssize_t w = ::write(fd.get(), bytes.data() + written, chunk);
    if (w > 0) {
      written += static_cast<std::size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    written = bytes.size();  // EPIPE or worse: the child will not read on
  }
  if (written >= bytes.size()) fd.reset();
}

// Reads what the pipe has into `sink`; closes it at its end (or a read
// error). False once out and err together pass `max_output`.
bool drain(Fd& fd, std::string& sink, const ProcessResult& result, std::size_t max_output) {
  char buffer[65536];
  for (;;) {
    const ssize_t r = ::read(fd.get(), buffer, sizeof buffer);
    if (r > 0) {
      sink.append(buffer, static_cast<std::size_t>(r));
      if (result.out.size() + result.err.size() > max_output) return false;
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    fd.reset();  // end of file or a read error
    return true;
  }
}

// Whole milliseconds left, rounded up: 0 only once the deadline has passed.
long long remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return std::max<long long>(left, 0);
}

// Feeds stdin and collects stdout and stderr until the pipes close. Once
// the child has exited, what is left of its group (a grandchild holding its
// stdout) is killed, and the pipes are read only until they close or a
// short grace ends. At the deadline, on a poll error or when the output
// grows too large the group is killed and the child reaped: then `result`
// says why and the return is true (killed).
bool pump(pid_t pid, ChildPipes& p, const ProcessRequest& request, Clock::time_point deadline,
          ProcessResult& result, int& wait_status) {
  std::size_t written = 0;
  std::optional<Clock::time_point> exited_at;
  while (p.in_write.open() || p.out_read.open() || p.err_read.open()) {
    if (!exited_at && child_exited(pid)) {
      ::kill(-pid, SIGKILL);
      exited_at = Clock::now();
      p.in_write.reset();
    }
    if (exited_at && Clock::now() - *exited_at > std::chrono::milliseconds(1000)) break;
    const long long left = remaining_ms(deadline);
    if (left <= 0) {
      kill_and_reap(pid, wait_status);
      result.status = ProcessStatus::TimedOut;
      return true;
    }
    pollfd fds[3];
    Fd* owners[3];
    nfds_t n = 0;
    for (auto [fd, events] : {std::pair{&p.in_write, POLLOUT}, {&p.out_read, POLLIN}, {&p.err_read, POLLIN}}) {
      if (!fd->open()) continue;
      fds[n] = {fd->get(), static_cast<short>(events), 0};
      owners[n++] = fd;
    }
    // Woken at least every 50 ms to see whether the child has exited.
    const int ready = ::poll(fds, n, static_cast<int>(std::min<long long>(left, 50)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      kill_and_reap(pid, wait_status);
      result.status = ProcessStatus::StartFailed;
      result.error = "poll failed: " + errno_text(errno);
      return true;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      Fd& fd = *owners[i];
      if (&fd == &p.in_write) {
        feed_stdin(fd, request.stdin_bytes, written);
        continue;
      }
      if (!drain(fd, &fd == &p.out_read ? result.out : result.err, result, request.max_output)) {
        kill_and_reap(pid, wait_status);
        result.status = ProcessStatus::OutputTooLarge;
        result.error = "wrote more than " + std::to_string(request.max_output / (1024 * 1024)) + " MB of output";
        return true;
      }
    }
  }
  return false;
}

// The pipes are closed: waits for the exit itself, still within the
// deadline, and reaps the child after killing anything it left running in
// its group. At the deadline it is killed: true (TimedOut in `result`).
bool reap(pid_t pid, Clock::time_point deadline, ProcessResult& result, int& wait_status) {
  for (;;) {
    if (child_exited(pid)) {
      ::kill(-pid, SIGKILL);  // anything the child left running in its group
      forget_child(pid);
      while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
      }
      return false;
    }
    if (remaining_ms(deadline) <= 0) {
      kill_and_reap(pid, wait_status);
      result.status = ProcessStatus::TimedOut;
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// How the child ended, from its wait status.
void read_exit(int wait_status, ProcessResult& result) {
  if (WIFEXITED(wait_status)) {
    result.status = ProcessStatus::Exited;
    result.exit_code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    result.status = ProcessStatus::Signaled;
    result.exit_code = 128 + WTERMSIG(wait_status);
    result.error = std::string("killed by signal ") + std::to_string(WTERMSIG(wait_status));
  }
}

}  // namespace

void kill_children_on_termination() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, sig);
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every thread started later
  std::thread(termination_thread, set).detach();
}

std::vector<std::string> scrubbed_environment(const std::string& path_variable) {
  return {"PATH=" + (path_variable.empty() ? std::string(kDefaultPath) : path_variable), "LANG=C.UTF-8",
          "LC_ALL=C.UTF-8", "HOME=/nonexistent"};
}

SystemProcessRunner::SystemProcessRunner(std::string path_variable)
    : path_(path_variable.empty() ? std::string(kDefaultPath) : std::move(path_variable)) {}

std::optional<std::string> SystemProcessRunner::locate(const std::string& program) const {
  return resolve_program(program, path_);
}

ProcessResult SystemProcessRunner::run(const ProcessRequest& request) {
  ProcessResult result;
  if (request.argv.empty() || request.argv[0].empty()) {
    result.status = ProcessStatus::StartFailed;
    result.error = "no program given";
    return result;
  }
  const std::vector<std::string> env = request.env.empty() ? scrubbed_environment(path_) : request.env;
  const auto program = resolve_program(request.argv[0], path_of_env(env, path_));
  if (!program) {
    result.status = ProcessStatus::NotFound;
    result.error = request.argv[0].find('/') == std::string::npos
                       ? "not found on PATH"
                       : "no such executable file";
    return result;
  }

  ChildPipes pipes;
  int err = 0;
  if (!make_pipe(pipes.in_read, pipes.in_write, err) || !make_pipe(pipes.out_read, pipes.out_write, err) ||
      !make_pipe(pipes.err_read, pipes.err_write, err)) {
    result.status = ProcessStatus::StartFailed;
    result.error = "cannot create pipes: " + errno_text(err);
    return result;
  }
  pid_t pid = -1;
  const int spawn_error = spawn_child(*program, request.argv, env, pipes, pid);
  if (spawn_error != 0) {
    result.status = (spawn_error == ENOENT || spawn_error == EACCES || spawn_error == ENOEXEC)
                        ? ProcessStatus::NotFound
                        : ProcessStatus::StartFailed;
    result.error = "cannot start: " + errno_text(spawn_error);
    return result;
  }
  pipes.in_read.reset();
  pipes.out_write.reset();
  pipes.err_write.reset();
  set_nonblocking(pipes.in_write.get());
  set_nonblocking(pipes.out_read.get());
  set_nonblocking(pipes.err_read.get());

  SigpipeGuard sigpipe_guard;
  const auto deadline = Clock::now() + request.timeout;
  if (request.stdin_bytes.empty()) pipes.in_write.reset();
  int wait_status = 0;
  const bool killed =
      pump(pid, pipes, request, deadline, result, wait_status) || reap(pid, deadline, result, wait_status);
  if (result.status == ProcessStatus::TimedOut) {
    result.error = "did not finish within " + std::to_string(request.timeout.count()) + " ms and was killed";
    return result;
  }
  if (!killed) read_exit(wait_status, result);
  return result;
}

std::string describe(const ProcessResult& r, const std::string& program) {
  switch (r.status) {
    case ProcessStatus::Exited:
      return program + ": exited with status " + std::to_string(r.exit_code);
    case ProcessStatus::Signaled:
    case ProcessStatus::TimedOut:
    case ProcessStatus::OutputTooLarge:
    case ProcessStatus::NotFound:
    case ProcessStatus::StartFailed:
      return program + ": " + r.error;
  }
  return program + ": " + r.error;
}

}  // namespace cp::content
