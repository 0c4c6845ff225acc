#include "core/thread_name.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstring>

namespace yorisoi {

void NameThisThread(const char* name) noexcept {
  char buf[16];
  std::strncpy(buf, name, sizeof buf - 1);
  buf[sizeof buf - 1] = '\0';
  pthread_setname_np(pthread_self(), buf);
}

void LowerThisThreadPriority(int nice) noexcept {
  if (nice <= 0) return;
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice > 19 ? 19 : nice);
}

}  // namespace yorisoi
