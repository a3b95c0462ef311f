#include "serve/worker_pool.hpp"

#include <iostream>
#include <system_error>
#include <thread>
#include <utility>

namespace helpmark::cli::serve {

WorkerPool::WorkerPool(std::size_t min_threads, std::size_t max_threads, std::chrono::milliseconds idle_exit)
    : min_threads_(min_threads), max_threads_(max_threads < min_threads ? min_threads : max_threads),
      idle_exit_(idle_exit) {
  std::lock_guard lock(mu_);
  while (threads_ < min_threads_) start_thread();
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::start_thread() {
  // Detached: a thread that ends after idling is never joined; shutdown() waits on the count.
  try {
    std::thread([this] { work(); }).detach();
    ++threads_;
  } catch (const std::system_error& e) {
    // Out of threads (ulimit -u): the queued job waits for a running thread instead.
    std::cerr << "helpmark serve: warning: cannot start a worker thread: " << e.what() << "\n";
  }
}

void WorkerPool::enqueue(std::function<void()> job) {
  std::lock_guard lock(mu_);
  jobs_.push_back(std::move(job));
  // Every queued job needs a thread of its own: a connection may hold one for its keep-alive life.
  if (jobs_.size() > idle_ && threads_ < max_threads_) start_thread();
  work_ready_.notify_one();
}

void WorkerPool::shutdown() {
  std::unique_lock lock(mu_);
  stopping_ = true;
  work_ready_.notify_all();
  all_ended_.wait(lock, [this] { return threads_ == 0; });
}

void WorkerPool::work() {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    const bool woke = work_ready_.wait_for(lock, idle_exit_, [this] { return !jobs_.empty() || stopping_; });
    --idle_;
    if (jobs_.empty() && (stopping_ || (!woke && threads_ > min_threads_))) break;
    if (jobs_.empty()) continue;
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job = nullptr;  // the connection's state goes before the lock is taken again
    lock.lock();
  }
  if (--threads_ == 0) all_ended_.notify_all();
}

void RequestGate::enter() {
  std::unique_lock lock(mu_);
  if (free_ > 0 && waiting_.empty()) {
    --free_;
    return;
  }
  Waiter me;
  waiting_.push_back(&me);
  me.wake.wait(lock, [&] { return me.admitted; });
}

void RequestGate::leave() {
  std::lock_guard lock(mu_);
  if (waiting_.empty()) {
    ++free_;
    return;
  }
  Waiter* next = waiting_.front();  // the slot passes to it without being freed
  waiting_.pop_front();
  next->admitted = true;
  next->wake.notify_one();
}

}  // namespace helpmark::cli::serve
