// A counted loop on a few threads.
#pragma once

#include <cstddef>
#include <functional>

namespace cp {

// Calls task(0) … task(count - 1), each once, on up to `threads` threads
// (the caller's among them), taking indexes in order as threads come free.
// Returns when all are done. `task` must not throw.
void parallel_for(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& task);

}  // namespace cp
