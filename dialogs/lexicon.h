// The NLU lexicon (regions and programs) taken from the knowledge base, so
// every municipality, prefecture and program name, reading and alias in the
// KB is understood without listing it twice. Pure.
#pragma once

#include "text/nlu.h"
#include "knowledge/kb.h"

namespace yorisoi::dialogs {

text::Lexicon BuildLexicon(const kb::KnowledgeBase& kb);

}  // namespace yorisoi::dialogs
