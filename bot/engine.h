// The engine boundary: one incoming message in, replies out. Channel-neutral
// (no LINE, no HTTP): the LINE adapter and the console channel both call it
// with the core types (core/message.h).
//
// The event timestamp is the clock for every time-dependent answer, so the
// same Incoming always gives the same Reply for the same stored state.
#pragma once

#include "core/message.h"

namespace yorisoi::bot {

class Engine {
 public:
  virtual ~Engine() = default;
  // Thread-safe across users; the caller serializes calls for one user.
  // Never throws: internal errors become a polite apology reply.
  virtual Reply Handle(const Incoming& in) = 0;
};

}  // namespace yorisoi::bot
