// Running an external program (Pandoc): an argument vector, never a shell;
// a scrubbed environment; a timeout that kills; bounded output.
//
// `ProcessRunner` is the seam: `app` injects a `SystemProcessRunner`, tests
// inject fakes. Nothing else in coursepack starts processes.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace cp::content {

struct ProcessRequest {
  std::vector<std::string> argv;  // argv[0] is the program: a name looked up on PATH, or a path
  std::string stdin_bytes;        // written to the child's stdin, which is then closed
  std::chrono::milliseconds timeout{30'000};
  std::size_t max_output = 64u * 1024u * 1024u;  // stdout + stderr; beyond it the child is killed
  // The child's whole environment as KEY=VALUE; empty = the runner's default
  // (see scrubbed_environment).
  std::vector<std::string> env;
};

enum class ProcessStatus {
  Exited,          // ran to its end; see exit_code
  Signaled,        // killed by a signal it did not expect (exit_code = 128 + signal)
  TimedOut,        // killed (SIGKILL) after the timeout
  OutputTooLarge,  // killed (SIGKILL) after writing more than max_output bytes
  NotFound,        // the program is not on PATH / does not exist / is not executable
  StartFailed,     // pipes or spawn failed for another reason (see error)
};

struct ProcessResult {
  ProcessStatus status = ProcessStatus::Exited;
  int exit_code = -1;  // the exit status when Exited; -1 when it never ran
  std::string out;     // stdout
  std::string err;     // stderr
  std::string error;   // for anything but Exited: what went wrong, in English

  bool timed_out() const { return status == ProcessStatus::TimedOut; }
  bool ok() const { return status == ProcessStatus::Exited && exit_code == 0; }
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs the program to completion (or kills it); never throws, never leaves
  // a zombie. Safe to call from several threads at once.
  virtual ProcessResult run(const ProcessRequest& request) = 0;
  // The file run() would start for `program`, when the runner can tell
  // without starting it (for keying caches by the program's identity).
  virtual std::optional<std::string> locate(const std::string& program) const {
    (void)program;
    return std::nullopt;
  }
};

// A minimal environment for children: PATH (the given one, or a standard
// default when empty), LANG/LC_ALL=C.UTF-8 and HOME=/nonexistent, so no user
// configuration or locale leaks into the output.
std::vector<std::string> scrubbed_environment(const std::string& path_variable);

// The real runner: posix_spawn with pipes and poll(); the child runs in its
// own process group, which is killed as a whole on timeout, and once the
// child has exited (a grandchild holding its output does not keep the run
// waiting for more than a second).
class SystemProcessRunner final : public ProcessRunner {
 public:
  // `path_variable` is the PATH used to find programs and given to children;
  // `app` passes the user's PATH (determinism by injection).
  explicit SystemProcessRunner(std::string path_variable);
  ProcessResult run(const ProcessRequest& request) override;
  std::optional<std::string> locate(const std::string& program) const override;

 private:
  std::string path_;
};

// Called once by `app` before it starts any thread: SIGINT, SIGTERM and
// SIGHUP are then taken by a thread of their own, which kills the process
// group of every child SystemProcessRunner has running (and lets no new one
// start) before the process ends by that signal. So an interrupted build
// never leaves a Pandoc behind.
void kill_children_on_termination();

// One line, e.g. "pandoc: not found on PATH", for diagnostics.
std::string describe(const ProcessResult& result, const std::string& program);

}  // namespace cp::content
