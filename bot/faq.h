// The city's FAQ answers written by editors (store/edits_store.h), as the
// engine consults them.
//
// A message is answered by a FAQ when its canonical text
// (text::Nlu::Canonical) is at least text::kCloseMatch similar
// (text::TextSimilarity) to one of the FAQ's phrasings, the message's JST day
// lies inside valid_from..valid_to, and the FAQ is for every municipality or
// for the user's (a user whose municipality is unknown gets it too). The
// engine asks only after ruling out a crisis: the safety flow always comes
// first. Immutable after construction; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"
#include "core/time.h"
#include "knowledge/kb.h"
#include "store/edits_store.h"
#include "text/nlu.h"

namespace yorisoi::bot {

struct FaqEntry {
  int64_t id = 0;  // 0 for a draft (preview)
  int version = 0;
  store::FaqContent content;
  std::vector<std::string> canonical;  // the phrasings' canonical text
  Date from;
  std::optional<Date> to;
};

class FaqSet {
 public:
  // Borrows nothing: the phrasings are canonicalized here with `nlu`.
  // Removed FAQs (active_version 0) and ones with unreadable dates are left out.
  FaqSet(const text::Nlu& nlu, const std::vector<store::Faq>& faqs);
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  // The best FAQ for `canonical` on `day` for `municipality` ("" = unknown);
  // nullptr when none reaches text::kCloseMatch. `similarity` (optional)
  // receives the match's score.
  const FaqEntry* Match(std::string_view canonical, const Date& day,
                        const std::string& municipality, double* similarity = nullptr) const;

 private:
  std::vector<FaqEntry> entries_;
};

// The reply for a matched FAQ: says it is the city's answer, the source and
// the date it is from, with the menu's quick replies.
Message FaqMessage(const FaqEntry& faq, const kb::KnowledgeBase& kb);

}  // namespace yorisoi::bot
